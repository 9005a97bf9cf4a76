-- Presence in one room: a sorted set of user names scored by the time (Redis's clock, in ms)
-- at which the entry expires unless the node that holds it refreshes it.
-- KEYS: 1 presence sorted set, 2 set of room names
-- ARGV: 1 operation (join, refresh, leave, members), 2 user, 3 time to live in ms, 4 room
local now = redis.call('TIME')
local millis = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local op = ARGV[1]
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', millis)

if op == 'members' then
  return redis.call('ZRANGE', KEYS[1], 0, -1)
end
if op == 'leave' then
  return redis.call('ZREM', KEYS[1], ARGV[2])
end
-- join and refresh. A refresh never adds an entry back: one that is gone was removed by a
-- leave (perhaps through another node) or expired, and must not come back as a ghost.
local had = redis.call('ZSCORE', KEYS[1], ARGV[2])
if op == 'refresh' and not had then
  return 0
end
redis.call('ZADD', KEYS[1], millis + tonumber(ARGV[3]), ARGV[2])
redis.call('SADD', KEYS[2], ARGV[4])
if had then
  return 0
end
return 1
