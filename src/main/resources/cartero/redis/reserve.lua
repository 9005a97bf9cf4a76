-- Reserves a user name for a holder (the session that uses it), and keeps it reserved: the
-- same script serves the first reservation and each periodic refresh. It succeeds if the name
-- is free (never reserved, released, expired, or lost with an emptied Redis) or the holder
-- has it already; it never takes a name from another holder.
-- KEYS: 1 the name's key; ARGV: 1 the holder, 2 time to live in ms
-- Returns 1 if the holder has the name now, 0 if another holder has it.
local held = redis.call('GET', KEYS[1])
if held and held ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
