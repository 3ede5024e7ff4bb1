-- Shipping and tax: zones of regions, methods with their rates, shipping profiles of products,
-- tax rates per region and tax class, what an order was charged for both, and invoice requests.
--
-- Regions are matched on normalised keys (see src/modules/shipping/regions.ts): '' means "any",
-- so (CN, '', '') is all of China and (CN, 'zhejiang', 'hangzhou') one city. A region belongs to
-- one zone at most (the primary key), so an address never falls into two zones of equal rank.

-- Every tenant-owned table gets the same guard: row-level security, forced, with one policy that
-- keeps rows inside the transaction's platform (app.tenant_id), and the app role's privileges.
-- Defined once here; this and later migrations call it instead of repeating the block.
CREATE OR REPLACE FUNCTION bazaar_isolate_by_tenant(tables text[], privileges text DEFAULT 'SELECT, INSERT, UPDATE, DELETE')
RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY tables LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %I', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (tenant_id = current_setting(''app.tenant_id'', true)) '
      'WITH CHECK (tenant_id = current_setting(''app.tenant_id'', true))', t);
    IF privileges <> '' THEN
      EXECUTE format('GRANT %s ON %I TO bazaar_app', privileges, t);
    END IF;
  END LOOP;
END
$fn$;
REVOKE ALL ON FUNCTION bazaar_isolate_by_tenant(text[], text) FROM PUBLIC;

ALTER TABLE products ADD COLUMN shipping_profile text;
ALTER TABLE products ADD COLUMN tax_class text;
ALTER TABLE variants ADD COLUMN weight_grams integer NOT NULL DEFAULT 0 CHECK (weight_grams >= 0 AND weight_grams <= 10000000);

CREATE TABLE shipping_profiles (
  tenant_id         text NOT NULL REFERENCES tenants (id),
  code              text NOT NULL,
  name              jsonb NOT NULL,
  -- false for digital goods: such lines weigh nothing and need no method.
  requires_shipping boolean NOT NULL DEFAULT true,
  created_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, code)
);

CREATE TABLE shipping_zones (
  tenant_id  text NOT NULL REFERENCES tenants (id),
  id         text NOT NULL,
  name       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE shipping_zone_regions (
  tenant_id    text NOT NULL,
  zone_id      text NOT NULL,
  country      text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  province_key text NOT NULL DEFAULT '',
  city_key     text NOT NULL DEFAULT '',
  -- As the merchant wrote it, for display.
  province     text,
  city         text,
  PRIMARY KEY (tenant_id, country, province_key, city_key),
  FOREIGN KEY (tenant_id, zone_id) REFERENCES shipping_zones (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX shipping_zone_regions_zone ON shipping_zone_regions (tenant_id, zone_id);

CREATE TABLE shipping_methods (
  tenant_id      text NOT NULL,
  id             text NOT NULL,
  zone_id        text NOT NULL,
  name           jsonb NOT NULL,
  -- standard, express, or a named carrier's service
  kind           text NOT NULL CHECK (kind IN ('standard', 'express', 'carrier', 'pickup')),
  carrier        text,
  currency       text NOT NULL,
  -- {"type":"flat","amount":…} | {"type":"weight",…} | {"type":"item_count",…}; shipping-rates.ts
  rate           jsonb NOT NULL,
  -- 满额包邮: free when the goods (after discounts) come to at least this much.
  free_over      bigint CHECK (free_over >= 0),
  -- Which shipping profiles it carries (null: every profile), and a surcharge per unit of some.
  profiles       text[],
  surcharges     jsonb NOT NULL DEFAULT '{}',
  min_days       integer NOT NULL CHECK (min_days >= 0),
  max_days       integer NOT NULL,
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  position       integer NOT NULL DEFAULT 0,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, zone_id) REFERENCES shipping_zones (tenant_id, id) ON DELETE CASCADE,
  CHECK (max_days >= min_days)
);
CREATE INDEX shipping_methods_zone ON shipping_methods (tenant_id, zone_id, position);

CREATE TABLE tax_rates (
  tenant_id    text NOT NULL REFERENCES tenants (id),
  id           text NOT NULL,
  country      text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  province_key text NOT NULL DEFAULT '',
  province     text,
  tax_class    text NOT NULL DEFAULT 'standard',
  -- basis points: 1300 = 13 %
  rate_bp      integer NOT NULL CHECK (rate_bp >= 0 AND rate_bp <= 10000),
  name         text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, country, province_key, tax_class)
);

ALTER TABLE orders ADD COLUMN shipping_method_id text;
-- What the shopper chose, as it was then: name, kind, carrier, delivery estimate.
ALTER TABLE orders ADD COLUMN shipping_method jsonb;
ALTER TABLE orders ADD COLUMN tax_total bigint NOT NULL DEFAULT 0 CHECK (tax_total >= 0 AND tax_total <= 9007199254740991);
ALTER TABLE orders ADD COLUMN shipping_tax bigint NOT NULL DEFAULT 0 CHECK (shipping_tax >= 0);
ALTER TABLE orders ADD COLUMN shipping_tax_rate_bp integer NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN prices_include_tax boolean NOT NULL DEFAULT true;
ALTER TABLE order_lines ADD COLUMN tax_class text NOT NULL DEFAULT 'standard';
ALTER TABLE order_lines ADD COLUMN tax_rate_bp integer NOT NULL DEFAULT 0;
ALTER TABLE order_lines ADD COLUMN tax bigint NOT NULL DEFAULT 0 CHECK (tax >= 0);

-- 发票: a shopper's request for an invoice, made at checkout; staff issue it in their own
-- invoicing system and record its number here.
CREATE TABLE invoice_requests (
  tenant_id      text NOT NULL,
  order_id       text NOT NULL,
  customer_id    text NOT NULL,
  title_type     text NOT NULL CHECK (title_type IN ('personal', 'company')),
  title          text NOT NULL,
  tax_id         text,
  email          text,
  status         text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'issued', 'cancelled')),
  invoice_number text,
  created_at     timestamptz NOT NULL,
  issued_at      timestamptz,
  PRIMARY KEY (tenant_id, order_id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id) ON DELETE CASCADE,
  CHECK (title_type = 'personal' OR tax_id IS NOT NULL)
);
CREATE INDEX invoice_requests_created ON invoice_requests (tenant_id, created_at);

SELECT bazaar_isolate_by_tenant(ARRAY['shipping_profiles', 'shipping_zones', 'shipping_zone_regions', 'shipping_methods', 'tax_rates', 'invoice_requests']);
