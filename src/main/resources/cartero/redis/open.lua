-- Where a room stands, for a subscription that starts: creates the epoch if there is none.
-- KEYS: 1 meta hash, 2 stream
-- ARGV: 1 candidate epoch
-- Returns {epoch, last offset, oldest offset kept (0 if none)}.
local epoch, last = room_epoch(KEYS[1], KEYS[2], ARGV[1])
local first = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)
local oldest = 0
if first[1] then
  oldest = offset_of(first[1][1])
end
return {epoch, last, oldest}
