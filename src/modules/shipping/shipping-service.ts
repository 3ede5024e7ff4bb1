import type { Database, Tx } from '../../infra/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { Conflict, Invalid, NotFound, Unprocessable } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { assertSellsIn, type Platform } from '../tenants/platform.ts';
import { provinceKey, regionKey } from './regions.ts';
import { GENERAL_PROFILE, type ShippingMethod } from './shipping-rates.ts';
import type { MethodInput, MethodUpdate, ZoneInput } from './shipping-schema.ts';
import * as store from './shipping-store.ts';

export interface ProfileView {
  code: string;
  name: Record<string, string>;
  requiresShipping: boolean;
}

export interface ZoneView {
  id: string;
  name: string;
  regions: { country: string; province: string | null; city: string | null }[];
  methods: MethodView[];
}

export type MethodView = ShippingMethod & { status: 'active' | 'disabled'; position: number };

export interface ShippingService {
  listProfiles(platform: Platform): Promise<ProfileView[]>;
  createProfile(platform: Platform, input: { code: string; name: Record<string, string>; requiresShipping: boolean }): Promise<ProfileView>;
  updateProfile(platform: Platform, code: string, input: { name?: Record<string, string> | undefined; requiresShipping?: boolean | undefined }): Promise<ProfileView>;
  deleteProfile(platform: Platform, code: string): Promise<void>;
  listZones(platform: Platform): Promise<ZoneView[]>;
  createZone(platform: Platform, input: ZoneInput): Promise<ZoneView>;
  updateZone(platform: Platform, zoneId: string, input: Partial<ZoneInput>): Promise<ZoneView>;
  deleteZone(platform: Platform, zoneId: string): Promise<void>;
  createMethod(platform: Platform, zoneId: string, input: MethodInput): Promise<MethodView>;
  updateMethod(platform: Platform, methodId: string, input: MethodUpdate): Promise<MethodView>;
  deleteMethod(platform: Platform, methodId: string): Promise<void>;
}

/** Staff's shipping set-up: profiles of goods, zones of regions, and each zone's methods. */
export function createShippingService(deps: { db: Database; clock: Clock }): ShippingService {
  const { db, clock } = deps;

  async function zoneView(tx: Tx, zoneId: string): Promise<ZoneView> {
    const all = await zoneViews(tx);
    const zone = all.find((candidate) => candidate.id === zoneId);
    if (!zone) throw new NotFound('shipping_zone_not_found', 'No such shipping zone.');
    return zone;
  }

  async function setRegions(tx: Tx, tenantId: string, zoneId: string, regions: ZoneInput['regions']): Promise<void> {
    const keyed = new Map(
      regions.map((region) => {
        const row = { country: region.country, provinceKey: provinceKey(region.country, region.province), cityKey: regionKey(region.city), province: region.province ?? null, city: region.city ?? null };
        return [`${row.country}/${row.provinceKey}/${row.cityKey}`, row];
      }),
    );
    const taken = await store.replaceRegions(tx, tenantId, zoneId, [...keyed.values()]);
    if (taken.length > 0) {
      const names = taken.map((region) => [region.city, region.province, region.country].filter(Boolean).join(', '));
      throw new Conflict('zone_region_taken', `Another zone covers ${names.join('; ')} already; a region belongs to one zone.`);
    }
  }

  async function assertProfilesExist(tx: Tx, codes: string[]): Promise<void> {
    const known = new Set([GENERAL_PROFILE, ...(await store.listProfiles(tx)).map((profile) => profile.code)]);
    const unknown = codes.filter((code) => !known.has(code));
    if (unknown.length > 0) {
      throw new Unprocessable('shipping_profile_not_found', `No shipping profile ${unknown.join(', ')} on this platform.`, [{ path: 'body.profiles', message: 'unknown profile' }]);
    }
  }

  return {
    listProfiles: (platform) => db.withTenant(platform.id, async (tx) => (await store.listProfiles(tx)).map(profileView)),

    createProfile: (platform, input) =>
      db.withTenant(platform.id, async (tx) => {
        const row = await store.insertProfile(tx, { tenantId: platform.id, code: input.code, name: input.name, requiresShipping: input.requiresShipping });
        if (!row) throw new Conflict('shipping_profile_exists', `A shipping profile ${input.code} exists already.`);
        return profileView(row);
      }),

    updateProfile: (platform, code, input) =>
      db.withTenant(platform.id, async (tx) => {
        const row = await store.updateProfile(tx, code, input);
        if (!row) throw new NotFound('shipping_profile_not_found', 'No such shipping profile.');
        return profileView(row);
      }),

    deleteProfile: (platform, code) =>
      db.withTenant(platform.id, async (tx) => {
        if (await store.profileInUse(tx, code)) throw new Conflict('shipping_profile_in_use', `Products use the ${code} profile; move them to another first.`);
        if (!(await store.deleteProfile(tx, code))) throw new NotFound('shipping_profile_not_found', 'No such shipping profile.');
      }),

    listZones: (platform) => db.withTenant(platform.id, zoneViews),

    createZone: (platform, input) =>
      db.withTenant(platform.id, async (tx) => {
        const zoneId = newId('shz');
        await store.insertZone(tx, { tenantId: platform.id, id: zoneId, name: input.name, at: clock.now() });
        await setRegions(tx, platform.id, zoneId, input.regions);
        return zoneView(tx, zoneId);
      }),

    updateZone: (platform, zoneId, input) =>
      db.withTenant(platform.id, async (tx) => {
        if (!(await store.findZone(tx, zoneId, { lock: true }))) throw new NotFound('shipping_zone_not_found', 'No such shipping zone.');
        if (input.name) await store.renameZone(tx, zoneId, input.name, clock.now());
        if (input.regions) await setRegions(tx, platform.id, zoneId, input.regions);
        return zoneView(tx, zoneId);
      }),

    deleteZone: (platform, zoneId) =>
      db.withTenant(platform.id, async (tx) => {
        if (!(await store.deleteZone(tx, zoneId))) throw new NotFound('shipping_zone_not_found', 'No such shipping zone.');
      }),

    createMethod: (platform, zoneId, input) =>
      db.withTenant(platform.id, async (tx) => {
        assertSellsIn(platform, input.currency);
        if (!(await store.findZone(tx, zoneId))) throw new NotFound('shipping_zone_not_found', 'No such shipping zone.');
        await assertProfilesExist(tx, [...(input.profiles ?? []), ...Object.keys(input.surcharges)]);
        const row = await store.insertMethod(tx, { tenantId: platform.id, id: newId('shm'), zoneId, ...input, rate: input.rate }, clock.now());
        return methodView(row);
      }),

    updateMethod: (platform, methodId, input) =>
      db.withTenant(platform.id, async (tx) => {
        const current = await store.findMethod(tx, methodId);
        if (!current) throw new NotFound('shipping_method_not_found', 'No such shipping method.');
        if (input.currency) assertSellsIn(platform, input.currency);
        const merged = { ...current, ...input };
        if (merged.maxDays < merged.minDays) throw new Invalid('validation_failed', 'maxDays is at least minDays.', [{ path: 'body.maxDays', message: 'below minDays' }]);
        if (merged.kind === 'carrier' && !merged.carrier) throw new Invalid('validation_failed', 'A carrier method names its carrier.', [{ path: 'body.carrier', message: 'required' }]);
        await assertProfilesExist(tx, [...(input.profiles ?? []), ...Object.keys(input.surcharges ?? {})]);
        return methodView((await store.updateMethod(tx, methodId, input, clock.now()))!);
      }),

    deleteMethod: (platform, methodId) =>
      db.withTenant(platform.id, async (tx) => {
        if (!(await store.deleteMethod(tx, methodId))) throw new NotFound('shipping_method_not_found', 'No such shipping method.');
      }),
  };
}

async function zoneViews(tx: Tx): Promise<ZoneView[]> {
  const { zones, regions, methods } = await store.listZones(tx);
  return zones.map((zone) => ({
    id: zone.id,
    name: zone.name,
    regions: regions.filter((region) => region.zoneId === zone.id).map((region) => ({ country: region.country, province: region.province, city: region.city })),
    methods: methods.filter((method) => method.zoneId === zone.id).map(methodView),
  }));
}

function profileView(row: store.ProfileRow): ProfileView {
  return { code: row.code, name: row.name, requiresShipping: row.requiresShipping };
}

function methodView(row: store.MethodRow): MethodView {
  return { ...store.toMethod(row), status: row.status, position: row.position };
}
