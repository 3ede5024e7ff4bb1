import { sql } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';

export interface GiftCardsTable {
  tenantId: string;
  id: string;
  codeHash: string;
  codeLast4: string;
  currency: string;
  initialAmount: number;
  accountId: string;
  status: 'active' | 'disabled';
  expiresAt: Date | null;
  note: string | null;
  issuedBy: string | null;
  createdAt: Date;
}

export interface GiftCardRow {
  id: string;
  codeLast4: string;
  currency: string;
  initialAmount: number;
  accountId: string;
  status: 'active' | 'disabled';
  expiresAt: Date | null;
  note: string | null;
  createdAt: Date;
  balance: number;
}

function cardsWithBalance(tx: Tx) {
  return tx
    .selectFrom('giftCards as g')
    .innerJoin('ledgerAccounts as a', 'a.id', 'g.accountId')
    .select(['g.id', 'g.codeLast4', 'g.currency', 'g.initialAmount', 'g.accountId', 'g.status', 'g.expiresAt', 'g.note', 'g.createdAt', 'a.balance']);
}

export async function findCardByHash(tx: Tx, codeHash: string): Promise<GiftCardRow | undefined> {
  return cardsWithBalance(tx).where('g.codeHash', '=', codeHash).executeTakeFirst();
}

export async function findCard(tx: Tx, id: string): Promise<GiftCardRow | undefined> {
  return cardsWithBalance(tx).where('g.id', '=', id).executeTakeFirst();
}

/** Newest first; `search` matches the last four characters, the note, or the id. */
export async function listCards(tx: Tx, filter: { search?: string | undefined; status?: 'active' | 'disabled' | undefined; limit: number }): Promise<GiftCardRow[]> {
  let query = cardsWithBalance(tx).orderBy('g.createdAt', 'desc').orderBy('g.id', 'desc').limit(filter.limit);
  if (filter.status) query = query.where('g.status', '=', filter.status);
  const search = filter.search?.trim();
  if (search) {
    const pattern = `%${search.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    query = query.where((eb) => eb.or([eb('g.codeLast4', '=', search.toUpperCase()), eb('g.note', 'ilike', pattern), eb('g.id', '=', search)]));
  }
  return query.execute();
}

export async function setCardStatus(tx: Tx, id: string, status: 'active' | 'disabled'): Promise<boolean> {
  const result = await tx.updateTable('giftCards').set({ status }).where('id', '=', id).where('status', '<>', status).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The card row written beside its issuance, in the same statement (see `moveMoney`'s `alongside`). */
export function insertCardAlongside(card: Omit<GiftCardsTable, 'tenantId'>) {
  return sql`card as (
      insert into gift_cards (tenant_id, id, code_hash, code_last4, currency, initial_amount, account_id, status, expires_at, note, issued_by, created_at)
      select current_setting('app.tenant_id', true), ${card.id}, ${card.codeHash}, ${card.codeLast4}, ${card.currency}, ${card.initialAmount}::bigint,
        ${card.accountId}, ${card.status}, ${card.expiresAt}::timestamptz, ${card.note}::text, ${card.issuedBy}::text, ${card.createdAt}::timestamptz
      where exists (select 1 from claim)
    ),`;
}
