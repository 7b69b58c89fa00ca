-- Counts one invalid key of a client and blocks it at the threshold, atomically. Windows and
-- blocks are Redis TTLs: Redis's clock, one for every node.
--
-- KEYS[1]  the client's failures in the current window (a count; its TTL ends the window)
-- KEYS[2]  present while the client is blocked (its TTL is the block's remaining time)
-- ARGV[1]  threshold; ARGV[2] window, ms; ARGV[3] block, ms
--
-- Returns {ms still blocked, 0} when already blocked (nothing counted); {-1, failures} when this
-- failure blocked the client; {0, failures} otherwise.

local blocked = redis.call('PTTL', KEYS[2])
if blocked > 0 then return {blocked, 0} end
local failures = redis.call('INCR', KEYS[1])
if failures == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if failures >= tonumber(ARGV[1]) then
  redis.call('SET', KEYS[2], failures, 'PX', ARGV[3])
  redis.call('DEL', KEYS[1])
  return {-1, failures}
end
return {0, failures}
