import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from './support/databases.ts';
import { as, startTestApp, type TestApp } from './support/test-app.ts';

const product = (sku: string) => ({
  title: { en: `Secret ${sku}`, 'zh-CN': `秘密 ${sku}` },
  status: 'active',
  variants: [{ sku, prices: [{ currency: 'CNY', amount: 1000 }] }],
});

describe.each(await databaseKinds())('platform isolation on %s', (kind) => {
  let t: TestApp;
  let alpha: Awaited<ReturnType<TestApp['createPlatform']>>;
  let beta: Awaited<ReturnType<TestApp['createPlatform']>>;
  let alphaProductId: string;

  beforeAll(async () => {
    t = await startTestApp(kind);
    alpha = await t.createPlatform('alpha', { quotas: { requestsPerSecond: 20, products: 100 } });
    beta = await t.createPlatform('beta', { quotas: { requestsPerSecond: 1000, products: 100 } });
    const created = await t.request({ method: 'POST', url: '/api/admin/products', headers: as('alpha', alpha.ownerToken), payload: product('ALPHA-1') });
    expect(created.statusCode).toBe(201);
    alphaProductId = created.json().id;
  });
  afterAll(() => t?.close());

  it("another platform's product answers 404, in the store and in the admin", async () => {
    expect((await t.request({ method: 'GET', url: `/api/store/products/${alphaProductId}`, headers: as('alpha') })).statusCode).toBe(200);
    const store = await t.request({ method: 'GET', url: `/api/store/products/${alphaProductId}`, headers: as('beta') });
    expect(store.statusCode).toBe(404);
    expect(store.json().code).toBe('product_not_found');
    const admin = await t.request({ method: 'GET', url: `/api/admin/products/${alphaProductId}`, headers: as('beta', beta.ownerToken) });
    expect(admin.statusCode).toBe(404);
    const edit = await t.request({
      method: 'PATCH',
      url: `/api/admin/products/${alphaProductId}`,
      headers: as('beta', beta.ownerToken),
      payload: { status: 'archived' },
    });
    expect(edit.statusCode).toBe(404);
    const listing = await t.request({ method: 'GET', url: '/api/store/products', headers: as('beta') });
    expect(listing.json().items).toEqual([]);
  });

  it("another platform's stock, movements and coupon scopes are unknown ids here", async () => {
    const alphaProduct = (await t.request({ method: 'GET', url: `/api/admin/products/${alphaProductId}`, headers: as('alpha', alpha.ownerToken) })).json();
    const alphaVariantId = alphaProduct.variants[0].id as string;
    const alphaCategory = await t.request({ method: 'POST', url: '/api/admin/categories', headers: as('alpha', alpha.ownerToken), payload: { slug: 'secret', name: { en: 'Secret' } } });
    expect(alphaCategory.statusCode).toBe(201);
    const unknownVariant = 'var_00000000000000000000000000';
    for (const variantId of [alphaVariantId, unknownVariant]) {
      const stock = await t.request({ method: 'GET', url: `/api/admin/inventory?variantId=${variantId}`, headers: as('beta', beta.ownerToken) });
      expect(stock.statusCode, stock.body).toBe(404);
      expect(stock.json().code).toBe('variant_not_found');
      const movements = await t.request({ method: 'GET', url: `/api/admin/inventory/${variantId}/movements`, headers: as('beta', beta.ownerToken) });
      expect(movements.statusCode).toBe(404);
      expect(movements.json().code).toBe('variant_not_found');
    }
    const coupon = (scope: { productIds?: string[]; categoryIds?: string[] }, n: number) =>
      t.request({ method: 'POST', url: '/api/admin/coupons', headers: as('beta', beta.ownerToken), payload: { code: `SCOPE-${n}`, kind: 'percentage', value: 1000, ...scope } });
    for (const [n, scope] of [{ productIds: [alphaProductId] }, { categoryIds: [alphaCategory.json().id] }, { productIds: ['prod_00000000000000000000000000'] }].entries()) {
      const refused = await coupon(scope, n);
      expect(refused.statusCode, refused.body).toBe(422);
      expect(refused.json().code).toBe('coupon_scope_not_found');
    }
    expect((await t.request({ method: 'GET', url: '/api/admin/coupons', headers: as('beta', beta.ownerToken) })).json().items).toEqual([]);
  });

  it("a staff token of one platform is worthless on another", async () => {
    const response = await t.request({ method: 'GET', url: '/api/admin/products', headers: as('beta', alpha.ownerToken) });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('invalid_token');
  });

  it('SKUs are unique per platform, not across platforms', async () => {
    const same = await t.request({ method: 'POST', url: '/api/admin/products', headers: as('beta', beta.ownerToken), payload: product('ALPHA-1') });
    expect(same.statusCode).toBe(201);
  });

  it('the database itself refuses cross-platform reads and writes', async () => {
    const seenFromBeta = await t.db.withTenant(beta.id, (tx) => tx.selectFrom('products').select('id').where('id', '=', alphaProductId).execute());
    expect(seenFromBeta).toEqual([]);
    const seenWithoutTenant = await t.db.withoutTenant((tx) => tx.selectFrom('products').select('id').execute());
    expect(seenWithoutTenant).toEqual([]);
    await expect(
      t.db.withTenant(beta.id, (tx) =>
        tx.insertInto('categories').values({ tenantId: alpha.id, id: 'cat_forged', slug: 'forged', name: '{}' }).execute(),
      ),
    ).rejects.toThrow(/row-level security/);
    const moved = await t.db.withTenant(beta.id, (tx) =>
      tx.updateTable('products').set({ tenantId: beta.id }).where('id', '=', alphaProductId).executeTakeFirst(),
    );
    expect(Number(moved.numUpdatedRows)).toBe(0);
  });

  it("a platform's transaction cannot rewrite or extend another platform's registry rows", async () => {
    const betaDomain = 'beta.shop.test';
    const rows = (work: Promise<{ numUpdatedRows: bigint }>) => work.then((result) => Number(result.numUpdatedRows)).catch((error: Error) => error);
    const hijack = await rows(
      t.db.withTenant(alpha.id, (tx) => tx.updateTable('tenantDomains').set({ tenantId: alpha.id }).where('domain', '=', betaDomain).executeTakeFirstOrThrow()),
    );
    expect(hijack === 0 || (hijack instanceof Error && /permission denied|row-level security/.test(hijack.message)), String(hijack)).toBe(true);
    const renamed = await rows(t.db.withTenant(alpha.id, (tx) => tx.updateTable('tenants').set({ name: 'pwned' }).where('id', '=', beta.id).executeTakeFirstOrThrow()));
    expect(renamed).toBe(0);
    await expect(
      t.db.withTenant(alpha.id, (tx) => tx.insertInto('tenantDomains').values({ domain: 'evil.shop.test', tenantId: beta.id }).execute()),
    ).rejects.toThrow(/row-level security/);
    // New platforms and domains are registered only by platform creation, not by a platform's own transaction.
    await expect(
      t.db.withTenant(alpha.id, (tx) => tx.insertInto('tenantDomains').values({ domain: 'more.alpha.test', tenantId: alpha.id }).execute()),
    ).rejects.toThrow(/row-level security/);
    await expect(
      t.db.withTenant('ten_forged', (tx) =>
        tx.insertInto('tenants').values({ id: 'ten_forged', slug: 'forged', name: 'Forged', defaultCurrency: 'CNY', defaultLocale: 'en', settings: '{}' }).execute(),
      ),
    ).rejects.toThrow(/row-level security/);

    const byHost = await t.request({ method: 'GET', url: '/api/store/platform', headers: { host: betaDomain } });
    expect(byHost.json()).toMatchObject({ slug: 'beta', name: 'Shop beta' });
    const unknown = await t.request({ method: 'GET', url: '/api/store/platform', headers: { host: 'evil.shop.test' } });
    expect(unknown.statusCode).toBe(404);
  });

  it('a platform still changes its own settings, and new platforms are still created', async () => {
    const patched = await t.request({ method: 'PATCH', url: '/api/admin/platform', headers: as('beta', beta.ownerToken), payload: { name: 'Beta renamed' } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect((await t.request({ method: 'GET', url: '/api/store/platform', headers: as('beta') })).json().name).toBe('Beta renamed');
    const gamma = await t.createPlatform('gamma');
    expect((await t.request({ method: 'GET', url: '/api/store/platform', headers: { host: 'gamma.shop.test' } })).json().slug).toBe('gamma');
    expect(gamma.id).toMatch(/^ten_/);
  });

  it('the app role owns no table, so row-level security applies to it', async () => {
    const rows = await t.db.withTenant(beta.id, (tx) =>
      sql<{ user: string; owners: string[]; forced: boolean }>`
        select current_user as user,
               array_agg(distinct pg_get_userbyid(c.relowner)) as owners,
               bool_and(c.relrowsecurity and c.relforcerowsecurity) as forced
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r'
          and c.relname in ('tenants', 'tenant_domains', 'customers', 'staff', 'sessions', 'categories', 'products', 'variants', 'variant_prices')`.execute(tx),
    );
    const row = rows.rows[0]!;
    expect(row.user).toBe('bazaar_app');
    expect(row.owners).not.toContain('bazaar_app');
    expect(row.forced).toBe(true);
  });

  it('a flood on one platform is refused there while another is served normally', async () => {
    const flood = Array.from({ length: 120 }, () => t.request({ method: 'GET', url: '/api/store/products', headers: as('alpha') }));
    const neighbour = Array.from({ length: 60 }, () => t.request({ method: 'GET', url: '/api/store/products', headers: as('beta') }));
    const [alphaResults, betaResults] = await Promise.all([Promise.all(flood), Promise.all(neighbour)]);

    const limited = alphaResults.filter((r) => r.statusCode === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]!.json().code).toBe('platform_rate_limited');
    expect(Number(limited[0]!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(alphaResults.every((r) => r.statusCode === 200 || r.statusCode === 429)).toBe(true);
    expect(betaResults.map((r) => r.statusCode)).toEqual(betaResults.map(() => 200));
  });
});
