-- Outbox delivery horizon: delivery waits only on transactions that are writing events.
--
-- Until now dispatchers delivered below pg_snapshot_xmin(pg_current_snapshot()), which any open
-- transaction on the server holds back, in any database: an idle-in-transaction session of
-- another program stopped every platform's events. Now an event's seq is handed out by a trigger
-- that first announces the writing transaction with transaction-scoped advisory locks:
--
--   writer lock (class 738260001, key 0), shared: "this transaction is about to take a seq";
--   seq lock    (class 738260002, key = first seq mod 2^31-1): "and holds seqs from this one on".
--
-- outbox_delivery_horizon() reads the last seq handed out, then the locks. A writer that took a
-- seq at or below it had announced itself before, so it is either finished (its events are
-- visible to the next statement, or it rolled back) or still holds its seq lock, which bounds the
-- horizon. Only the few microseconds between the two locks are ambiguous; the function answers
-- NULL then and the dispatcher asks again. Advisory locks belong to one database, so nothing in
-- another database can hold delivery back, and neither can a transaction that writes no event.

CREATE SEQUENCE outbox_seq;
SELECT setval('outbox_seq', coalesce((SELECT max(seq) FROM outbox_events), 0) + 1, false);
ALTER TABLE outbox_events ALTER COLUMN seq DROP IDENTITY IF EXISTS;
GRANT USAGE, SELECT ON SEQUENCE outbox_seq TO bazaar_app;

-- Deliveries are read in seq order now; txid stays on the row for diagnosis only.
DROP INDEX IF EXISTS outbox_events_order;
CREATE INDEX outbox_events_seq ON outbox_events (seq);

CREATE FUNCTION outbox_assign_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('bazaar.outbox_seq_held', true), '') = '' THEN
    -- The first event of this transaction: announce, take a seq, hold it. Later events of the
    -- same transaction get larger seqs, so the first one's lock bounds them all.
    PERFORM pg_advisory_xact_lock_shared(738260001, 0);
    NEW.seq := nextval('outbox_seq');
    PERFORM pg_advisory_xact_lock_shared(738260002, (NEW.seq % 2147483647)::int);
    PERFORM set_config('bazaar.outbox_seq_held', 'on', true);
  ELSE
    NEW.seq := nextval('outbox_seq');
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER outbox_assign_seq BEFORE INSERT ON outbox_events
  FOR EACH ROW EXECUTE FUNCTION outbox_assign_seq();

-- The highest seq below which every event is settled (committed and visible, or rolled back);
-- NULL while a writer sits between its two locks.
CREATE FUNCTION outbox_delivery_horizon() RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  allocated bigint;
  unannounced boolean;
  lowest_held bigint;
BEGIN
  SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END INTO allocated FROM outbox_seq;
  WITH held AS (
    SELECT pid, classid::bigint AS class, objid::bigint AS key
    FROM pg_locks
    WHERE locktype = 'advisory' AND objsubid = 2 AND granted
      AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND classid::bigint IN (738260001, 738260002)
  ),
  -- The seq a seq lock stands for: the number congruent to its key nearest to `allocated`.
  seqs AS (
    SELECT pid, allocated + CASE WHEN d <= 1073741823 THEN d ELSE d - 2147483647 END AS seq
    FROM (SELECT pid, ((key - allocated) % 2147483647 + 2147483647) % 2147483647 AS d
          FROM held WHERE class = 738260002) k
  )
  SELECT
    EXISTS (SELECT 1 FROM held w WHERE w.class = 738260001 AND NOT EXISTS (SELECT 1 FROM seqs s WHERE s.pid = w.pid)),
    (SELECT min(seq) FROM seqs WHERE seq <= allocated)
  INTO unannounced, lowest_held;
  IF unannounced THEN
    RETURN NULL;
  END IF;
  RETURN least(allocated, lowest_held - 1);
END
$$;

-- Checkpoints become a seq alone. The old ones were (txid, seq) positions; resume each from just
-- before the first event it had not reached, so nothing is skipped (a few may come again, which
-- consumers dedupe).
UPDATE outbox_checkpoints c
SET last_seq = coalesce(
  (SELECT min(e.seq) - 1 FROM outbox_events e WHERE (e.txid, e.seq) > (c.last_txid, c.last_seq)),
  (SELECT max(e.seq) FROM outbox_events e),
  0);
ALTER TABLE outbox_checkpoints DROP COLUMN last_txid;
