-- Deletes a reserved name only if the given holder still has it.
-- KEYS: 1 the name's key; ARGV: 1 the holder
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
