-- Flash sales: a SKU sold at a flash price, in a fixed quantity, in a time window.
--
-- A sale's units are set aside when it is created, as one stock reservation owned by the sale
-- (its "pool"). Each admitted purchase moves one unit from the pool to a reservation of its own
-- order, which names the pool; when that order is cancelled or expires unpaid, the unit goes
-- back to the pool rather than to general stock, so a later customer can win it. The pool's
-- quantity can never go below zero: the database refuses an oversell whatever the fast path did.

ALTER TABLE stock_reservations ADD COLUMN pool_id text;
ALTER TABLE stock_reservations DROP CONSTRAINT stock_reservations_quantity_check;
ALTER TABLE stock_reservations ADD CONSTRAINT stock_reservations_quantity_check CHECK (quantity >= 0);
CREATE INDEX stock_reservations_pool ON stock_reservations (tenant_id, pool_id) WHERE pool_id IS NOT NULL;

CREATE TABLE flash_sales (
  tenant_id          text NOT NULL REFERENCES tenants (id),
  id                 text NOT NULL,
  product_id         text NOT NULL,
  variant_id         text NOT NULL,
  title              jsonb NOT NULL,
  currency           text NOT NULL,
  price              bigint NOT NULL CHECK (price >= 0),
  quantity           integer NOT NULL CHECK (quantity > 0),
  per_customer_limit integer NOT NULL CHECK (per_customer_limit > 0),
  payment_minutes    integer NOT NULL CHECK (payment_minutes > 0),
  starts_at          timestamptz NOT NULL,
  ends_at            timestamptz NOT NULL,
  status             text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled', 'closed')),
  created_at         timestamptz NOT NULL DEFAULT now(),
  closed_at          timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, variant_id) REFERENCES variants (tenant_id, id),
  CHECK (ends_at > starts_at)
);
CREATE INDEX flash_sales_window ON flash_sales (tenant_id, ends_at) WHERE status = 'scheduled';

ALTER TABLE orders ADD COLUMN flash_sale_id text;
CREATE INDEX orders_flash_sale ON orders (tenant_id, flash_sale_id, customer_id) WHERE flash_sale_id IS NOT NULL;

ALTER TABLE flash_sales ENABLE ROW LEVEL SECURITY;
ALTER TABLE flash_sales FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON flash_sales USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON flash_sales TO bazaar_app;
