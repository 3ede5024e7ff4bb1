import { sql, type Selectable } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';
import type { CustomersTable, SessionKind, SessionsTable, StaffRole, StaffTable } from '../../infra/db/schema.ts';

export type CustomerRow = Selectable<CustomersTable>;
export type StaffRow = Selectable<StaffTable>;
export type SessionRow = Selectable<SessionsTable>;

export async function insertCustomer(
  tx: Tx,
  customer: { tenantId: string; id: string; email: string | null; phone: string | null; name: string | null; passwordHash: string },
): Promise<CustomerRow> {
  return tx.insertInto('customers').values(customer).returningAll().executeTakeFirstOrThrow();
}

export async function findCustomerByLogin(tx: Tx, login: { email?: string; phone?: string }): Promise<CustomerRow | undefined> {
  let query = tx.selectFrom('customers').selectAll();
  query = login.email
    ? query.where(sql<string>`lower(email)`, '=', login.email.toLowerCase())
    : query.where('phone', '=', login.phone ?? '');
  return query.executeTakeFirst();
}

export async function findCustomer(tx: Tx, id: string): Promise<CustomerRow | undefined> {
  return tx.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertStaff(
  tx: Tx,
  staff: { tenantId: string; id: string; email: string; name: string | null; passwordHash: string; role: StaffRole },
): Promise<StaffRow> {
  return tx.insertInto('staff').values(staff).returningAll().executeTakeFirstOrThrow();
}

export async function findStaffByEmail(tx: Tx, email: string): Promise<StaffRow | undefined> {
  return tx.selectFrom('staff').selectAll().where(sql<string>`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();
}

export async function findStaff(tx: Tx, id: string): Promise<StaffRow | undefined> {
  return tx.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listStaff(tx: Tx): Promise<StaffRow[]> {
  return tx.selectFrom('staff').selectAll().orderBy('createdAt').orderBy('id').execute();
}

export async function updateStaff(
  tx: Tx,
  id: string,
  changes: { role?: StaffRole; status?: 'active' | 'disabled'; name?: string | null },
): Promise<StaffRow | undefined> {
  return tx.updateTable('staff').set(changes).where('id', '=', id).returningAll().executeTakeFirst();
}

export async function countActiveOwners(tx: Tx): Promise<number> {
  const row = await tx
    .selectFrom('staff')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('role', '=', 'owner')
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function insertSession(
  tx: Tx,
  session: {
    tenantId: string;
    id: string;
    tokenHash: string;
    kind: SessionKind;
    subjectId: string;
    label: string | null;
    expiresAt: Date | null;
  },
): Promise<SessionRow> {
  return tx.insertInto('sessions').values(session).returningAll().executeTakeFirstOrThrow();
}

export async function findSessionByTokenHash(tx: Tx, tokenHash: string): Promise<SessionRow | undefined> {
  return tx.selectFrom('sessions').selectAll().where('tokenHash', '=', tokenHash).executeTakeFirst();
}

/** Revokes one live session; returns its id when it was live (and so is now revoked). */
export async function revokeSession(tx: Tx, id: string, at: Date, kind?: SessionKind): Promise<string[]> {
  let query = tx.updateTable('sessions').set({ revokedAt: at }).where('id', '=', id).where('revokedAt', 'is', null);
  if (kind) query = query.where('kind', '=', kind);
  return (await query.returning('id').execute()).map((row) => row.id);
}

/** Revokes every live session of an account but `keep`; returns the ids revoked. */
export async function revokeSessionsOf(tx: Tx, subjectId: string, at: Date, keep?: string): Promise<string[]> {
  let query = tx.updateTable('sessions').set({ revokedAt: at }).where('subjectId', '=', subjectId).where('revokedAt', 'is', null);
  if (keep) query = query.where('id', '<>', keep);
  return (await query.returning('id').execute()).map((row) => row.id);
}

export async function setCustomerPassword(tx: Tx, id: string, passwordHash: string): Promise<void> {
  await tx.updateTable('customers').set({ passwordHash }).where('id', '=', id).execute();
}

export async function setStaffPassword(tx: Tx, id: string, passwordHash: string): Promise<void> {
  await tx.updateTable('staff').set({ passwordHash }).where('id', '=', id).execute();
}

export async function listApiTokens(tx: Tx): Promise<SessionRow[]> {
  return tx.selectFrom('sessions').selectAll().where('kind', '=', 'api').orderBy('createdAt', 'desc').execute();
}

export interface TokenHolder {
  sessionId: string;
  kind: SessionKind;
  subjectId: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  /** The customer's or staff member's status; null when the account is gone. */
  subjectStatus: 'active' | 'disabled' | null;
  role: StaffRole | null;
}

/** The session behind a token and the account it speaks for, in one round trip. */
export async function findTokenHolder(tx: Tx, tokenHash: string): Promise<TokenHolder | undefined> {
  const result = await sql<TokenHolder>`
    select s.id as session_id, s.kind, s.subject_id, s.expires_at, s.revoked_at,
           coalesce(c.status, st.status) as subject_status, st.role
    from sessions s
    left join customers c on s.kind = 'customer' and c.tenant_id = s.tenant_id and c.id = s.subject_id
    left join staff st on s.kind <> 'customer' and st.tenant_id = s.tenant_id and st.id = s.subject_id
    where s.token_hash = ${tokenHash}`.execute(tx);
  return result.rows[0];
}

export interface CustomerProfileChanges {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
}

export async function updateCustomerProfile(tx: Tx, id: string, changes: CustomerProfileChanges): Promise<CustomerRow | undefined> {
  return tx.updateTable('customers').set(changes).where('id', '=', id).returningAll().executeTakeFirst();
}
