-- Forgets a leased message: its consumer handled it.
-- KEYS: 1 the queue's leased hash, 2 its deadlines; ARGV: 1 receipt
-- Returns 1 if the lease was held, 0 if the receipt is unknown (confirmed, or put back).
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then
  return 0
end
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
