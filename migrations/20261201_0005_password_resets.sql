-- One-time password-reset tokens for customers and staff. Only a hash of the token is stored, so
-- a database leak yields no usable link; a token is spent by setting used_at, once.

CREATE TABLE IF NOT EXISTS password_resets (
  tenant_id    text NOT NULL REFERENCES tenants (id),
  id           text NOT NULL,
  token_hash   text NOT NULL,
  account_kind text NOT NULL CHECK (account_kind IN ('customer', 'staff')),
  account_id   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  used_at      timestamptz,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX IF NOT EXISTS password_resets_token ON password_resets (tenant_id, token_hash);

ALTER TABLE password_resets ENABLE ROW LEVEL SECURITY;
ALTER TABLE password_resets FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON password_resets;
CREATE POLICY tenant_isolation ON password_resets USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON password_resets TO bazaar_app;
