-- Shipments: an order ships in parts. Each shipment carries some units of some order lines, with
-- a carrier and a tracking number, and moves created → shipped → delivered. The order's status
-- follows the units shipped (partially_fulfilled, then fulfilled); when the last shipment was
-- delivered is what return deadlines count from.

ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_status_check;
ALTER TABLE orders ADD CONSTRAINT orders_status_check
  CHECK (status IN ('pending_payment', 'paid', 'partially_fulfilled', 'fulfilled', 'completed',
                    'cancelled', 'partially_refunded', 'refunded'));

CREATE TABLE IF NOT EXISTS shipments (
  tenant_id       text NOT NULL REFERENCES tenants (id),
  id              text NOT NULL,
  order_id        text NOT NULL,
  -- The warehouse the parcel leaves from, when staff shipped a warehouse's share of the order.
  warehouse_id    text,
  carrier         text NOT NULL CHECK (carrier IN ('sf', 'jd', 'yto', 'zto', 'sto', 'yunda', 'ems', 'ups', 'fedex', 'dhl', 'other')),
  carrier_name    text CHECK (length(carrier_name) <= 100),
  tracking_number text NOT NULL CHECK (length(tracking_number) BETWEEN 1 AND 64),
  status          text NOT NULL DEFAULT 'created' CHECK (status IN ('created', 'shipped', 'delivered')),
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  shipped_at      timestamptz,
  delivered_at    timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
  FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses (tenant_id, id),
  CHECK (status = 'created' OR shipped_at IS NOT NULL),
  CHECK (status <> 'delivered' OR delivered_at IS NOT NULL)
);
CREATE INDEX IF NOT EXISTS shipments_order ON shipments (tenant_id, order_id, created_at);

-- Units of one order line in one shipment. A line may be split across shipments; the service
-- inserts these under the order's row lock with a guard that the line's shipments never hold more
-- than was ordered.
CREATE TABLE IF NOT EXISTS shipment_lines (
  tenant_id   text NOT NULL,
  shipment_id text NOT NULL,
  order_id    text NOT NULL,
  line_no     integer NOT NULL,
  quantity    integer NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (tenant_id, shipment_id, line_no),
  FOREIGN KEY (tenant_id, shipment_id) REFERENCES shipments (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, order_id, line_no) REFERENCES order_lines (tenant_id, order_id, line_no)
);
CREATE INDEX IF NOT EXISTS shipment_lines_order ON shipment_lines (tenant_id, order_id, line_no);

SELECT bazaar_isolate_by_tenant(ARRAY['shipments', 'shipment_lines']);
