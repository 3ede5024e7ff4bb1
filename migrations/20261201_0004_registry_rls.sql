-- The platform registry under row-level security. Reading stays open to the app role: a request
-- is resolved to its platform by host or slug before any tenant context exists. Writing is not:
-- a platform's own transaction may change only its own row (its settings), and platforms and
-- their domains are registered only in a transaction that sets app.registry_writer (platform
-- creation), and only for the platform that transaction is for.

ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
ALTER TABLE tenant_domains ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_domains FORCE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS registry_read ON tenants;
CREATE POLICY registry_read ON tenants FOR SELECT USING (true);
DROP POLICY IF EXISTS registry_read ON tenant_domains;
CREATE POLICY registry_read ON tenant_domains FOR SELECT USING (true);

DROP POLICY IF EXISTS registry_insert ON tenants;
CREATE POLICY registry_insert ON tenants FOR INSERT
  WITH CHECK (current_setting('app.registry_writer', true) = 'on' AND id = current_setting('app.tenant_id', true));
DROP POLICY IF EXISTS registry_insert ON tenant_domains;
CREATE POLICY registry_insert ON tenant_domains FOR INSERT
  WITH CHECK (current_setting('app.registry_writer', true) = 'on' AND tenant_id = current_setting('app.tenant_id', true));

DROP POLICY IF EXISTS own_platform_update ON tenants;
CREATE POLICY own_platform_update ON tenants FOR UPDATE
  USING (id = current_setting('app.tenant_id', true))
  WITH CHECK (id = current_setting('app.tenant_id', true));

-- Only what settings changes touch; slug, status and domains are not a platform's to rewrite.
REVOKE UPDATE ON tenants, tenant_domains FROM bazaar_app;
GRANT UPDATE (name, settings, updated_at) ON tenants TO bazaar_app;
