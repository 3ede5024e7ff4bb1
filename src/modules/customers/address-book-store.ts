import { sql, type ColumnType, type Selectable } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';
import type { ShippingAddress } from '../../infra/db/schema.ts';

type Json<T> = ColumnType<T, string, string>;

export interface CustomerAddressesTable {
  tenantId: string;
  id: string;
  customerId: string;
  /** In checkout's shipping-address shape (ShippingAddressSchema). */
  address: Json<ShippingAddress>;
  isDefault: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export type AddressRow = Selectable<CustomerAddressesTable>;

/**
 * Serializes the changes to one customer's address book, so the limit can't be raced and the
 * default moves in one order; the partial unique index still refuses two defaults whatever runs.
 */
export async function lockAddressBook(tx: Tx, tenantId: string, customerId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`customer-addresses:${tenantId}:${customerId}`}))`.execute(tx);
}

/** The default first, then the newest. */
export async function listAddresses(tx: Tx, customerId: string): Promise<AddressRow[]> {
  return tx
    .selectFrom('customerAddresses')
    .selectAll()
    .where('customerId', '=', customerId)
    .orderBy('isDefault', 'desc')
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export async function findAddress(tx: Tx, customerId: string, id: string): Promise<AddressRow | undefined> {
  return tx.selectFrom('customerAddresses').selectAll().where('customerId', '=', customerId).where('id', '=', id).executeTakeFirst();
}

export async function countAddresses(tx: Tx, customerId: string): Promise<{ count: number; defaultId: string | null }> {
  const row = await tx
    .selectFrom('customerAddresses')
    .select((eb) => [eb.fn.countAll<number>().as('count'), sql<string | null>`max(id) filter (where is_default)`.as('defaultId')])
    .where('customerId', '=', customerId)
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), defaultId: row.defaultId };
}

export async function insertAddress(
  tx: Tx,
  row: { tenantId: string; id: string; customerId: string; address: ShippingAddress; isDefault: boolean; at: Date },
): Promise<AddressRow> {
  return tx
    .insertInto('customerAddresses')
    .values({
      tenantId: row.tenantId,
      id: row.id,
      customerId: row.customerId,
      address: JSON.stringify(row.address),
      isDefault: row.isDefault,
      createdAt: row.at,
      updatedAt: row.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function replaceAddress(tx: Tx, customerId: string, id: string, address: ShippingAddress, at: Date): Promise<AddressRow | undefined> {
  return tx
    .updateTable('customerAddresses')
    .set({ address: JSON.stringify(address), updatedAt: at })
    .where('customerId', '=', customerId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteAddress(tx: Tx, customerId: string, id: string): Promise<{ isDefault: boolean } | undefined> {
  return tx.deleteFrom('customerAddresses').where('customerId', '=', customerId).where('id', '=', id).returning('isDefault').executeTakeFirst();
}

/** Takes the default from whichever address has it; run before giving it to another. */
export async function clearDefault(tx: Tx, customerId: string, at: Date): Promise<void> {
  await tx.updateTable('customerAddresses').set({ isDefault: false, updatedAt: at }).where('customerId', '=', customerId).where('isDefault', '=', true).execute();
}

export async function setDefault(tx: Tx, customerId: string, id: string, at: Date): Promise<AddressRow | undefined> {
  return tx
    .updateTable('customerAddresses')
    .set({ isDefault: true, updatedAt: at })
    .where('customerId', '=', customerId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Makes the newest address the default; undefined when none is left. */
export async function promoteNewest(tx: Tx, customerId: string, at: Date): Promise<AddressRow | undefined> {
  const newest = await tx
    .selectFrom('customerAddresses')
    .select('id')
    .where('customerId', '=', customerId)
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return newest && setDefault(tx, customerId, newest.id, at);
}
