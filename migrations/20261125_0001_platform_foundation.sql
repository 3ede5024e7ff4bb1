-- Platform foundation: the platform registry, identity and catalog.
--
-- Isolation is enforced by PostgreSQL: every tenant-owned table has tenant_id first in its
-- primary key and a row-level-security policy on the per-transaction setting app.tenant_id.
-- The application runs its transactions as the role bazaar_app, which does not own the tables
-- (the migrating role does), so the policies apply to it.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

DO $$
BEGIN
  CREATE ROLE bazaar_app NOLOGIN;
EXCEPTION
  -- Another database on the same server (or a parallel migration) created it first.
  WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;

DO $$
BEGIN
  -- A non-superuser migrating role must be a member to SET ROLE bazaar_app.
  EXECUTE format('GRANT bazaar_app TO %I', current_user);
EXCEPTION
  WHEN OTHERS THEN NULL;
END
$$;

GRANT USAGE ON SCHEMA public TO bazaar_app;

-- Platforms (tenants). The registry itself is not tenant-owned: a request is resolved to its
-- platform by host or slug before any tenant context exists.
CREATE TABLE tenants (
  id               text PRIMARY KEY,
  slug             text NOT NULL UNIQUE,
  name             text NOT NULL,
  status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  default_currency text NOT NULL,
  default_locale   text NOT NULL,
  -- The metadata document as validated: currencies, locales, modules, quotas, theme.
  settings         jsonb NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tenant_domains (
  domain    text PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE
);
CREATE INDEX tenant_domains_tenant ON tenant_domains (tenant_id);

GRANT SELECT, INSERT, UPDATE ON tenants, tenant_domains TO bazaar_app;

-- Identity ---------------------------------------------------------------------------------

CREATE TABLE customers (
  tenant_id     text NOT NULL REFERENCES tenants (id),
  id            text NOT NULL,
  email         text,
  phone         text,
  name          text,
  password_hash text NOT NULL,
  status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CHECK (email IS NOT NULL OR phone IS NOT NULL)
);
CREATE UNIQUE INDEX customers_email ON customers (tenant_id, lower(email)) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX customers_phone ON customers (tenant_id, phone) WHERE phone IS NOT NULL;

CREATE TABLE staff (
  tenant_id     text NOT NULL REFERENCES tenants (id),
  id            text NOT NULL,
  email         text NOT NULL,
  name          text,
  password_hash text NOT NULL,
  role          text NOT NULL CHECK (role IN ('owner', 'admin', 'operator', 'viewer')),
  status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX staff_email ON staff (tenant_id, lower(email));

-- Login sessions of customers and staff, and long-lived API tokens of staff. Only a hash of
-- the secret is stored.
CREATE TABLE sessions (
  tenant_id    text NOT NULL REFERENCES tenants (id),
  id           text NOT NULL,
  token_hash   text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('customer', 'staff', 'api')),
  subject_id   text NOT NULL,
  label        text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz,
  revoked_at   timestamptz,
  last_used_at timestamptz,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX sessions_token ON sessions (tenant_id, token_hash);
CREATE INDEX sessions_subject ON sessions (tenant_id, subject_id);

-- Catalog ----------------------------------------------------------------------------------

CREATE TABLE categories (
  tenant_id  text NOT NULL REFERENCES tenants (id),
  id         text NOT NULL,
  parent_id  text,
  slug       text NOT NULL,
  name       jsonb NOT NULL,
  position   integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, slug),
  FOREIGN KEY (tenant_id, parent_id) REFERENCES categories (tenant_id, id)
);

CREATE TABLE products (
  tenant_id     text NOT NULL REFERENCES tenants (id),
  id            text NOT NULL,
  slug          text NOT NULL,
  title         jsonb NOT NULL,
  description   jsonb NOT NULL DEFAULT '{}',
  status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'archived')),
  category_id   text,
  options       jsonb NOT NULL DEFAULT '[]',
  images        jsonb NOT NULL DEFAULT '[]',
  -- Every localized title and description, lower-cased: the text that search matches.
  search_text   text NOT NULL DEFAULT '',
  search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, slug),
  FOREIGN KEY (tenant_id, category_id) REFERENCES categories (tenant_id, id)
);
CREATE INDEX products_newest ON products (tenant_id, status, created_at DESC, id DESC);
CREATE INDEX products_category ON products (tenant_id, category_id);
CREATE INDEX products_search_trgm ON products USING gin (search_text gin_trgm_ops);
CREATE INDEX products_search_fts ON products USING gin (search_vector);

CREATE TABLE variants (
  tenant_id     text NOT NULL,
  id            text NOT NULL,
  product_id    text NOT NULL,
  sku           text NOT NULL,
  option_values jsonb NOT NULL DEFAULT '{}',
  position      integer NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, sku),
  FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX variants_product ON variants (tenant_id, product_id);

-- Prices in integer minor units, one per currency.
CREATE TABLE variant_prices (
  tenant_id  text NOT NULL,
  variant_id text NOT NULL,
  currency   text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  amount     bigint NOT NULL CHECK (amount >= 0),
  PRIMARY KEY (tenant_id, variant_id, currency),
  FOREIGN KEY (tenant_id, variant_id) REFERENCES variants (tenant_id, id) ON DELETE CASCADE
);

-- Row-level security on every tenant-owned table.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['customers', 'staff', 'sessions', 'categories', 'products', 'variants', 'variant_prices']
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
