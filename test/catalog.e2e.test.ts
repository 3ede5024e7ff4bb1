import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from './support/databases.ts';
import { as, startTestApp, type TestApp } from './support/test-app.ts';

type Json = Record<string, any>;

describe.each(await databaseKinds())('catalog on %s', (kind) => {
  let t: TestApp;
  let token: string;
  const categories: Record<string, string> = {};
  const products: Record<string, Json> = {};

  const admin = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    t.request({ method, url: `/api/admin${url}`, headers: as('cat', token), ...(payload ? { payload } : {}) });
  const store = (url: string, headers: Record<string, string> = {}) =>
    t.request({ method: 'GET', url: `/api/store${url}`, headers: { ...as('cat'), ...headers } });

  async function createProduct(key: string, body: Json): Promise<Json> {
    const response = await admin('POST', '/products', { status: 'active', ...body });
    expect(response.statusCode, response.body).toBe(201);
    products[key] = response.json();
    return response.json();
  }
  const price = (cny: number, usd?: number) => [{ currency: 'CNY', amount: cny }, ...(usd ? [{ currency: 'USD', amount: usd }] : [])];

  beforeAll(async () => {
    t = await startTestApp(kind);
    token = (await t.createPlatform('cat', { quotas: { requestsPerSecond: 10000, products: 8 } })).ownerToken;
    for (const [slug, parent, en, zh] of [
      ['apparel', null, 'Apparel', '服饰'],
      ['dresses', 'apparel', 'Dresses', '连衣裙'],
      ['tea', null, 'Tea', '茶叶'],
    ] as const) {
      const response = await admin('POST', '/categories', { slug, name: { en, 'zh-CN': zh }, parentId: parent ? categories[parent] : undefined });
      expect(response.statusCode, response.body).toBe(201);
      categories[slug] = response.json().id;
    }
    await createProduct('dress', {
      title: { en: 'Floral Summer Dress', 'zh-CN': '碎花夏季连衣裙' },
      description: { en: 'Light cotton dress', 'zh-CN': '轻薄纯棉连衣裙' },
      categoryId: categories.dresses,
      options: [
        { code: 'colour', name: { en: 'Colour', 'zh-CN': '颜色' }, values: ['Red', 'Blue'] },
        { code: 'size', name: { en: 'Size', 'zh-CN': '尺码' }, values: ['S', 'M'] },
      ],
      images: [{ url: '/static/demo/apparel.svg', alt: 'dress' }],
      variants: [
        { sku: 'DRESS-RED-S', optionValues: { colour: 'Red', size: 'S' }, prices: price(19900, 2900) },
        { sku: 'DRESS-RED-M', optionValues: { colour: 'Red', size: 'M' }, prices: price(19900, 2900) },
        { sku: 'DRESS-BLUE-S', optionValues: { colour: 'Blue', size: 'S' }, prices: price(21900, 3100) },
      ],
    });
    await createProduct('shirt', {
      title: { en: 'Linen Shirt', 'zh-CN': '亚麻衬衫' },
      categoryId: categories.apparel,
      variants: [{ sku: 'SHIRT-1', prices: price(9900) }],
    });
    await createProduct('longjing', {
      title: { en: 'West Lake Longjing Green Tea', 'zh-CN': '西湖龙井绿茶' },
      categoryId: categories.tea,
      variants: [{ sku: 'TEA-LJ', prices: price(58800, 8200) }],
    });
    await createProduct('puer', {
      title: { en: 'Aged Pu-erh Tea Cake', 'zh-CN': '陈年普洱茶饼' },
      categoryId: categories.tea,
      variants: [{ sku: 'TEA-PE', prices: price(3900) }],
    });
    await createProduct('draft', { title: { en: 'Unreleased Dress' }, status: 'draft', variants: [{ sku: 'DRAFT-1', prices: price(100) }] });
  });
  afterAll(() => t?.close());

  it('a product page shows localized text, options and prices in the asked currency', async () => {
    const zh = (await store(`/products/${products.dress!.id}`)).json();
    expect(zh.title).toBe('碎花夏季连衣裙');
    expect(zh.options[0]).toEqual({ code: 'colour', name: '颜色', values: ['Red', 'Blue'] });
    expect(zh.priceRange).toEqual({ min: 19900, max: 21900, currency: 'CNY' });
    const en = (await store(`/products/${products.dress!.id}?locale=en&currency=USD`)).json();
    expect(en.title).toBe('Floral Summer Dress');
    expect(en.variants.map((v: Json) => v.price)).toEqual([
      { currency: 'USD', amount: 2900 },
      { currency: 'USD', amount: 2900 },
      { currency: 'USD', amount: 3100 },
    ]);
    const byHeader = (await store(`/products/${products.dress!.id}`, { 'accept-language': 'en-US,en;q=0.9' })).json();
    expect(byHeader.title).toBe('Floral Summer Dress');
  });

  it('drafts are invisible to shoppers but visible to staff', async () => {
    expect((await store(`/products/${products.draft!.id}`)).statusCode).toBe(404);
    expect((await admin('GET', `/products/${products.draft!.id}`)).json().status).toBe('draft');
    const drafts = (await admin('GET', '/products?status=draft')).json();
    expect(drafts.items.map((p: Json) => p.id)).toEqual([products.draft!.id]);
  });

  it('the listing pages through every active product once, newest first', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Json = (await store(`/products?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((p: Json) => p.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['puer', 'longjing', 'shirt', 'dress'].map((key) => products[key]!.id));
  });

  it('sorts by price both ways, with the cursor keeping the order', async () => {
    const ascending: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Json = (await store(`/products?sort=price_asc&limit=3${cursor ? `&cursor=${cursor}` : ''}`)).json();
      ascending.push(...page.items.map((p: Json) => p.slug));
      cursor = page.nextCursor;
    } while (cursor);
    expect(ascending).toEqual(['puer', 'shirt', 'dress', 'longjing'].map((key) => products[key]!.slug));
    const descending = (await store('/products?sort=price_desc')).json().items.map((p: Json) => p.priceRange.min);
    expect(descending).toEqual([58800, 19900, 9900, 3900]);
  });

  it('filters by a category including its subcategories, by id or slug', async () => {
    const apparel = (await store('/products?category=apparel')).json().items.map((p: Json) => p.id);
    expect(apparel.sort()).toEqual([products.dress!.id, products.shirt!.id].sort());
    const dresses = (await store(`/products?category=${categories.dresses}`)).json().items.map((p: Json) => p.id);
    expect(dresses).toEqual([products.dress!.id]);
    expect((await store('/products?category=no-such-category')).json().items).toEqual([]);
  });

  it('searches English words and Chinese substrings', async () => {
    const titles = async (q: string) =>
      (await store(`/products?q=${encodeURIComponent(q)}&locale=en`)).json().items.map((p: Json) => p.title).sort();
    expect(await titles('tea')).toEqual(['Aged Pu-erh Tea Cake', 'West Lake Longjing Green Tea']);
    expect(await titles('连衣裙')).toEqual(['Floral Summer Dress']);
    expect(await titles('普洱')).toEqual(['Aged Pu-erh Tea Cake']);
    expect(await titles('龙井')).toEqual(['West Lake Longjing Green Tea']);
    expect(await titles('summer dress')).toEqual(['Floral Summer Dress']);
    expect(await titles('100%_')).toEqual([]);
  });

  it('the category tree comes back nested and localized', async () => {
    const tree = (await store('/categories?locale=en')).json().items;
    const apparel = tree.find((node: Json) => node.slug === 'apparel');
    expect(apparel.children.map((c: Json) => c.name)).toEqual(['Dresses']);
  });

  it('editing variants keeps the ids of SKUs that stay', async () => {
    const before = products.dress!.variants as Json[];
    const response = await admin('PATCH', `/products/${products.dress!.id}`, {
      variants: [
        { sku: 'DRESS-RED-S', optionValues: { colour: 'Red', size: 'S' }, prices: price(18800) },
        { sku: 'DRESS-BLUE-M', optionValues: { colour: 'Blue', size: 'M' }, prices: price(21900) },
      ],
    });
    expect(response.statusCode, response.body).toBe(200);
    const after = response.json().variants as Json[];
    expect(after.map((v) => v.sku)).toEqual(['DRESS-RED-S', 'DRESS-BLUE-M']);
    expect(after[0]!.id).toBe(before.find((v) => v.sku === 'DRESS-RED-S')!.id);
    expect(after[0]!.prices).toEqual([{ currency: 'CNY', amount: 18800 }]);
    const page = (await store(`/products/${products.dress!.id}`)).json();
    expect(page.priceRange.min).toBe(18800);
  });

  it('archiving takes a product out of the store at once', async () => {
    // Listed (and so kept as sent) before it is archived.
    expect((await store('/products')).json().items.map((p: Json) => p.id)).toContain(products.shirt!.id);
    expect((await admin('POST', `/products/${products.shirt!.id}/archive`)).json().status).toBe('archived');
    expect((await store(`/products/${products.shirt!.id}`)).statusCode).toBe(404);
    expect((await store('/products')).json().items.map((p: Json) => p.id)).not.toContain(products.shirt!.id);
  });

  it('variants that do not fit the options are refused with field errors', async () => {
    const response = await admin('POST', '/products', {
      title: { en: 'Broken' },
      options: [{ code: 'size', name: { en: 'Size' }, values: ['S', 'M'] }],
      variants: [
        { sku: 'B-1', optionValues: { size: 'XL' }, prices: price(100) },
        { sku: 'B-1', optionValues: { size: 'S', colour: 'Red' }, prices: [{ currency: 'USD', amount: 1 }] },
      ],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('invalid_variants');
    const messages = response.json().errors.map((e: Json) => `${e.path}: ${e.message}`).join('\n');
    expect(messages).toContain('body.variants.0.optionValues.size: not one of S, M');
    expect(messages).toContain('body.variants.1.sku: duplicate SKU');
    expect(messages).toContain('needs a CNY price');
  });

  it('a SKU or slug already in use is a 409', async () => {
    const sku = await admin('POST', '/products', { title: { en: 'Copy' }, variants: [{ sku: 'TEA-LJ', prices: price(1) }] });
    expect(sku.json().code).toBe('sku_taken');
    const slug = await admin('POST', '/products', { slug: products.puer!.slug, title: { en: 'Copy' }, variants: [{ sku: 'NEW-1', prices: price(1) }] });
    expect(slug.json().code).toBe('slug_taken');
  });

  it('the product quota holds, also under concurrent creation', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 6 }, (_, i) => admin('POST', '/products', { title: { en: `Filler ${i}` }, variants: [{ sku: `FILL-${i}`, prices: price(1) }] })),
    );
    const created = attempts.filter((r) => r.statusCode === 201).length;
    const refused = attempts.filter((r) => r.statusCode === 403);
    // 5 products exist, one archived: 4 count against the quota of 8.
    expect(created).toBe(4);
    expect(refused).toHaveLength(2);
    expect(refused[0]!.json().code).toBe('quota_exceeded');
  });

  it('a category cannot be moved below itself', async () => {
    const response = await admin('PATCH', `/categories/${categories.apparel}`, { parentId: categories.dresses });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('category_cycle');
  });
});
