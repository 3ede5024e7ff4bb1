import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { demoCategories, demoProducts } from '../modules/catalog/demo-catalog.ts';
import { PlatformDocumentSchema, type Platform } from '../modules/tenants/index.ts';
import type { Database } from '../infra/db/database.ts';
import type { ScryptParams } from '../modules/identity/password-hasher.ts';
import type { Services } from './create-app.ts';
import { seedDemoOrderHistory } from './demo-history.ts';

export interface DemoCredentials {
  email: string;
  password: string;
}

/**
 * Creates the `demo` platform on first start: bilingual, reachable on localhost, with a
 * category tree, ~50 products and an owner account whose password is generated and kept in the
 * data directory (never a well-known default), and six weeks of order history for the dashboard.
 */
export async function seedDemoPlatform(
  services: Services,
  db: Database,
  dataDir: string,
  options: { now?: Date; passwordParams?: ScryptParams } = {},
): Promise<{ platform: Platform; credentials: DemoCredentials | undefined; created: boolean }> {
  const credentialsPath = join(dataDir, 'demo-credentials.json');
  const existing = await services.tenants.findBySlug('demo');
  if (existing) {
    const credentials = await readFile(credentialsPath, 'utf8').then((text) => JSON.parse(text) as DemoCredentials, () => undefined);
    return { platform: existing, credentials, created: false };
  }

  const credentials: DemoCredentials = { email: 'owner@demo.bazaar.local', password: randomBytes(12).toString('base64url') };
  const platform = await services.tenants.createPlatform(
    PlatformDocumentSchema.parse({
      slug: 'demo',
      name: 'Bazaar 演示商店',
      domains: ['localhost', '127.0.0.1'],
      defaultCurrency: 'CNY',
      currencies: ['CNY', 'USD'],
      defaultLocale: 'zh-CN',
      locales: ['zh-CN', 'en'],
      quotas: { requestsPerSecond: 5000, products: 10_000 },
      theme: { primaryColor: '#e4393c', accentColor: '#ff9f1a' },
      owner: credentials,
    }),
  );

  const categoryIds = new Map<string, string>();
  for (const [position, category] of demoCategories.entries()) {
    const parentId = category.parentSlug ? categoryIds.get(category.parentSlug) : undefined;
    const created = await services.catalog.createCategory(platform, { slug: category.slug, name: category.name, parentId, position });
    categoryIds.set(category.slug, created.id);
  }
  for (const product of demoProducts) {
    const created = await services.catalog.createProduct(platform, {
      slug: product.slug,
      title: product.title,
      description: product.description,
      status: 'active',
      tags: [],
      attributes: {},
      categoryId: categoryIds.get(product.categorySlug) ?? null,
      options: product.options,
      images: product.images,
      variants: product.variants,
    });
    for (const variant of created.variants) {
      await services.inventory.adjustStock(platform, 'demo-seed', { variantId: variant.id, delta: 100, reason: 'opening stock' });
    }
  }
  await seedDemoOrderHistory(db, platform, { now: options.now ?? new Date(), ...(options.passwordParams ? { passwordParams: options.passwordParams } : {}) });
  await writeFile(credentialsPath, JSON.stringify(credentials, null, 2), { mode: 0o600 });
  return { platform, credentials, created: true };
}
