-- Order edits: before anything ships, staff change an order's lines. A paid order that comes to
-- cost more owes the difference (`balance_due`, collected as a further payment); one that costs
-- less gets the difference back at once (refund rows with the edit as their reason).
ALTER TABLE orders ADD COLUMN balance_due bigint NOT NULL DEFAULT 0;
ALTER TABLE orders ADD CONSTRAINT orders_balance_due_within_total CHECK (balance_due >= 0 AND balance_due <= total);

-- One row per edit, with what changed, the totals before and after and how the difference was
-- settled: never updated, so it is the order's edit history.
CREATE TABLE order_edits (
  tenant_id    text NOT NULL,
  id           text NOT NULL,
  order_id     text NOT NULL,
  actor        text NOT NULL,
  reason       text NOT NULL,
  changes      jsonb NOT NULL,
  total_before bigint NOT NULL,
  total_after  bigint NOT NULL,
  -- total_after - total_before; `settlement` says what became of it.
  difference   bigint NOT NULL,
  settlement   text NOT NULL CHECK (settlement IN ('none', 'amount_due_changed', 'balance_due', 'refunded')),
  refunded     bigint NOT NULL DEFAULT 0 CHECK (refunded >= 0),
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX order_edits_order ON order_edits (tenant_id, order_id, created_at);

SELECT bazaar_isolate_by_tenant(ARRAY['order_edits'], 'SELECT, INSERT');

-- An order is paid once (`order`); what edits add is paid by further payments (`balance`), so
-- only the first kind stays one success per order.
ALTER TABLE payments ADD COLUMN kind text NOT NULL DEFAULT 'order' CHECK (kind IN ('order', 'balance'));
DROP INDEX payments_one_success;
CREATE UNIQUE INDEX payments_one_success ON payments (tenant_id, order_id) WHERE status = 'succeeded' AND kind = 'order';

-- An exchange for another variant of the same product (another size, another colour): the
-- variant the customer asked for, as it was then, for the replacement order to send.
ALTER TABLE return_lines ADD COLUMN exchange_variant_id text;
ALTER TABLE return_lines ADD COLUMN exchange_sku text;
ALTER TABLE return_lines ADD COLUMN exchange_option_values jsonb;
