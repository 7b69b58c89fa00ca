-- bench/soak.sh's request mix: valid keys 70 %, wrong keys 12 %, no key 10 %, and valid keys on
-- the route nginx answers 502 8 %. Valid keys are read from $SOAK_KEYS, one a line.
local valid, wrong = {}, {}

init = function(args)
  for line in io.lines(os.getenv("SOAK_KEYS")) do
    valid[#valid + 1] = line
  end
  for i = 1, 50 do
    wrong[i] = string.format("bk_%08x%08x%08x%08x", math.random(0, 0x7fffffff),
      math.random(0, 0x7fffffff), math.random(0, 0x7fffffff), i)
  end
end

request = function()
  local r = math.random(100)
  if r <= 70 then
    return wrk.format("GET", "/ok/" .. r, { ["X-API-Key"] = valid[math.random(#valid)] })
  elseif r <= 82 then
    return wrk.format("GET", "/ok/wrong", { ["X-API-Key"] = wrong[math.random(#wrong)] })
  elseif r <= 92 then
    return wrk.format("GET", "/ok/missing", {})
  end
  return wrk.format("GET", "/fail/" .. r, { ["X-API-Key"] = valid[math.random(#valid)] })
end
