-- Stores one message in a room, atomically with its offset and the idempotency check.
-- KEYS: 1 meta hash, 2 stream, 3 idempotency hash, 4 set of room names
-- ARGV: 1 room, 2 candidate epoch, 3 sender, 4 text, 5 kind, 6 retention,
--       7 idempotency window in ms (0: no key), 8 channel of the live messages
-- A newly stored message is also PUBLISHed on the channel, whole, one field per line:
-- room, epoch, offset, sender, kind, sentAt, then the text, which alone may hold newlines
-- (room names, epochs, user names and kinds cannot). A retry answered from its idempotency
-- key stores nothing and publishes nothing.
-- Returns {offset, epoch, sender, text, kind, sentAt} of the stored (or first) message.
local epoch = room_epoch(KEYS[1], KEYS[2], ARGV[2])
local window = tonumber(ARGV[7])

if window > 0 then
  local seen = redis.call('HMGET', KEYS[3], 'o', 'e', 's', 't', 'k', 'at')
  if seen[1] and seen[2] == epoch then
    return {tonumber(seen[1]), seen[2], seen[3], seen[4], seen[5], tonumber(seen[6])}
  end
end

local now = redis.call('TIME')
local sent_at = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local offset = redis.call('HINCRBY', KEYS[1], 'last', 1)
redis.call('XADD', KEYS[2], 'MAXLEN', '=', ARGV[6], offset .. '-1',
  's', ARGV[3], 't', ARGV[4], 'k', ARGV[5], 'at', sent_at)
if window > 0 then
  redis.call('DEL', KEYS[3])
  redis.call('HSET', KEYS[3], 'o', offset, 'e', epoch, 's', ARGV[3], 't', ARGV[4],
    'k', ARGV[5], 'at', sent_at)
  redis.call('PEXPIRE', KEYS[3], window)
end
redis.call('SADD', KEYS[4], ARGV[1])
redis.call('PUBLISH', ARGV[8], table.concat({ARGV[1], epoch, offset, ARGV[3], ARGV[5],
  sent_at, ARGV[4]}, '\n'))
return {offset, epoch, ARGV[3], ARGV[4], ARGV[5], sent_at}
