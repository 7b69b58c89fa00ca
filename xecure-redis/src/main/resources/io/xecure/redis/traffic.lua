-- One request of a key, counted for the key_shared and usage_spike detectors of every node.
--
-- KEYS[1]  the key's requests in one UTC minute (a count)
-- KEYS[2]  the key's client networks in one window (a HyperLogLog: about 12 KB at most, 0.81%
--          standard error)
-- ARGV[1]  the client network; ARGV[2] how long to keep the count, ms; ARGV[3] the same for the
--          networks
--
-- Returns {requests in the minute so far, distinct networks in the window so far}.

local requests = redis.call('INCR', KEYS[1])
if requests == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if redis.call('PFADD', KEYS[2], ARGV[1]) == 1 and redis.call('PTTL', KEYS[2]) < 0 then
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
end
return {requests, redis.call('PFCOUNT', KEYS[2])}
