-- Uploaded files and product reviews.
--
-- A file's bytes live in the file store (local disk or an S3-compatible bucket) under
-- storage_key; this table says which platform owns it, what it is, and what it is attached to.
-- An upload nobody attached within a day is swept (bytes and row).
CREATE TABLE files (
  tenant_id    text NOT NULL REFERENCES tenants (id),
  id           text NOT NULL,
  storage_key  text NOT NULL,
  purpose      text NOT NULL CHECK (purpose IN ('review_photo')),
  content_type text NOT NULL,
  size_bytes   integer NOT NULL CHECK (size_bytes > 0),
  sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  uploaded_by  text NOT NULL,
  attached_to  text,
  attached_at  timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, storage_key),
  CHECK ((attached_to IS NULL) = (attached_at IS NULL))
);
CREATE INDEX files_unattached ON files (tenant_id, created_at) WHERE attached_to IS NULL;
CREATE INDEX files_attached ON files (tenant_id, attached_to) WHERE attached_to IS NOT NULL;

-- One review per customer and product; only approved ones are public.
CREATE TABLE reviews (
  tenant_id     text NOT NULL REFERENCES tenants (id),
  id            text NOT NULL,
  product_id    text NOT NULL,
  customer_id   text NOT NULL,
  rating        smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  title         text NOT NULL,
  body          text NOT NULL,
  photo_ids     jsonb NOT NULL DEFAULT '[]',
  status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  reject_reason text,
  moderated_by  text,
  moderated_at  timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, product_id, customer_id),
  FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
CREATE INDEX reviews_public ON reviews (tenant_id, product_id, id DESC) WHERE status = 'approved';
CREATE INDEX reviews_queue ON reviews (tenant_id, status, id);

-- The approved reviews' count and rating sum per product, kept by the moderation transaction so
-- product pages and listings read two numbers instead of aggregating reviews per request.
CREATE TABLE product_rating_summaries (
  tenant_id    text NOT NULL,
  product_id   text NOT NULL,
  review_count integer NOT NULL DEFAULT 0 CHECK (review_count >= 0),
  rating_total integer NOT NULL DEFAULT 0 CHECK (rating_total >= 0),
  PRIMARY KEY (tenant_id, product_id),
  FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id)
);

SELECT bazaar_isolate_by_tenant(ARRAY['files', 'reviews', 'product_rating_summaries']);
