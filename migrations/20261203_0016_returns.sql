-- Returns and after-sales (售后): a customer asks for some units of some order lines back, as a
-- refund only (仅退款), a return and refund (退货退款) or an exchange (换货). Staff approve or
-- reject; returned parcels are received with each unit restocked or written off; refunds go
-- through the payment module and exchanges become a replacement order at no charge.

ALTER TABLE files DROP CONSTRAINT IF EXISTS files_purpose_check;
ALTER TABLE files ADD CONSTRAINT files_purpose_check CHECK (purpose IN ('review_photo', 'return_photo'));

CREATE TABLE IF NOT EXISTS return_requests (
  tenant_id            text NOT NULL REFERENCES tenants (id),
  id                   text NOT NULL,
  order_id             text NOT NULL,
  customer_id          text NOT NULL,
  type                 text NOT NULL CHECK (type IN ('refund_only', 'return_and_refund', 'exchange')),
  state                text NOT NULL CHECK (state IN ('requested', 'approved', 'rejected', 'awaiting_return', 'shipped_back', 'received',
                                                      'refunding', 'refunded', 'exchanged', 'cancelled', 'expired')),
  reason_code          text NOT NULL,
  reason_text          text NOT NULL DEFAULT '' CHECK (length(reason_text) <= 1000),
  photo_ids            jsonb NOT NULL DEFAULT '[]',
  -- What the refund will be, fixed when asked: the lines' paid share (zero for an exchange).
  amount               bigint NOT NULL CHECK (amount >= 0),
  currency             text NOT NULL,
  reject_reason        text CHECK (length(reject_reason) <= 500),
  ship_back_by         timestamptz,
  return_carrier       text,
  return_carrier_name  text CHECK (length(return_carrier_name) <= 100),
  return_tracking      text CHECK (length(return_tracking) BETWEEN 1 AND 64),
  refund_id            text,
  -- Why the refund or the replacement order failed last; staff settle again from the admin.
  settle_error         text,
  replacement_order_id text,
  decided_by           text,
  created_at           timestamptz NOT NULL,
  updated_at           timestamptz NOT NULL,
  decided_at           timestamptz,
  shipped_back_at      timestamptz,
  received_at          timestamptz,
  closed_at            timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE INDEX IF NOT EXISTS return_requests_order ON return_requests (tenant_id, order_id);
CREATE INDEX IF NOT EXISTS return_requests_customer ON return_requests (tenant_id, customer_id, id DESC);
CREATE INDEX IF NOT EXISTS return_requests_queue ON return_requests (tenant_id, state, id DESC);
-- The ship-back sweep reads only approved returns still waiting for their parcel.
CREATE INDEX IF NOT EXISTS return_requests_ship_back ON return_requests (tenant_id, ship_back_by) WHERE state = 'awaiting_return';

CREATE TABLE IF NOT EXISTS return_lines (
  tenant_id   text NOT NULL,
  return_id   text NOT NULL,
  order_id    text NOT NULL,
  line_no     integer NOT NULL,
  quantity    integer NOT NULL CHECK (quantity > 0),
  restocked   integer NOT NULL DEFAULT 0 CHECK (restocked >= 0),
  written_off integer NOT NULL DEFAULT 0 CHECK (written_off >= 0),
  PRIMARY KEY (tenant_id, return_id, line_no),
  FOREIGN KEY (tenant_id, return_id) REFERENCES return_requests (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, order_id, line_no) REFERENCES order_lines (tenant_id, order_id, line_no),
  CHECK (restocked + written_off <= quantity)
);
CREATE INDEX IF NOT EXISTS return_lines_order ON return_lines (tenant_id, order_id, line_no);

SELECT bazaar_isolate_by_tenant(ARRAY['return_requests', 'return_lines']);
