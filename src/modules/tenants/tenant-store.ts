import type { Selectable } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';
import type { TenantsTable, TenantSettings } from '../../infra/db/schema.ts';
import { DEFAULT_RETURNS_SETTINGS, type PlatformModule } from './platform-document.ts';
import type { Platform } from './platform.ts';

function settingsOf(platform: Platform): TenantSettings {
  return {
    domains: platform.domains,
    currencies: platform.currencies,
    locales: platform.locales,
    modules: platform.modules,
    quotas: platform.quotas,
    theme: platform.theme,
    checkout: platform.checkout,
    tax: platform.tax,
    returns: platform.returns,
  };
}

export async function insertTenant(tx: Tx, platform: Platform): Promise<void> {
  await tx
    .insertInto('tenants')
    .values({
      id: platform.id,
      slug: platform.slug,
      name: platform.name,
      defaultCurrency: platform.defaultCurrency,
      defaultLocale: platform.defaultLocale,
      settings: JSON.stringify(settingsOf(platform)),
    })
    .execute();
  if (platform.domains.length > 0) {
    await tx
      .insertInto('tenantDomains')
      .values(platform.domains.map((domain) => ({ domain, tenantId: platform.id })))
      .execute();
  }
}

export async function updateTenant(tx: Tx, platform: Platform, at: Date): Promise<void> {
  await tx
    .updateTable('tenants')
    .set({ name: platform.name, settings: JSON.stringify(settingsOf(platform)), updatedAt: at })
    .where('id', '=', platform.id)
    .execute();
}

export async function findTenantBySlug(tx: Tx, slug: string): Promise<Platform | undefined> {
  const row = await tx.selectFrom('tenants').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row && toPlatform(row);
}

export async function findTenantByDomain(tx: Tx, domain: string): Promise<Platform | undefined> {
  const row = await tx
    .selectFrom('tenants')
    .innerJoin('tenantDomains', 'tenantDomains.tenantId', 'tenants.id')
    .selectAll('tenants')
    .where('tenantDomains.domain', '=', domain)
    .executeTakeFirst();
  return row && toPlatform(row);
}

export async function findTakenDomains(tx: Tx, domains: string[]): Promise<string[]> {
  if (domains.length === 0) return [];
  const rows = await tx.selectFrom('tenantDomains').select('domain').where('domain', 'in', domains).execute();
  return rows.map((row) => row.domain);
}

export async function listTenants(tx: Tx): Promise<Platform[]> {
  const rows = await tx.selectFrom('tenants').selectAll().orderBy('createdAt').orderBy('id').execute();
  return rows.map(toPlatform);
}

function toPlatform(row: Selectable<TenantsTable>): Platform {
  const settings = row.settings;
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    status: row.status,
    defaultCurrency: row.defaultCurrency,
    defaultLocale: row.defaultLocale,
    domains: settings.domains,
    currencies: settings.currencies,
    locales: settings.locales,
    modules: settings.modules as PlatformModule[],
    quotas: settings.quotas,
    theme: settings.theme,
    checkout: settings.checkout ?? { paymentTimeoutMinutes: 15 },
    tax: settings.tax ?? { pricesIncludeTax: true },
    returns: { ...DEFAULT_RETURNS_SETTINGS, ...settings.returns },
    createdAt: row.createdAt,
  };
}
