-- What gift cards and store credit cover of an order (held on the ledger at checkout, captured
-- when the order is paid, released when it is cancelled); the payment provider takes the rest.
ALTER TABLE orders ADD COLUMN tender_total bigint NOT NULL DEFAULT 0;
ALTER TABLE orders ADD CONSTRAINT orders_tender_within_total CHECK (tender_total >= 0 AND tender_total <= total);

-- A refund's parts: paid by card and returned through the provider (`provider`) or as store
-- credit; paid by gift cards and store credit and returned to them (`tenders`) or as store
-- credit. A part paid with tenders names no payment.
ALTER TABLE refunds ALTER COLUMN payment_id DROP NOT NULL;
ALTER TABLE refunds ADD COLUMN destination text NOT NULL DEFAULT 'provider' CHECK (destination IN ('provider', 'tenders', 'store_credit'));
