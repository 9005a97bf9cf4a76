-- Puts every message whose lease has ended back at the head of its queue (the side RPOP and
-- BRPOP take from), the earliest taken nearest the head, and remembers how many times each
-- was taken. Several nodes may run it at once: each run is atomic and finds only what is
-- still leased.
-- KEYS: 1 the queue's list, 2 its leased hash, 3 its deadlines, 4 its returned hash,
--       5 the set of queues that have leases
-- ARGV: 1 the most to put back in one run, 2 the queue's name,
--       3 how long the returned hash outlives its last change, in ms
-- Returns how many messages went back.
local now = redis.call('TIME')
local millis = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local ended = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', millis,
  'LIMIT', 0, tonumber(ARGV[1]))
local back = 0
for i = #ended, 1, -1 do
  local held = redis.call('HGET', KEYS[2], ended[i])
  if held then
    local attempt, entry = string.match(held, '^(%d+)|(.*)$')
    redis.call('RPUSH', KEYS[1], entry)
    redis.call('HSET', KEYS[4], entry, attempt)
    redis.call('PEXPIRE', KEYS[4], ARGV[3])
    redis.call('HDEL', KEYS[2], ended[i])
    back = back + 1
  end
  redis.call('ZREM', KEYS[3], ended[i])
end
if redis.call('ZCARD', KEYS[3]) == 0 then
  redis.call('SREM', KEYS[5], ARGV[2])
end
return back
