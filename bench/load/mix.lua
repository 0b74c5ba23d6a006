-- wrk script: a crowd of visitors without a cookie on a public gallery
-- (pages, thumbnails, a ZIP now and then) and an attacker typing wrong
-- PINs into a PIN gallery from its own address (X-Forwarded-For, as the
-- proxy in front would set it). Counts answers by kind of status; a 5xx,
-- any status but 200 for the crowd, or anything but 403/429 for the
-- attacker is an error.
local pub = os.getenv("PUBLIC")
local priv = os.getenv("PRIVATE")
local thumbs = {}
for line in io.lines(os.getenv("THUMBS")) do thumbs[#thumbs + 1] = line end
local crowd = { ["X-Forwarded-For"] = "192.0.2.10" }
local attacker = { ["X-Forwarded-For"] = "198.51.100.66", ["Content-Type"] = "application/x-www-form-urlencoded" }

local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  threads[#threads + 1] = thread
end

ok, bad = 0, 0
function request()
  local r = math.random(100)
  if r <= 40 then
    return wrk.format("GET", "/g/" .. pub, crowd)
  elseif r <= 90 then
    return wrk.format("GET", thumbs[math.random(#thumbs)], crowd)
  elseif r <= 92 then
    return wrk.format("GET", "/g/" .. pub .. "/zip", crowd)
  end
  return wrk.format("POST", "/g/" .. priv .. "/pin", attacker, "pin=" .. string.format("%06d", math.random(0, 999999)))
end

function response(status, headers, body)
  if status >= 500 or (status ~= 200 and status ~= 403 and status ~= 429) then
    bad = bad + 1
  else
    ok = ok + 1
  end
end

function done(summary, latency, requests)
  local o, b = 0, 0
  for _, t in ipairs(threads) do
    o = o + t:get("ok")
    b = b + t:get("bad")
  end
  io.write(string.format("answers: %d as expected, %d errors (5xx or unexpected status)\n", o, b))
end
