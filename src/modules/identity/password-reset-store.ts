import type { Selectable } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';

export interface PasswordResetsTable {
  tenantId: string;
  id: string;
  tokenHash: string;
  accountKind: 'customer' | 'staff';
  accountId: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

export type PasswordResetRow = Selectable<PasswordResetsTable>;

export async function insertReset(tx: Tx, reset: PasswordResetsTable): Promise<void> {
  await tx.insertInto('passwordResets').values(reset).execute();
}

export async function findReset(tx: Tx, tokenHash: string): Promise<PasswordResetRow | undefined> {
  return tx.selectFrom('passwordResets').selectAll().where('tokenHash', '=', tokenHash).executeTakeFirst();
}

/** Spends the token; false when another request spent it first. */
export async function markUsed(tx: Tx, id: string, at: Date): Promise<boolean> {
  const result = await tx.updateTable('passwordResets').set({ usedAt: at }).where('id', '=', id).where('usedAt', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
