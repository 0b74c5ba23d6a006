-- wrk script: cycle through the URLs in $PATHS, sending $COOKIE.
local paths = {}
for line in io.lines(os.getenv("PATHS")) do paths[#paths + 1] = line end
local cookie = os.getenv("COOKIE") or ""
local i = math.random(#paths)
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], { Cookie = cookie })
end
