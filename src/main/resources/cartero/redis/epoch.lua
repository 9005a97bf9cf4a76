-- Shared by the room scripts (prepended to each). A room's metadata hash holds its epoch and
-- the offset of its newest message ("last"); its stream holds the messages under the ids
-- "<offset>-1". If either is missing while the other says there was history (Redis restarted
-- empty, was flushed, or lost a key), the history is lost: start a new epoch at offset 0.
local function room_epoch(meta, stream, candidate)
  local epoch = redis.call('HGET', meta, 'epoch')
  local last = tonumber(redis.call('HGET', meta, 'last'))
  local has_stream = redis.call('EXISTS', stream) == 1
  if epoch and last and ((last == 0 and not has_stream) or (last > 0 and has_stream)) then
    return epoch, last
  end
  redis.call('DEL', stream)
  redis.call('HSET', meta, 'epoch', candidate, 'last', 0)
  return candidate, 0
end

local function offset_of(id)
  return tonumber(string.match(id, '^(%d+)-'))
end
