-- The next messages for a subscription, with the room's epoch read in the same step.
-- KEYS: 1 meta hash, 2 stream
-- ARGV: 1 candidate epoch, 2 the subscription's epoch, 3 its cursor, 4 how many at most
-- Returns {epoch, entries}: the entries after the cursor, or from the oldest kept if the
-- epoch is not the subscription's.
local epoch = room_epoch(KEYS[1], KEYS[2], ARGV[1])
local start = '-'
if epoch == ARGV[2] then
  start = tostring(tonumber(ARGV[3]) + 1)
end
return {epoch, redis.call('XRANGE', KEYS[2], start, '+', 'COUNT', tonumber(ARGV[4]))}
