-- Up to ARGV[2] messages with offsets up to ARGV[1] ('+' for the newest), newest first.
-- KEYS: 1 meta hash, 2 stream
-- Returns {epoch, entries}, or {false, {}} for a room with no history.
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
  return {false, {}}
end
return {epoch, redis.call('XREVRANGE', KEYS[2], ARGV[1], '-', 'COUNT', tonumber(ARGV[2]))}
