import { sql, type Selectable } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';
import type { CustomerGroupsTable, PriceListPricesTable, PriceListsTable } from '../../infra/db/schema.ts';
import { bestListEntry, type PricingContext } from './price-lists.ts';

export type GroupRow = Selectable<CustomerGroupsTable>;
export type PriceListRow = Selectable<PriceListsTable>;
export type PriceRow = Selectable<PriceListPricesTable>;

// Groups and their members ------------------------------------------------------------------

export async function listGroups(tx: Tx): Promise<(GroupRow & { members: number })[]> {
  const rows = await tx
    .selectFrom('customerGroups as g')
    .selectAll('g')
    .select((eb) => eb.selectFrom('customerGroupMembers as m').select(eb.fn.countAll<number>().as('n')).whereRef('m.groupId', '=', 'g.id').as('members'))
    .orderBy('g.code')
    .execute();
  return rows.map((row) => ({ ...row, members: Number(row.members ?? 0) }));
}

export async function insertGroup(tx: Tx, row: GroupRow): Promise<GroupRow | undefined> {
  return tx
    .insertInto('customerGroups')
    .values({ ...row, name: JSON.stringify(row.name) })
    .onConflict((oc) => oc.columns(['tenantId', 'code']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function findGroup(tx: Tx, id: string): Promise<GroupRow | undefined> {
  return tx.selectFrom('customerGroups').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deleteGroup(tx: Tx, id: string): Promise<boolean> {
  return Number((await tx.deleteFrom('customerGroups').where('id', '=', id).executeTakeFirst()).numDeletedRows) > 0;
}

/** The customers of this platform among `customerIds`, by id. */
export async function existingCustomers(tx: Tx, customerIds: string[]): Promise<Set<string>> {
  if (customerIds.length === 0) return new Set();
  const rows = await tx.selectFrom('customers').select('id').where('id', 'in', customerIds).execute();
  return new Set(rows.map((row) => row.id));
}

/** Customers by email (case-insensitive), for staff who know their customers by it. */
export async function customersByEmail(tx: Tx, emails: string[]): Promise<Map<string, string>> {
  if (emails.length === 0) return new Map();
  const rows = await tx.selectFrom('customers').select(['id', 'email']).where(sql`lower(email)`, 'in', emails.map((e) => e.toLowerCase())).execute();
  return new Map(rows.map((row) => [row.email!.toLowerCase(), row.id]));
}

export async function addMembers(tx: Tx, tenantId: string, groupId: string, customerIds: string[], at: Date): Promise<number> {
  if (customerIds.length === 0) return 0;
  const result = await tx
    .insertInto('customerGroupMembers')
    .values(customerIds.map((customerId) => ({ tenantId, groupId, customerId, addedAt: at })))
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

export async function removeMember(tx: Tx, groupId: string, customerId: string): Promise<boolean> {
  const result = await tx.deleteFrom('customerGroupMembers').where('groupId', '=', groupId).where('customerId', '=', customerId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listMembers(tx: Tx, groupId: string, limit: number): Promise<{ customerId: string; email: string | null; phone: string | null; name: string | null; addedAt: Date }[]> {
  return tx
    .selectFrom('customerGroupMembers as m')
    .innerJoin('customers as c', (join) => join.onRef('c.tenantId', '=', 'm.tenantId').onRef('c.id', '=', 'm.customerId'))
    .select(['m.customerId', 'c.email', 'c.phone', 'c.name', 'm.addedAt'])
    .where('m.groupId', '=', groupId)
    .orderBy('m.addedAt', 'desc')
    .limit(limit)
    .execute();
}

export async function groupsOf(tx: Tx, customerId: string): Promise<GroupRow[]> {
  return tx
    .selectFrom('customerGroups as g')
    .innerJoin('customerGroupMembers as m', (join) => join.onRef('m.tenantId', '=', 'g.tenantId').onRef('m.groupId', '=', 'g.id'))
    .selectAll('g')
    .where('m.customerId', '=', customerId)
    .orderBy('g.code')
    .execute();
}

// Price lists ----------------------------------------------------------------------------------

export async function listPriceLists(tx: Tx): Promise<(PriceListRow & { prices: number })[]> {
  const rows = await tx
    .selectFrom('priceLists as l')
    .selectAll('l')
    .select((eb) => eb.selectFrom('priceListPrices as p').select(eb.fn.countAll<number>().as('n')).whereRef('p.priceListId', '=', 'l.id').as('prices'))
    .orderBy('l.createdAt', 'desc')
    .execute();
  return rows.map((row) => ({ ...row, prices: Number(row.prices ?? 0) }));
}

export async function findPriceList(tx: Tx, id: string, options: { lock?: boolean } = {}): Promise<PriceListRow | undefined> {
  const query = tx.selectFrom('priceLists').selectAll().where('id', '=', id);
  return (options.lock ? query.forUpdate() : query).executeTakeFirst();
}

export async function insertPriceList(tx: Tx, row: PriceListRow): Promise<void> {
  await tx.insertInto('priceLists').values(row).execute();
}

export async function updatePriceList(tx: Tx, id: string, changes: Partial<Pick<PriceListRow, 'name' | 'startsAt' | 'endsAt' | 'status'>>, at: Date): Promise<PriceListRow> {
  return tx.updateTable('priceLists').set({ ...changes, updatedAt: at }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function deletePriceList(tx: Tx, id: string): Promise<boolean> {
  return Number((await tx.deleteFrom('priceLists').where('id', '=', id).executeTakeFirst()).numDeletedRows) > 0;
}

export async function pricesOf(tx: Tx, priceListId: string): Promise<(PriceRow & { sku: string })[]> {
  return tx
    .selectFrom('priceListPrices as p')
    .innerJoin('variants as v', (join) => join.onRef('v.tenantId', '=', 'p.tenantId').onRef('v.id', '=', 'p.variantId'))
    .selectAll('p')
    .select('v.sku')
    .where('p.priceListId', '=', priceListId)
    .orderBy('v.sku')
    .orderBy('p.minQuantity')
    .execute();
}

/** Which of `variantIds` exist on this platform and have a catalog price in `currency`. */
export async function pricedVariants(tx: Tx, variantIds: string[], currency: string): Promise<Set<string>> {
  if (variantIds.length === 0) return new Set();
  const rows = await tx.selectFrom('variantPrices').select('variantId').where('variantId', 'in', variantIds).where('currency', '=', currency).execute();
  return new Set(rows.map((row) => row.variantId));
}

export async function replacePrices(tx: Tx, tenantId: string, priceListId: string, prices: Omit<PriceRow, 'tenantId' | 'priceListId'>[]): Promise<void> {
  await tx.deleteFrom('priceListPrices').where('priceListId', '=', priceListId).execute();
  if (prices.length > 0) await tx.insertInto('priceListPrices').values(prices.map((price) => ({ ...price, tenantId, priceListId }))).execute();
}

/** Serializes price-list writes of a platform, so that the overlap check can't be raced. */
export async function lockPriceLists(tx: Tx, tenantId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`price-lists:${tenantId}`}))`.execute(tx);
}

/**
 * Entries of other active lists for the same audience and currency whose windows overlap
 * `window` and that price one of the same variants at the same tier: with both, which price
 * applies would depend on which happens to be lower, so the second is refused.
 */
export async function overlappingEntries(
  tx: Tx,
  list: { id: string; groupId: string | null; currency: string; startsAt: Date | null; endsAt: Date | null },
  entries: { variantId: string; minQuantity: number }[],
): Promise<{ priceListId: string; name: string; variantId: string; minQuantity: number }[]> {
  if (entries.length === 0) return [];
  const result = await sql<{ priceListId: string; name: string; variantId: string; minQuantity: number }>`
    select l.id as price_list_id, l.name, p.variant_id, p.min_quantity
    from price_lists l
    join price_list_prices p on p.tenant_id = l.tenant_id and p.price_list_id = l.id
    join unnest(${entries.map((e) => e.variantId)}::text[], ${entries.map((e) => e.minQuantity)}::int[]) as e(variant_id, min_quantity)
      on e.variant_id = p.variant_id and e.min_quantity = p.min_quantity
    where l.id <> ${list.id} and l.status = 'active' and l.currency = ${list.currency}
      and l.group_id is not distinct from ${list.groupId}
      and tstzrange(l.starts_at, l.ends_at) && tstzrange(${list.startsAt}::timestamptz, ${list.endsAt}::timestamptz)
    order by l.name, p.variant_id
    limit 20`.execute(tx);
  return result.rows;
}

/** What `customerId` pays for each variant at `quantity` 1, now: for the storefront's price display. */
export async function effectivePrices(
  tx: Tx,
  variantIds: string[],
  currency: string,
  context: PricingContext,
): Promise<{ variantId: string; amount: number; listPrice: number | null; compareAt: number | null; priceListId: string | null }[]> {
  const result = await sql<{ variantId: string; base: string; amount: string | null; priceListId: string | null; compareAt: string | null }>`
    select vp.variant_id, vp.amount as base, lp.amount, lp.price_list_id, lp.compare_at
    from variant_prices vp
    left join lateral ${bestListEntry(sql`vp.variant_id`, sql`1`, sql`vp.currency`, context)} lp on true
    where vp.variant_id = any(${variantIds}::text[]) and vp.currency = ${currency}`.execute(tx);
  return result.rows.map((row) => {
    const base = Number(row.base);
    const listed = row.amount !== null && Number(row.amount) < base;
    return {
      variantId: row.variantId,
      amount: listed ? Number(row.amount) : base,
      listPrice: listed ? base : null,
      compareAt: listed ? (row.compareAt !== null ? Number(row.compareAt) : base) : null,
      priceListId: listed ? row.priceListId : null,
    };
  });
}

/**
 * The lowest price this shopper pays for any variant of each product, beside the lowest catalog
 * price: what a product card shows ("from"). Products a list makes no cheaper are left out.
 */
export async function effectiveProductPrices(
  tx: Tx,
  productIds: string[],
  currency: string,
  context: PricingContext,
): Promise<{ productId: string; amount: number; compareAt: number }[]> {
  const result = await sql<{ productId: string; amount: string; catalog: string }>`
    select v.product_id, min(case when lp.amount < vp.amount then lp.amount else vp.amount end)::text as amount, min(vp.amount)::text as catalog
    from variants v
    join variant_prices vp on vp.tenant_id = v.tenant_id and vp.variant_id = v.id and vp.currency = ${currency}
    left join lateral ${bestListEntry(sql`v.id`, sql`1`, sql`vp.currency`, context)} lp on true
    where v.product_id = any(${productIds}::text[])
    group by v.product_id`.execute(tx);
  return result.rows
    .map((row) => ({ productId: row.productId, amount: Number(row.amount), compareAt: Number(row.catalog) }))
    .filter((row) => row.amount < row.compareAt);
}
