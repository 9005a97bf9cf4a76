-- A room for the room list.
-- KEYS: 1 meta hash, 2 presence sorted set
-- Returns {epoch or false, last offset, members now}.
local now = redis.call('TIME')
local millis = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local meta = redis.call('HMGET', KEYS[1], 'epoch', 'last')
local members = redis.call('ZCOUNT', KEYS[2], '(' .. millis, '+inf')
return {meta[1], tonumber(meta[2] or '0'), members}
