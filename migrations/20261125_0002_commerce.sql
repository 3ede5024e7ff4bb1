-- Commerce: inventory with reservations, carts, coupons, orders, payments and the outbox.
-- Same rules as the foundation: tenant_id first in every key, row-level security on every
-- tenant table, foreign keys that include tenant_id.

-- Inventory ----------------------------------------------------------------------------------

CREATE TABLE warehouses (
  tenant_id  text NOT NULL REFERENCES tenants (id),
  id         text NOT NULL,
  code       text NOT NULL,
  name       text NOT NULL,
  is_default boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, code)
);
CREATE UNIQUE INDEX warehouses_one_default ON warehouses (tenant_id) WHERE is_default;

-- available = on_hand - reserved; the checks make overselling impossible at the storage level.
CREATE TABLE stock_levels (
  tenant_id    text NOT NULL,
  warehouse_id text NOT NULL,
  variant_id   text NOT NULL,
  on_hand      integer NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
  reserved     integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, warehouse_id, variant_id),
  CHECK (reserved <= on_hand),
  FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses (tenant_id, id),
  FOREIGN KEY (tenant_id, variant_id) REFERENCES variants (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE stock_reservations (
  tenant_id    text NOT NULL,
  id           text NOT NULL,
  order_id     text NOT NULL,
  warehouse_id text NOT NULL,
  variant_id   text NOT NULL,
  quantity     integer NOT NULL CHECK (quantity > 0),
  status       text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'committed', 'released')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  settled_at   timestamptz,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX stock_reservations_order ON stock_reservations (tenant_id, order_id);

-- Every change of on_hand or reserved, with its reason: the stock ledger.
CREATE TABLE stock_movements (
  tenant_id      text NOT NULL,
  id             text NOT NULL,
  warehouse_id   text NOT NULL,
  variant_id     text NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('adjust', 'reserve', 'commit', 'release')),
  on_hand_delta  integer NOT NULL,
  reserved_delta integer NOT NULL,
  on_hand_after  integer NOT NULL,
  reserved_after integer NOT NULL,
  reason         text,
  reference      text,
  actor          text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX stock_movements_variant ON stock_movements (tenant_id, variant_id, created_at);

-- Carts ---------------------------------------------------------------------------------------

CREATE TABLE carts (
  tenant_id   text NOT NULL REFERENCES tenants (id),
  id          text NOT NULL,
  customer_id text,
  currency    text NOT NULL,
  coupon_code text,
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'merged', 'converted')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
CREATE INDEX carts_customer ON carts (tenant_id, customer_id) WHERE status = 'active';

CREATE TABLE cart_lines (
  tenant_id  text NOT NULL,
  cart_id    text NOT NULL,
  variant_id text NOT NULL,
  quantity   integer NOT NULL CHECK (quantity > 0),
  added_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, cart_id, variant_id),
  FOREIGN KEY (tenant_id, cart_id) REFERENCES carts (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, variant_id) REFERENCES variants (tenant_id, id) ON DELETE CASCADE
);

-- Coupons -------------------------------------------------------------------------------------

CREATE TABLE coupons (
  tenant_id          text NOT NULL REFERENCES tenants (id),
  id                 text NOT NULL,
  code               text NOT NULL,
  kind               text NOT NULL CHECK (kind IN ('fixed', 'percentage')),
  -- fixed: minor units of `currency`; percentage: basis points (1500 = 15 %).
  value              bigint NOT NULL CHECK (value > 0),
  currency           text,
  min_spend          bigint NOT NULL DEFAULT 0,
  starts_at          timestamptz,
  ends_at            timestamptz,
  usage_limit        integer,
  per_customer_limit integer,
  used_count         integer NOT NULL DEFAULT 0,
  product_ids        jsonb NOT NULL DEFAULT '[]',
  category_ids       jsonb NOT NULL DEFAULT '[]',
  status             text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, code),
  CHECK (usage_limit IS NULL OR used_count <= usage_limit),
  CHECK (kind <> 'percentage' OR value <= 10000),
  CHECK (kind <> 'fixed' OR currency IS NOT NULL)
);

CREATE TABLE coupon_redemptions (
  tenant_id   text NOT NULL,
  coupon_id   text NOT NULL,
  order_id    text NOT NULL,
  customer_id text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, coupon_id, order_id),
  FOREIGN KEY (tenant_id, coupon_id) REFERENCES coupons (tenant_id, id)
);
CREATE INDEX coupon_redemptions_customer ON coupon_redemptions (tenant_id, coupon_id, customer_id);

-- Orders --------------------------------------------------------------------------------------

CREATE TABLE orders (
  tenant_id        text NOT NULL REFERENCES tenants (id),
  id               text NOT NULL,
  customer_id      text NOT NULL,
  idempotency_key  text NOT NULL,
  status           text NOT NULL CHECK (status IN ('pending_payment', 'paid', 'fulfilled', 'completed',
                                                    'cancelled', 'partially_refunded', 'refunded')),
  currency         text NOT NULL,
  subtotal         bigint NOT NULL,
  discount_total   bigint NOT NULL DEFAULT 0,
  shipping_total   bigint NOT NULL DEFAULT 0,
  total            bigint NOT NULL CHECK (total >= 0),
  refunded_total   bigint NOT NULL DEFAULT 0,
  coupon_code      text,
  shipping_address jsonb NOT NULL,
  tracking_number  text,
  cancel_reason    text,
  expires_at       timestamptz NOT NULL,
  paid_at          timestamptz,
  fulfilled_at     timestamptz,
  completed_at     timestamptz,
  cancelled_at     timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, customer_id, idempotency_key),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
  CHECK (refunded_total <= total)
);
CREATE INDEX orders_customer ON orders (tenant_id, customer_id, created_at DESC);
CREATE INDEX orders_newest ON orders (tenant_id, created_at DESC, id DESC);
CREATE INDEX orders_expiring ON orders (tenant_id, expires_at) WHERE status = 'pending_payment';

-- A snapshot of what was bought, at the price it was bought for.
CREATE TABLE order_lines (
  tenant_id     text NOT NULL,
  order_id      text NOT NULL,
  line_no       integer NOT NULL,
  product_id    text NOT NULL,
  variant_id    text NOT NULL,
  sku           text NOT NULL,
  title         jsonb NOT NULL,
  option_values jsonb NOT NULL,
  unit_price    bigint NOT NULL,
  quantity      integer NOT NULL CHECK (quantity > 0),
  discount      bigint NOT NULL DEFAULT 0,
  total         bigint NOT NULL,
  PRIMARY KEY (tenant_id, order_id, line_no),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id) ON DELETE CASCADE
);

-- Payments ------------------------------------------------------------------------------------

CREATE TABLE payments (
  tenant_id    text NOT NULL,
  id           text NOT NULL,
  order_id     text NOT NULL,
  provider     text NOT NULL,
  provider_ref text NOT NULL,
  status       text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'refunded')),
  amount       bigint NOT NULL,
  currency     text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, provider, provider_ref),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE INDEX payments_order ON payments (tenant_id, order_id);
-- At most one successful payment per order: a second capture is refused by the database.
CREATE UNIQUE INDEX payments_one_success ON payments (tenant_id, order_id) WHERE status = 'succeeded';

CREATE TABLE refunds (
  tenant_id    text NOT NULL,
  id           text NOT NULL,
  order_id     text NOT NULL,
  payment_id   text NOT NULL,
  amount       bigint NOT NULL CHECK (amount > 0),
  reason       text,
  provider_ref text,
  status       text NOT NULL CHECK (status IN ('succeeded', 'failed')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, payment_id) REFERENCES payments (tenant_id, id)
);

-- Provider events already applied, so that a duplicate webhook changes nothing.
CREATE TABLE payment_webhook_events (
  tenant_id   text NOT NULL,
  provider    text NOT NULL,
  event_id    text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, provider, event_id)
);

-- Transactional outbox -------------------------------------------------------------------------
-- Domain events are appended in the same transaction as the change they describe.
--
-- Dispatchers read in (txid, seq) order and only below the oldest transaction still running
-- (pg_snapshot_xmin). A plain sequence is not enough: transactions commit out of sequence order,
-- so a checkpoint on seq alone could step over an event that commits a moment later.

CREATE TABLE outbox_events (
  seq            bigint GENERATED ALWAYS AS IDENTITY,
  txid           xid8 NOT NULL DEFAULT pg_current_xact_id(),
  tenant_id      text NOT NULL,
  id             text NOT NULL,
  type           text NOT NULL,
  aggregate_type text NOT NULL,
  aggregate_id   text NOT NULL,
  payload        jsonb NOT NULL,
  trace_id       text,
  occurred_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, seq),
  UNIQUE (tenant_id, id)
);
CREATE INDEX outbox_events_order ON outbox_events (txid, seq);

-- Each subscriber's position in the outbox; moved only after its handler succeeded.
CREATE TABLE outbox_checkpoints (
  subscriber text PRIMARY KEY,
  last_txid  xid8 NOT NULL DEFAULT '0',
  last_seq   bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Consumers dedupe by event id: at-least-once delivery, effectively-once effects.
CREATE TABLE processed_events (
  tenant_id  text NOT NULL,
  subscriber text NOT NULL,
  event_id   text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, subscriber, event_id)
);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['warehouses', 'stock_levels', 'stock_reservations', 'stock_movements', 'carts', 'cart_lines',
                           'coupons', 'coupon_redemptions', 'orders', 'order_lines', 'payments', 'refunds',
                           'payment_webhook_events', 'outbox_events', 'processed_events']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (tenant_id = current_setting(''app.tenant_id'', true)) '
      'WITH CHECK (tenant_id = current_setting(''app.tenant_id'', true))', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO bazaar_app', t);
  END LOOP;
END
$$;

-- The outbox dispatcher reads every platform's events, and only reads them: its transactions
-- set app.outbox_reader, which this extra SELECT-only policy admits.
CREATE POLICY outbox_reader ON outbox_events FOR SELECT
  USING (current_setting('app.outbox_reader', true) = 'on');
GRANT SELECT, INSERT, UPDATE ON outbox_checkpoints TO bazaar_app;
