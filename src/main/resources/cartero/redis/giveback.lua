-- Puts one leased message back at the head of its queue at once, as if never taken: its take
-- was cancelled after Redis had already leased it.
-- KEYS: 1 the queue's list, 2 its leased hash, 3 its deadlines, 4 its returned hash
-- ARGV: 1 receipt, 2 how long the returned hash outlives its last change, in ms
-- Returns 1 if the message went back, 0 if the receipt was unknown.
local held = redis.call('HGET', KEYS[2], ARGV[1])
if not held then
  return 0
end
local attempt, entry = string.match(held, '^(%d+)|(.*)$')
redis.call('RPUSH', KEYS[1], entry)
if tonumber(attempt) > 1 then
  redis.call('HSET', KEYS[4], entry, tonumber(attempt) - 1)
  redis.call('PEXPIRE', KEYS[4], ARGV[2])
end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return 1
