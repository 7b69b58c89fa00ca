-- One rate (GCRA) and quota (calendar window, UTC) decision, checked and spent atomically.
-- Times are epoch microseconds: below 2^53, so Lua's doubles hold them exactly.
--
-- KEYS[1]  the counter's hash: t = the rate's theoretical arrival time, s = the start of the
--          quota window counted, n = requests counted in it
-- ARGV[1]  now, or 0 to read Redis's own clock (TIME): one clock for every node
-- ARGV[2]  the rate's emission interval, or 0 for no rate
-- ARGV[3]  the rate's burst window (limit x interval)
-- ARGV[4]  the quota's limit, or 0 for no quota
-- ARGV[5]  the quota window: its length, or M for a calendar month
-- ARGV[6]  the least time to keep the hash, ms (0 on Redis's clock, whose TTLs follow it)
--
-- Returns {2, reset} quota exceeded; {1, reset, retry} rate limited;
-- {0, rate reset, quota used, quota reset} granted (reset and retry: microseconds from now).

local function civil(z)
  -- days since 1970-01-01 -> year and month (H. Hinnant's civil_from_days)
  z = z + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524)
    - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local m = mp < 10 and mp + 3 or mp - 9
  local y = yoe + era * 400
  if m <= 2 then y = y + 1 end
  return y, m
end

local function first_of(y, m)
  -- days since 1970-01-01 of the first of month m of year y (days_from_civil)
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local mp = m > 2 and m - 3 or m + 9
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100)
    + math.floor((153 * mp + 2) / 5)
  return era * 146097 + doe - 719468
end

local function window(per, now)
  if per == 'M' then
    local day = 86400000000
    local y, m = civil(math.floor(now / day))
    local ny, nm = y, m + 1
    if nm == 13 then ny, nm = y + 1, 1 end
    return first_of(y, m) * day, first_of(ny, nm) * day
  end
  local length = tonumber(per)
  local start = math.floor(now / length) * length
  return start, start + length
end

local now = tonumber(ARGV[1])
if now == 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local interval = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local limit = tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 't', 's', 'n')

local from, to, used = 0, 0, 0
if limit > 0 then
  from, to = window(ARGV[5], now)
  if tonumber(state[2]) == from then used = tonumber(state[3]) end
  if used >= limit then return {2, to - now} end
end

local tat = 0
if interval > 0 then
  local base = math.max(tonumber(state[1]) or 0, now)
  tat = base + interval
  if now < tat - burst then return {1, base - now, tat - burst - now} end
end

-- granted: spend both, and keep the hash for as long as it can change an answer
local ttl = 0
if interval > 0 then
  redis.call('HSET', KEYS[1], 't', string.format('%d', tat))
  ttl = tat - now
end
if limit > 0 then
  used = used + 1
  redis.call('HSET', KEYS[1], 's', string.format('%d', from), 'n', string.format('%d', used))
  if to - now > ttl then ttl = to - now end
end
redis.call('PEXPIRE', KEYS[1], math.max(math.floor(ttl / 1000) + 1, tonumber(ARGV[6])))
return {0, tat - now, used, to - now}
