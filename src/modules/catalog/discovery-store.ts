import { sql, type ColumnType } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';
import type { LocalizedText } from '../../infra/db/schema.ts';

/** Writes and small reads of attributes, collections and the sales counter. */

type Json<T> = ColumnType<T, string, string>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type AttributeKind = 'choice' | 'number';

export interface AttributeChoice {
  value: string;
  name: LocalizedText;
}

export interface AttributesTable {
  tenantId: string;
  id: string;
  code: string;
  name: Json<LocalizedText>;
  kind: AttributeKind;
  choices: Json<AttributeChoice[]>;
  position: number;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface ProductAttributeValuesTable {
  tenantId: string;
  productId: string;
  attributeId: string;
  valueText: string | null;
  valueNumber: number | null;
}

/** What a rule collection selects: every given condition must hold. */
export interface CollectionRule {
  tags?: string[] | undefined;
  attribute?: { code: string; values: string[] } | undefined;
  priceBelow?: { currency: string; amount: number } | undefined;
  categoryId?: string | undefined;
}

export interface CollectionsTable {
  tenantId: string;
  id: string;
  slug: string;
  title: Json<LocalizedText>;
  description: Json<LocalizedText>;
  kind: 'manual' | 'rule';
  rule: ColumnType<CollectionRule | null, string | null, string | null>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface CollectionProductsTable {
  tenantId: string;
  collectionId: string;
  productId: string;
  position: number;
}

export interface ProductSalesTable {
  tenantId: string;
  productId: string;
  unitsSold: number;
}

export interface AttributeRecord {
  id: string;
  code: string;
  name: LocalizedText;
  kind: AttributeKind;
  choices: AttributeChoice[];
  position: number;
}

export interface CollectionRecord {
  id: string;
  slug: string;
  title: LocalizedText;
  description: LocalizedText;
  kind: 'manual' | 'rule';
  rule: CollectionRule | null;
  /** The hand-picked products in their order; empty for a rule collection. */
  productIds: string[];
  updatedAt: Date;
}

export async function listAttributes(tx: Tx): Promise<AttributeRecord[]> {
  return tx
    .selectFrom('attributes')
    .select(['id', 'code', 'name', 'kind', 'choices', 'position'])
    .orderBy('position')
    .orderBy('code')
    .execute();
}

export async function attributeCodeTaken(tx: Tx, code: string): Promise<boolean> {
  return (await tx.selectFrom('attributes').select('id').where('code', '=', code).executeTakeFirst()) !== undefined;
}

export async function insertAttribute(tx: Tx, tenantId: string, attribute: AttributeRecord, at: Date): Promise<void> {
  await tx
    .insertInto('attributes')
    .values({ tenantId, ...attribute, name: JSON.stringify(attribute.name), choices: JSON.stringify(attribute.choices), createdAt: at, updatedAt: at })
    .execute();
}

export async function updateAttribute(tx: Tx, attribute: AttributeRecord, at: Date): Promise<void> {
  await tx
    .updateTable('attributes')
    .set({ name: JSON.stringify(attribute.name), choices: JSON.stringify(attribute.choices), position: attribute.position, updatedAt: at })
    .where('id', '=', attribute.id)
    .execute();
}

/** Choice values still held by products, so a choice in use can't be removed from under them. */
export async function choiceValuesInUse(tx: Tx, attributeId: string): Promise<string[]> {
  const rows = await tx
    .selectFrom('productAttributeValues')
    .select('valueText')
    .distinct()
    .where('attributeId', '=', attributeId)
    .where('valueText', 'is not', null)
    .execute();
  return rows.map((row) => row.valueText!);
}

export async function replaceAttributeValues(
  tx: Tx,
  tenantId: string,
  productId: string,
  values: { attributeId: string; valueText: string | null; valueNumber: number | null }[],
): Promise<void> {
  await tx.deleteFrom('productAttributeValues').where('productId', '=', productId).execute();
  if (values.length === 0) return;
  await tx
    .insertInto('productAttributeValues')
    .values(values.map((value) => ({ tenantId, productId, ...value })))
    .execute();
}

export async function findCollection(tx: Tx, idOrSlug: string): Promise<CollectionRecord | undefined> {
  const result = await sql<CollectionRecord>`
    select c.id, c.slug, c.title, c.description, c.kind, c.rule, c.updated_at,
           coalesce((select array_agg(cp.product_id order by cp.position)
                     from collection_products cp
                     where cp.tenant_id = c.tenant_id and cp.collection_id = c.id), '{}') as product_ids
    from collections c
    where ${idOrSlug.startsWith('col_') ? sql`c.id` : sql`c.slug`} = ${idOrSlug}`.execute(tx);
  return result.rows[0];
}

export async function listCollections(tx: Tx): Promise<CollectionRecord[]> {
  const result = await sql<CollectionRecord>`
    select c.id, c.slug, c.title, c.description, c.kind, c.rule, c.updated_at,
           coalesce((select array_agg(cp.product_id order by cp.position)
                     from collection_products cp
                     where cp.tenant_id = c.tenant_id and cp.collection_id = c.id), '{}') as product_ids
    from collections c
    order by c.slug`.execute(tx);
  return result.rows;
}

export async function collectionSlugTaken(tx: Tx, slug: string, exceptId: string | null): Promise<boolean> {
  const row = await tx
    .selectFrom('collections')
    .select('id')
    .where('slug', '=', slug)
    .$if(exceptId !== null, (query) => query.where('id', '!=', exceptId!))
    .executeTakeFirst();
  return row !== undefined;
}

export async function saveCollection(tx: Tx, tenantId: string, collection: Omit<CollectionRecord, 'updatedAt'>, at: Date, isNew: boolean): Promise<void> {
  const columns = {
    slug: collection.slug,
    title: JSON.stringify(collection.title),
    description: JSON.stringify(collection.description),
    kind: collection.kind,
    rule: collection.rule ? JSON.stringify(collection.rule) : null,
    updatedAt: at,
  };
  if (isNew) await tx.insertInto('collections').values({ tenantId, id: collection.id, ...columns, createdAt: at }).execute();
  else await tx.updateTable('collections').set(columns).where('id', '=', collection.id).execute();
  await tx.deleteFrom('collectionProducts').where('collectionId', '=', collection.id).execute();
  if (collection.productIds.length > 0) {
    await tx
      .insertInto('collectionProducts')
      .values(collection.productIds.map((productId, position) => ({ tenantId, collectionId: collection.id, productId, position })))
      .execute();
  }
}

export async function deleteCollection(tx: Tx, id: string): Promise<boolean> {
  const result = await tx.deleteFrom('collections').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function categoryExists(tx: Tx, categoryId: string): Promise<boolean> {
  return (await tx.selectFrom('categories').select('id').where('id', '=', categoryId).executeTakeFirst()) !== undefined;
}

export async function existingProductIds(tx: Tx, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx.selectFrom('products').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((row) => row.id));
}

/** Adds a paid order's units to its products' counters, in one statement. */
export async function countPaidOrder(tx: Tx, orderId: string): Promise<void> {
  await sql`
    insert into product_sales (tenant_id, product_id, units_sold)
    select tenant_id, product_id, sum(quantity) from order_lines where order_id = ${orderId} group by tenant_id, product_id
    on conflict (tenant_id, product_id) do update set units_sold = product_sales.units_sold + excluded.units_sold`.execute(tx);
}
