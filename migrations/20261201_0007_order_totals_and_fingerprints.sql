-- Checkout remembers what each Idempotency-Key was first used for (a hash of the cart and the
-- request body), so the same key with a different request is refused instead of replayed.
-- Orders placed before this have none and replay as before; flash orders have none either.
ALTER TABLE orders ADD COLUMN IF NOT EXISTS request_fingerprint text;

-- Money is read into JavaScript numbers: an amount past 2^53 - 1 would come back inexact. The
-- service refuses such orders first; the database refuses to store one whatever a caller does.
-- NOT VALID: rows already stored are not re-checked, every new or changed row is.
ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_amounts_exact;
ALTER TABLE orders ADD CONSTRAINT orders_amounts_exact
  CHECK (subtotal <= 9007199254740991 AND total <= 9007199254740991 AND discount_total <= 9007199254740991) NOT VALID;
ALTER TABLE order_lines DROP CONSTRAINT IF EXISTS order_lines_amounts_exact;
ALTER TABLE order_lines ADD CONSTRAINT order_lines_amounts_exact
  CHECK (unit_price <= 9007199254740991 AND total <= 9007199254740991 AND discount <= 9007199254740991) NOT VALID;
