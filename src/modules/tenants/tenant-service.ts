import { LRUCache } from 'lru-cache';
import type { Database, Tx } from '../../infra/db/database.ts';
import { Conflict } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { PlatformDocument, PlatformSettingsChange } from './platform-document.ts';
import type { Platform } from './platform.ts';
import { findTakenDomains, findTenantByDomain, findTenantBySlug, insertTenant, listTenants, updateTenant } from './tenant-store.ts';

/** Work another module does inside the platform's creation transaction (e.g. its first staff). */
export type ProvisionStep = (tx: Tx, platform: Platform, document: PlatformDocument) => Promise<void>;

export interface TenantService {
  createPlatform(document: PlatformDocument): Promise<Platform>;
  findBySlug(slug: string): Promise<Platform | undefined>;
  findByHost(host: string): Promise<Platform | undefined>;
  listPlatforms(): Promise<Platform[]>;
  /** Changes a platform's name, theme or checkout policy; other nodes see it within the cache TTL. */
  updateSettings(platform: Platform, change: PlatformSettingsChange): Promise<Platform>;
}

// Platforms change rarely and are looked up on every request. A short TTL bounds how long
// another node may serve a stale copy; misses are cached briefly too, so a flood of unknown
// hosts doesn't reach the database.
const FOUND_TTL_MS = 5_000;
const MISSING_TTL_MS = 1_000;

export function createTenantService(deps: { db: Database; provision?: ProvisionStep[] }): TenantService {
  const { db } = deps;
  const lookups = new LRUCache<string, { platform: Platform | undefined }>({ max: 10_000, ttl: FOUND_TTL_MS });

  async function cached(key: string, load: () => Promise<Platform | undefined>): Promise<Platform | undefined> {
    const hit = lookups.get(key);
    if (hit) return hit.platform;
    const platform = await load();
    lookups.set(key, { platform }, platform ? {} : { ttl: MISSING_TTL_MS });
    return platform;
  }

  return {
    async createPlatform(document) {
      const platform: Platform = {
        id: newId('ten'),
        slug: document.slug,
        name: document.name,
        status: 'active',
        defaultCurrency: document.defaultCurrency,
        defaultLocale: document.defaultLocale,
        domains: document.domains,
        currencies: document.currencies,
        locales: document.locales,
        modules: document.modules,
        quotas: document.quotas,
        theme: document.theme,
        checkout: document.checkout,
        tax: document.tax,
        returns: document.returns,
        createdAt: new Date(),
      };
      await db.asRegistryWriter(platform.id, async (tx) => {
        if (await findTenantBySlug(tx, platform.slug)) {
          throw new Conflict('platform_exists', `A platform with slug "${platform.slug}" already exists.`);
        }
        const taken = await findTakenDomains(tx, platform.domains);
        if (taken.length > 0) {
          throw new Conflict('domain_taken', `Domain ${taken.join(', ')} already belongs to another platform.`);
        }
        await insertTenant(tx, platform).catch((error: { code?: string }) => {
          // Two creations racing past the checks above: the unique indexes decide.
          if (error.code === '23505') {
            throw new Conflict('platform_exists', 'That slug or one of the domains was taken just now.');
          }
          throw error;
        });
        for (const step of deps.provision ?? []) await step(tx, platform, document);
      });
      lookups.clear();
      return platform;
    },

    findBySlug: (slug) => cached(`slug:${slug}`, () => db.withoutTenant((tx) => findTenantBySlug(tx, slug))),

    findByHost(host) {
      const domain = host.replace(/:\d+$/, '').toLowerCase();
      return cached(`host:${domain}`, () => db.withoutTenant((tx) => findTenantByDomain(tx, domain)));
    },

    listPlatforms: () => db.withoutTenant(listTenants),

    async updateSettings(platform, change) {
      const updated: Platform = {
        ...platform,
        name: change.name ?? platform.name,
        theme: change.theme ?? platform.theme,
        checkout: change.checkout ?? platform.checkout,
        tax: change.tax ?? platform.tax,
        returns: change.returns ?? platform.returns,
      };
      await db.withTenant(platform.id, (tx) => updateTenant(tx, updated, new Date()));
      lookups.clear();
      return updated;
    },
  };
}
