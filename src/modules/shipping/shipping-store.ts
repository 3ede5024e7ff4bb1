import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';
import type { ShippingMethodsTable, ShippingProfilesTable, ShippingZoneRegionsTable, ShippingZonesTable } from '../../infra/db/schema.ts';
import type { AddressRegion } from './regions.ts';
import type { ShippingMethod, ShippingRate } from './shipping-rates.ts';

export type ProfileRow = Selectable<ShippingProfilesTable>;
export type ZoneRow = Selectable<ShippingZonesTable>;
export type RegionRow = Selectable<ShippingZoneRegionsTable>;
export type MethodRow = Selectable<ShippingMethodsTable>;

// Profiles ---------------------------------------------------------------------------------

export async function listProfiles(tx: Tx): Promise<ProfileRow[]> {
  return tx.selectFrom('shippingProfiles').selectAll().orderBy('code').execute();
}

/** Inserts the profile; undefined when the code is taken. */
export async function insertProfile(tx: Tx, row: Omit<ProfileRow, 'createdAt'>): Promise<ProfileRow | undefined> {
  return tx
    .insertInto('shippingProfiles')
    .values({ ...row, name: JSON.stringify(row.name) })
    .onConflict((oc) => oc.columns(['tenantId', 'code']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function updateProfile(tx: Tx, code: string, changes: { name?: Record<string, string> | undefined; requiresShipping?: boolean | undefined }): Promise<ProfileRow | undefined> {
  return tx
    .updateTable('shippingProfiles')
    .set({ ...(changes.name ? { name: JSON.stringify(changes.name) } : {}), ...(changes.requiresShipping === undefined ? {} : { requiresShipping: changes.requiresShipping }) })
    .where('code', '=', code)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteProfile(tx: Tx, code: string): Promise<boolean> {
  const result = await tx.deleteFrom('shippingProfiles').where('code', '=', code).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function profileInUse(tx: Tx, code: string): Promise<boolean> {
  return (await tx.selectFrom('products').select('id').where('shippingProfile', '=', code).limit(1).executeTakeFirst()) !== undefined;
}

export async function profileExists(tx: Tx, code: string): Promise<boolean> {
  return (await tx.selectFrom('shippingProfiles').select('code').where('code', '=', code).executeTakeFirst()) !== undefined;
}

// Zones and their regions ------------------------------------------------------------------

export async function listZones(tx: Tx): Promise<{ zones: ZoneRow[]; regions: RegionRow[]; methods: MethodRow[] }> {
  const [zones, regions, methods] = [
    await tx.selectFrom('shippingZones').selectAll().orderBy('createdAt').orderBy('id').execute(),
    await tx.selectFrom('shippingZoneRegions').selectAll().orderBy('country').orderBy('provinceKey').orderBy('cityKey').execute(),
    await tx.selectFrom('shippingMethods').selectAll().orderBy('position').orderBy('createdAt').execute(),
  ];
  return { zones, regions, methods };
}

export async function findZone(tx: Tx, id: string, options: { lock?: boolean } = {}): Promise<ZoneRow | undefined> {
  const query = tx.selectFrom('shippingZones').selectAll().where('id', '=', id);
  return (options.lock ? query.forUpdate() : query).executeTakeFirst();
}

export async function insertZone(tx: Tx, zone: { tenantId: string; id: string; name: string; at: Date }): Promise<void> {
  await tx.insertInto('shippingZones').values({ tenantId: zone.tenantId, id: zone.id, name: zone.name, createdAt: zone.at, updatedAt: zone.at }).execute();
}

export async function renameZone(tx: Tx, id: string, name: string, at: Date): Promise<void> {
  await tx.updateTable('shippingZones').set({ name, updatedAt: at }).where('id', '=', id).execute();
}

export async function deleteZone(tx: Tx, id: string): Promise<boolean> {
  const result = await tx.deleteFrom('shippingZones').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Replaces the zone's regions; the ones another zone holds are returned and nothing is written. */
export async function replaceRegions(tx: Tx, tenantId: string, zoneId: string, regions: Omit<RegionRow, 'tenantId' | 'zoneId'>[]): Promise<RegionRow[]> {
  const taken = await tx
    .selectFrom('shippingZoneRegions')
    .selectAll()
    .where('zoneId', '<>', zoneId)
    .where((eb) => eb.or(regions.map((r) => eb.and([eb('country', '=', r.country), eb('provinceKey', '=', r.provinceKey), eb('cityKey', '=', r.cityKey)]))))
    .execute();
  if (taken.length > 0) return taken;
  await tx.deleteFrom('shippingZoneRegions').where('zoneId', '=', zoneId).execute();
  await tx.insertInto('shippingZoneRegions').values(regions.map((r) => ({ ...r, tenantId, zoneId }))).execute();
  return [];
}

// Methods -----------------------------------------------------------------------------------

export async function findMethod(tx: Tx, id: string): Promise<MethodRow | undefined> {
  return tx.selectFrom('shippingMethods').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertMethod(tx: Tx, row: Omit<MethodRow, 'createdAt' | 'updatedAt'>, at: Date): Promise<MethodRow> {
  return tx
    .insertInto('shippingMethods')
    .values({ ...row, name: JSON.stringify(row.name), rate: JSON.stringify(row.rate), surcharges: JSON.stringify(row.surcharges), createdAt: at, updatedAt: at })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export type MethodChanges = Partial<Omit<MethodRow, 'tenantId' | 'id' | 'zoneId' | 'createdAt' | 'updatedAt'>>;

export async function updateMethod(tx: Tx, id: string, changes: MethodChanges, at: Date): Promise<MethodRow | undefined> {
  const { name, rate, surcharges, ...plain } = changes;
  return tx
    .updateTable('shippingMethods')
    .set({
      ...plain,
      ...(name ? { name: JSON.stringify(name) } : {}),
      ...(rate ? { rate: JSON.stringify(rate) } : {}),
      ...(surcharges ? { surcharges: JSON.stringify(surcharges) } : {}),
      updatedAt: at,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteMethod(tx: Tx, id: string): Promise<boolean> {
  const result = await tx.deleteFrom('shippingMethods').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export function toMethod(row: Pick<MethodRow, keyof ShippingMethod | 'status'> | MethodRow): ShippingMethod {
  return {
    id: row.id,
    zoneId: row.zoneId,
    name: row.name,
    kind: row.kind,
    carrier: row.carrier,
    currency: row.currency,
    rate: row.rate as unknown as ShippingRate,
    freeOver: row.freeOver === null ? null : Number(row.freeOver),
    profiles: row.profiles,
    surcharges: row.surcharges,
    minDays: row.minDays,
    maxDays: row.maxDays,
  };
}

// Where an address ships from: fragments that checkout embeds in its one read ---------------

/** The zone of the most specific region that holds the address (a city over a province over a country). */
export function zoneOfRegion(region: AddressRegion): RawBuilder<string | null> {
  return sql<string | null>`(
    select r.zone_id from shipping_zone_regions r
    where r.country = ${region.country} and r.province_key in ('', ${region.provinceKey}) and r.city_key in ('', ${region.cityKey})
    order by (r.city_key <> '')::int + (r.province_key <> '')::int desc, r.province_key desc
    limit 1)`;
}

/** Whether the platform ships by zones at all; a platform without any charges no shipping. */
export const shippingConfigured = sql<boolean>`exists (select 1 from shipping_zones)`;

/** The zone's active methods (one, when `methodId` is given) as a JSON array of ShippingMethod. */
export function methodsOfZone(zone: RawBuilder<string | null>, methodId?: string): RawBuilder<unknown[]> {
  return sql<unknown[]>`coalesce((
    select json_agg(json_build_object('id', m.id, 'zoneId', m.zone_id, 'name', m.name, 'kind', m.kind, 'carrier', m.carrier,
             'currency', m.currency, 'rate', m.rate, 'freeOver', m.free_over, 'profiles', m.profiles, 'surcharges', m.surcharges,
             'minDays', m.min_days, 'maxDays', m.max_days) order by m.position, m.created_at)
    from shipping_methods m
    where m.zone_id = ${zone} and m.status = 'active' ${methodId ? sql`and m.id = ${methodId}` : sql``}), '[]'::json)`;
}

/** A method as `methodsOfZone` returns it (JSON numbers, bigint amounts as numbers). */
export function methodFromJson(value: unknown): ShippingMethod {
  const m = value as ShippingMethod;
  return { ...m, freeOver: m.freeOver === null ? null : Number(m.freeOver) };
}
