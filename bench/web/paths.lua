-- wrk script: cycle through the URLs in $PATHS, sending $COOKIE (and
-- $ENCODING as Accept-Encoding, when set).
local paths = {}
for line in io.lines(os.getenv("PATHS")) do paths[#paths + 1] = line end
local cookie = os.getenv("COOKIE") or ""
local headers = { Cookie = cookie }
local encoding = os.getenv("ENCODING") or ""
if encoding ~= "" then headers["Accept-Encoding"] = encoding end
local i = math.random(#paths)
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], headers)
end
