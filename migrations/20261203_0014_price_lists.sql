-- Customer groups (members, wholesale …) and price lists: a group's prices (会员价), scheduled
-- sale prices with a start and an end, "compare at" prices, and quantity tiers. A line's price is
-- the lowest of its catalog price and every price list entry that applies to the customer, the
-- moment and the quantity (src/modules/pricing/price-lists.ts).

CREATE TABLE customer_groups (
  tenant_id  text NOT NULL REFERENCES tenants (id),
  id         text NOT NULL,
  code       text NOT NULL,
  name       jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, code)
);

CREATE TABLE customer_group_members (
  tenant_id   text NOT NULL,
  group_id    text NOT NULL,
  customer_id text NOT NULL,
  added_at    timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, group_id, customer_id),
  FOREIGN KEY (tenant_id, group_id) REFERENCES customer_groups (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX customer_group_members_customer ON customer_group_members (tenant_id, customer_id);

CREATE TABLE price_lists (
  tenant_id  text NOT NULL REFERENCES tenants (id),
  id         text NOT NULL,
  name       text NOT NULL,
  -- null: everyone (a sale); else the group's members only
  group_id   text,
  currency   text NOT NULL,
  starts_at  timestamptz,
  ends_at    timestamptz,
  status     text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, group_id) REFERENCES customer_groups (tenant_id, id) ON DELETE CASCADE,
  CHECK (ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at)
);

CREATE TABLE price_list_prices (
  tenant_id     text NOT NULL,
  price_list_id text NOT NULL,
  variant_id    text NOT NULL,
  -- a quantity tier: the price from this many units of the line up
  min_quantity  integer NOT NULL DEFAULT 1 CHECK (min_quantity >= 1),
  amount        bigint NOT NULL CHECK (amount >= 0 AND amount <= 9007199254740991),
  -- shown struck through; null shows the catalog price when it is higher
  compare_at    bigint CHECK (compare_at >= 0 AND compare_at <= 9007199254740991),
  PRIMARY KEY (tenant_id, price_list_id, variant_id, min_quantity),
  FOREIGN KEY (tenant_id, price_list_id) REFERENCES price_lists (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, variant_id) REFERENCES variants (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX price_list_prices_variant ON price_list_prices (tenant_id, variant_id);

-- Which list a line's price came from, for the order's record.
ALTER TABLE order_lines ADD COLUMN price_list_id text;
ALTER TABLE order_lines ADD COLUMN list_price bigint;

SELECT bazaar_isolate_by_tenant(ARRAY['customer_groups', 'customer_group_members', 'price_lists', 'price_list_prices']);
