-- Takes the message at the head of a queue under a lease: the entry leaves the list and is
-- kept, with its attempt number, in the queue's leased hash until confirm.lua forgets it or
-- reap.lua puts it back at the head. Both moves happen here at once, so no entry is ever
-- outside both the list and the lease records.
-- KEYS: 1 the queue's list, 2 its leased hash (receipt -> "attempt|entry"),
--       3 its deadlines (sorted set: receipt scored by the lease's end, Redis's clock in ms),
--       4 its returned hash (entry -> attempts so far, for entries whose lease ended),
--       5 the set of queues that have leases (where the reapers look)
-- ARGV: 1 receipt, 2 lease in ms, 3 the queue's name
-- Returns {entry, attempt}, or {} when the list is empty.
local entry = redis.call('RPOP', KEYS[1])
if not entry then
  return {}
end
local attempt = 1
local before = redis.call('HGET', KEYS[4], entry)
if before then
  attempt = tonumber(before) + 1
  redis.call('HDEL', KEYS[4], entry)
end
local now = redis.call('TIME')
local millis = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('HSET', KEYS[2], ARGV[1], attempt .. '|' .. entry)
redis.call('ZADD', KEYS[3], millis + tonumber(ARGV[2]), ARGV[1])
redis.call('SADD', KEYS[5], ARGV[3])
return {entry, attempt}
