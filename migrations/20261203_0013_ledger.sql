-- A double-entry ledger for money the platform owes its customers: gift cards, store credit, and
-- the part of an order paid with them. Every movement is a transfer of one amount in one currency
-- that writes two entries, the amount leaving one account (negative) and arriving at another
-- (positive); an account's balance column is the sum of its entries, kept in the statement that
-- writes them. Only the source accounts (the *_issuance kinds, where issued money comes from)
-- may go below zero; the CHECK refuses any other negative balance, whatever the code did.
--
-- Account ids are derived from what they hold, `kind:owner:currency` (`store_credit:cus_…:CNY`,
-- `gift_card_issuance::CNY`), so a writer names an account without looking it up, and creates it
-- by the same upsert that moves money into it.

CREATE TABLE IF NOT EXISTS ledger_accounts (
  tenant_id       text NOT NULL REFERENCES tenants (id),
  id              text NOT NULL,
  kind            text NOT NULL CHECK (kind ~ '^[a-z_]{1,40}$'),
  owner_id        text NOT NULL DEFAULT '',
  currency        text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  balance         bigint NOT NULL DEFAULT 0,
  may_go_negative boolean NOT NULL DEFAULT false,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CHECK (id = kind || ':' || owner_id || ':' || currency),
  CHECK (may_go_negative OR balance >= 0)
);
-- An order's tender accounts, a customer's credit: found by owner and kind.
CREATE INDEX IF NOT EXISTS ledger_accounts_owner ON ledger_accounts (tenant_id, owner_id, kind);

-- One row per request that moved money: its idempotency key (unique per platform) and a
-- fingerprint of its content, so a retry returns the first result and a reuse is refused.
CREATE TABLE IF NOT EXISTS ledger_operations (
  tenant_id       text NOT NULL REFERENCES tenants (id),
  id              text NOT NULL,
  idempotency_key text NOT NULL,
  kind            text NOT NULL,
  fingerprint     text NOT NULL,
  order_id        text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, idempotency_key)
);

-- The transfers of an operation, numbered by leg. tender_account_id names, for an order's
-- movements, the gift card or store-credit account the money belongs to, so a release or a
-- refund sends it back where it came from.
CREATE TABLE IF NOT EXISTS ledger_transfers (
  tenant_id         text NOT NULL REFERENCES tenants (id),
  operation_id      text NOT NULL,
  leg               smallint NOT NULL CHECK (leg >= 0),
  kind              text NOT NULL,
  currency          text NOT NULL,
  amount            bigint NOT NULL CHECK (amount > 0),
  order_id          text,
  tender_account_id text,
  memo              jsonb NOT NULL DEFAULT '{}',
  created_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, operation_id, leg),
  FOREIGN KEY (tenant_id, operation_id) REFERENCES ledger_operations (tenant_id, id)
);
CREATE INDEX IF NOT EXISTS ledger_transfers_order ON ledger_transfers (tenant_id, order_id) WHERE order_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS ledger_entries (
  tenant_id    text NOT NULL REFERENCES tenants (id),
  operation_id text NOT NULL,
  leg          smallint NOT NULL,
  account_id   text NOT NULL,
  amount       bigint NOT NULL CHECK (amount <> 0),
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, operation_id, leg, account_id),
  FOREIGN KEY (tenant_id, operation_id, leg) REFERENCES ledger_transfers (tenant_id, operation_id, leg),
  FOREIGN KEY (tenant_id, account_id) REFERENCES ledger_accounts (tenant_id, id)
);
CREATE INDEX IF NOT EXISTS ledger_entries_account ON ledger_entries (tenant_id, account_id, created_at DESC);

-- A gift card is a ledger account plus how to find it: only a hash of its code is stored (the code
-- is shown once, when issued), and its last four characters for staff to tell cards apart.
CREATE TABLE IF NOT EXISTS gift_cards (
  tenant_id      text NOT NULL REFERENCES tenants (id),
  id             text NOT NULL,
  code_hash      text NOT NULL,
  code_last4     text NOT NULL,
  currency       text NOT NULL,
  initial_amount bigint NOT NULL CHECK (initial_amount > 0),
  account_id     text NOT NULL,
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  expires_at     timestamptz,
  note           text,
  issued_by      text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, account_id) REFERENCES ledger_accounts (tenant_id, id)
);
CREATE UNIQUE INDEX IF NOT EXISTS gift_cards_code ON gift_cards (tenant_id, code_hash);
CREATE INDEX IF NOT EXISTS gift_cards_created ON gift_cards (tenant_id, created_at DESC);

SELECT bazaar_isolate_by_tenant(ARRAY['ledger_accounts', 'ledger_operations', 'ledger_transfers', 'ledger_entries', 'gift_cards'], '');
-- Operations, transfers and entries are history: the app may add to it, never change it.
GRANT SELECT, INSERT ON ledger_operations, ledger_transfers, ledger_entries TO bazaar_app;
GRANT SELECT, INSERT, UPDATE ON ledger_accounts, gift_cards TO bazaar_app;
