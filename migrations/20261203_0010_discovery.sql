-- Discovery: product attributes (brand is the attribute `brand`), tags, collections and the
-- best-selling counter behind the listing's facets and sorts.

-- Free-form labels a collection rule can select on (e.g. "new").
ALTER TABLE products ADD COLUMN IF NOT EXISTS tags text[] NOT NULL DEFAULT '{}';
CREATE INDEX IF NOT EXISTS products_tags ON products USING gin (tags);

-- An attribute staff define once per platform. A `choice` attribute lists its values (with a
-- localized name each); a `number` attribute takes any integer.
CREATE TABLE IF NOT EXISTS attributes (
  tenant_id  text NOT NULL REFERENCES tenants (id),
  id         text NOT NULL,
  code       text NOT NULL,
  name       jsonb NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('choice', 'number')),
  choices    jsonb NOT NULL DEFAULT '[]',
  position   integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, code)
);

-- One value per product and attribute: the choice's value, or the number.
CREATE TABLE IF NOT EXISTS product_attribute_values (
  tenant_id    text NOT NULL,
  product_id   text NOT NULL,
  attribute_id text NOT NULL,
  value_text   text,
  value_number bigint,
  PRIMARY KEY (tenant_id, product_id, attribute_id),
  FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, attribute_id) REFERENCES attributes (tenant_id, id) ON DELETE CASCADE,
  CHECK ((value_text IS NULL) <> (value_number IS NULL))
);
CREATE INDEX IF NOT EXISTS product_attribute_values_value ON product_attribute_values (tenant_id, attribute_id, value_text);

-- A collection is either a hand-picked, ordered list (collection_products) or a rule that is
-- evaluated when the listing is read (see catalog-read-model.ts for why).
CREATE TABLE IF NOT EXISTS collections (
  tenant_id   text NOT NULL REFERENCES tenants (id),
  id          text NOT NULL,
  slug        text NOT NULL,
  title       jsonb NOT NULL,
  description jsonb NOT NULL DEFAULT '{}',
  kind        text NOT NULL CHECK (kind IN ('manual', 'rule')),
  rule        jsonb,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, slug),
  CHECK ((kind = 'rule') = (rule IS NOT NULL))
);

CREATE TABLE IF NOT EXISTS collection_products (
  tenant_id     text NOT NULL,
  collection_id text NOT NULL,
  product_id    text NOT NULL,
  position      integer NOT NULL,
  PRIMARY KEY (tenant_id, collection_id, product_id),
  FOREIGN KEY (tenant_id, collection_id) REFERENCES collections (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS collection_products_product ON collection_products (tenant_id, product_id);

-- Units sold per product, kept by the catalog's subscriber to order.paid (one row update per
-- paid order line), so "best-selling" never scans orders.
CREATE TABLE IF NOT EXISTS product_sales (
  tenant_id  text NOT NULL,
  product_id text NOT NULL,
  units_sold bigint NOT NULL DEFAULT 0 CHECK (units_sold >= 0),
  PRIMARY KEY (tenant_id, product_id),
  FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id) ON DELETE CASCADE
);

SELECT bazaar_isolate_by_tenant(ARRAY['attributes', 'product_attribute_values', 'collections', 'collection_products', 'product_sales']);
