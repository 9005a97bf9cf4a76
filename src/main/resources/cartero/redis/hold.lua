-- Keeps a reserved name alive for another ARGV[2] ms, only if this node still holds it.
-- KEYS: 1 the name's key; ARGV: 1 this node's id, 2 time to live in ms
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
