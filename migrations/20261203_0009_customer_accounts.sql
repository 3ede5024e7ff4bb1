-- The customer's own account: an address book and a wishlist.
--
-- Addresses are kept in the shape checkout takes (the `address` jsonb is what orders keep as
-- shipping_address), so a saved address goes to checkout as it is. A customer has at most one
-- default address: the partial unique index is the guard, whatever the service does; the service
-- keeps one default while any address exists. Both tables go with their customer.

CREATE TABLE IF NOT EXISTS customer_addresses (
  tenant_id   text NOT NULL REFERENCES tenants (id),
  id          text NOT NULL,
  customer_id text NOT NULL,
  address     jsonb NOT NULL,
  is_default  boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS customer_addresses_customer ON customer_addresses (tenant_id, customer_id, created_at);
CREATE UNIQUE INDEX IF NOT EXISTS customer_addresses_one_default ON customer_addresses (tenant_id, customer_id) WHERE is_default;

CREATE TABLE IF NOT EXISTS wishlist_items (
  tenant_id   text NOT NULL REFERENCES tenants (id),
  customer_id text NOT NULL,
  product_id  text NOT NULL,
  added_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, customer_id, product_id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id) ON DELETE CASCADE
);

SELECT bazaar_isolate_by_tenant(ARRAY['customer_addresses', 'wishlist_items']);
