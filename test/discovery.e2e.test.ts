import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from './support/databases.ts';
import { cartWith, checkout, newCustomer, pay } from './support/commerce.ts';
import { as, startTestApp, type TestApp } from './support/test-app.ts';

type Json = Record<string, any>;

describe.each(await databaseKinds())('discovery on %s', (kind) => {
  let t: TestApp;
  let token: string;
  let otherToken: string;
  let discId: string;
  const products: Record<string, Json> = {};
  const attributes: Record<string, Json> = {};
  let teaCategory: string;

  const admin = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, who = () => token, slug = 'disc') =>
    t.request({ method, url: `/api/admin${url}`, headers: as(slug, who()), ...(payload ? { payload } : {}) });
  const store = (url: string, slug = 'disc') => t.request({ method: 'GET', url: `/api/store${url}`, headers: as(slug) });
  const listing = async (query: string) => {
    const response = await store(`/products?facets=true&locale=en&${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };
  const slugs = (page: Json) => page.items.map((item: Json) => item.slug);
  /** `{ value: count }` of one facet group. */
  const counts = (page: Json, key: string) =>
    Object.fromEntries((page.facets.find((group: Json) => group.key === key)?.values ?? []).map((value: Json) => [value.value, value.count]));
  const price = (amount: number) => [{ currency: 'CNY', amount }];

  async function product(key: string, body: Json) {
    const response = await admin('POST', '/products', { status: 'active', slug: key, title: { en: key, 'zh-CN': key }, ...body });
    expect(response.statusCode, response.body).toBe(201);
    products[key] = response.json();
  }
  async function stock(key: string, variantIndex: number, units: number) {
    const response = await admin('POST', '/inventory/adjustments', { variantId: products[key]!.variants[variantIndex].id, delta: units, reason: 'opening' });
    expect(response.statusCode, response.body).toBe(201);
  }

  beforeAll(async () => {
    t = await startTestApp(kind);
    const disc = await t.createPlatform('disc', { quotas: { requestsPerSecond: 100_000, products: 100 } });
    token = disc.ownerToken;
    discId = disc.id;
    otherToken = (await t.createPlatform('other', { quotas: { requestsPerSecond: 100_000, products: 100 } })).ownerToken;
    for (const body of [
      { code: 'brand', name: { en: 'Brand', 'zh-CN': '品牌' }, kind: 'choice', position: 1, choices: [{ value: 'acme', name: { en: 'Acme', 'zh-CN': '极客' } }, { value: 'zen', name: { en: 'Zen', 'zh-CN': '禅' } }] },
      { code: 'material', name: { en: 'Material', 'zh-CN': '材质' }, kind: 'choice', position: 2, choices: [{ value: 'cotton', name: { en: 'Cotton', 'zh-CN': '棉' } }, { value: 'linen', name: { en: 'Linen', 'zh-CN': '亚麻' } }] },
      { code: 'weight', name: { en: 'Weight (g)', 'zh-CN': '重量（克）' }, kind: 'number', position: 3 },
    ]) {
      const response = await admin('POST', '/attributes', body);
      expect(response.statusCode, response.body).toBe(201);
      attributes[body.code] = response.json();
    }
    teaCategory = (await admin('POST', '/categories', { slug: 'home', name: { en: 'Home' } })).json().id;
    const colourSize = (colours: string[], sizes: string[]) => [
      { code: 'colour', name: { en: 'Colour' }, values: colours },
      { code: 'size', name: { en: 'Size' }, values: sizes },
    ];
    await product('acme-tee', {
      tags: ['new'],
      attributes: { brand: 'acme', material: 'cotton', weight: 180 },
      options: colourSize(['Red', 'Blue'], ['S', 'M']),
      variants: [
        { sku: 'TEE-RED-S', optionValues: { colour: 'Red', size: 'S' }, prices: price(4900) },
        { sku: 'TEE-BLUE-M', optionValues: { colour: 'Blue', size: 'M' }, prices: price(4900) },
      ],
    });
    await product('acme-hoodie', {
      attributes: { brand: 'acme', material: 'cotton' },
      options: colourSize(['Red'], ['L']),
      variants: [{ sku: 'HOODIE-RED-L', optionValues: { colour: 'Red', size: 'L' }, prices: price(15000) }],
    });
    await product('zen-shirt', {
      tags: ['new'],
      attributes: { brand: 'zen', material: 'linen' },
      options: colourSize(['Blue'], ['M']),
      variants: [{ sku: 'SHIRT-BLUE-M', optionValues: { colour: 'Blue', size: 'M' }, prices: price(9900) }],
    });
    await product('zen-mug', { categoryId: teaCategory, attributes: { brand: 'zen' }, variants: [{ sku: 'MUG', prices: price(2500) }] });
    await product('acme-draft', { status: 'draft', attributes: { brand: 'acme' }, variants: [{ sku: 'DRAFT', prices: price(100) }] });
    await stock('acme-tee', 0, 5);
    await stock('zen-shirt', 0, 3);
    await stock('zen-mug', 0, 10);
  });
  afterAll(() => t?.close());

  it('a product keeps its attribute values and tags, and the admin lists the attributes', async () => {
    const tee = (await admin('GET', `/products/${products['acme-tee']!.id}`)).json();
    expect(tee.attributes).toEqual({ brand: 'acme', material: 'cotton', weight: 180 });
    expect(tee.tags).toEqual(['new']);
    const list = (await admin('GET', '/attributes')).json();
    expect(list.items.map((attribute: Json) => attribute.code)).toEqual(['brand', 'material', 'weight']);
    const updated = await admin('PATCH', `/products/${products['acme-hoodie']!.id}`, { attributes: { brand: 'acme', material: 'cotton', weight: 600 } });
    expect(updated.json().attributes).toEqual({ brand: 'acme', material: 'cotton', weight: 600 });
  });

  it('facet counts describe the listing, with localized attribute names and choice labels', async () => {
    const page = await listing('');
    expect(page.total).toBe(4);
    expect(counts(page, 'attr.brand')).toEqual({ acme: 2, zen: 2 });
    expect(counts(page, 'attr.material')).toEqual({ cotton: 2, linen: 1 });
    expect(counts(page, 'option.colour')).toEqual({ Red: 2, Blue: 2 });
    expect(counts(page, 'option.size')).toEqual({ S: 1, M: 2, L: 1 });
    expect(counts(page, 'price')).toEqual({ '0-5000': 2, '5000-10000': 1, '10000-20000': 1 });
    expect(counts(page, 'inStock')).toEqual({ true: 3 });
    const brand = page.facets.find((group: Json) => group.key === 'attr.brand');
    expect(brand.name).toBe('Brand');
    expect(brand.values[0]).toMatchObject({ value: 'acme', label: 'Acme', selected: false });
    const zh = (await store('/products?facets=true&locale=zh-CN')).json();
    expect(zh.facets.find((group: Json) => group.key === 'attr.brand')).toMatchObject({ name: '品牌', values: [{ label: '极客' }, { label: '禅' }] });
    // Without facets=true the listing stays as light as it was.
    expect((await store('/products')).json().facets).toBeUndefined();
  });

  it('a facet filters the listing; its own counts ignore it, the others apply it', async () => {
    const acme = await listing('attr.brand=acme');
    expect(slugs(acme).sort()).toEqual(['acme-hoodie', 'acme-tee']);
    expect(counts(acme, 'attr.brand')).toEqual({ acme: 2, zen: 2 });
    expect(counts(acme, 'option.colour')).toEqual({ Red: 2, Blue: 1 });
    expect(counts(acme, 'inStock')).toEqual({ true: 1 });
    expect(acme.facets.find((group: Json) => group.key === 'attr.brand').values.find((v: Json) => v.value === 'acme').selected).toBe(true);
  });

  it('filters combine: OR within a facet, AND across facets', async () => {
    const blue = await listing('attr.brand=acme,zen&option.colour=Blue');
    expect(slugs(blue).sort()).toEqual(['acme-tee', 'zen-shirt']);
    expect(blue.total).toBe(2);
    expect(counts(blue, 'attr.brand')).toEqual({ acme: 1, zen: 1 });
    expect(counts(blue, 'option.colour')).toEqual({ Red: 2, Blue: 2 });
    // A repeated key is the same as a list.
    expect(slugs(await listing('attr.brand=acme&attr.brand=zen&option.colour=Blue')).sort()).toEqual(['acme-tee', 'zen-shirt']);

    const cheapInStock = await listing('inStock=true&price=0-5000');
    expect(slugs(cheapInStock).sort()).toEqual(['acme-tee', 'zen-mug']);
    expect(counts(cheapInStock, 'price')).toEqual({ '0-5000': 2, '5000-10000': 1, '10000-20000': 0 });
    expect(counts(cheapInStock, 'inStock')).toEqual({ true: 2 });
    expect(counts(cheapInStock, 'attr.brand')).toEqual({ acme: 1, zen: 1 });

    const ranges = await listing('price=5000-10000,10000-&attr.material=cotton');
    expect(slugs(ranges)).toEqual(['acme-hoodie']);
    // A category and a search narrow the facets' scope too.
    expect(counts(await listing('category=home'), 'attr.brand')).toEqual({ zen: 1 });
    expect(counts(await listing('q=zen'), 'attr.brand')).toEqual({ zen: 2 });
  });

  it('a brand page lists that brand, with its name in the asked locale', async () => {
    expect((await store('/brands/zen?locale=zh-CN')).json()).toEqual({ value: 'zen', name: '禅' });
    expect(slugs(await listing('brand=zen')).sort()).toEqual(['zen-mug', 'zen-shirt']);
    expect((await store('/brands/nobody')).json().code).toBe('brand_not_found');
  });

  it('a manual collection lists its products in the order chosen, and can be reordered', async () => {
    const created = await admin('POST', '/collections', {
      slug: 'picks',
      title: { en: 'Staff picks', 'zh-CN': '精选' },
      kind: 'manual',
      productIds: [products['zen-shirt']!.id, products['acme-tee']!.id],
    });
    expect(created.statusCode, created.body).toBe(201);
    expect((await store('/collections/picks?locale=zh-CN')).json()).toMatchObject({ slug: 'picks', title: '精选', kind: 'manual' });
    expect(slugs(await listing('collection=picks'))).toEqual(['zen-shirt', 'acme-tee']);
    const reordered = await admin('PATCH', `/collections/${created.json().id}`, { productIds: [products['acme-tee']!.id, products['zen-mug']!.id, products['zen-shirt']!.id] });
    expect(reordered.statusCode, reordered.body).toBe(200);
    const page = await listing('collection=picks');
    expect(slugs(page)).toEqual(['acme-tee', 'zen-mug', 'zen-shirt']);
    expect(counts(page, 'attr.brand')).toEqual({ acme: 1, zen: 2 });
  });

  it('a rule collection follows its products: a product changed to match joins it at once', async () => {
    const created = await admin('POST', '/collections', { slug: 'new-in', title: { en: 'New in' }, kind: 'rule', rule: { tags: ['new'] } });
    expect(created.statusCode, created.body).toBe(201);
    expect(slugs(await listing('collection=new-in')).sort()).toEqual(['acme-tee', 'zen-shirt']);
    expect((await admin('PATCH', `/products/${products['acme-hoodie']!.id}`, { tags: ['new', 'winter'] })).statusCode).toBe(200);
    expect(slugs(await listing('collection=new-in')).sort()).toEqual(['acme-hoodie', 'acme-tee', 'zen-shirt']);
    expect((await admin('PATCH', `/products/${products['zen-shirt']!.id}`, { tags: [] })).statusCode).toBe(200);
    expect(slugs(await listing('collection=new-in')).sort()).toEqual(['acme-hoodie', 'acme-tee']);

    const cheapZen = await admin('POST', '/collections', {
      slug: 'cheap-zen',
      title: { en: 'Zen under 50' },
      kind: 'rule',
      rule: { attribute: { code: 'brand', values: ['zen'] }, priceBelow: { currency: 'CNY', amount: 5000 } },
    });
    expect(cheapZen.statusCode, cheapZen.body).toBe(201);
    expect(slugs(await listing('collection=cheap-zen'))).toEqual(['zen-mug']);
    // A price change moves a product into the rule collection.
    const shirt = products['zen-shirt']!;
    expect((await admin('PATCH', `/products/${shirt.id}`, { variants: [{ sku: 'SHIRT-BLUE-M', optionValues: { colour: 'Blue', size: 'M' }, prices: price(4500) }] })).statusCode).toBe(200);
    expect(slugs(await listing('collection=cheap-zen')).sort()).toEqual(['zen-mug', 'zen-shirt']);
    expect((await admin('PATCH', `/collections/${cheapZen.json().id}`, { rule: { categoryId: teaCategory } })).statusCode).toBe(200);
    expect(slugs(await listing('collection=cheap-zen'))).toEqual(['zen-mug']);

    const all = (await admin('GET', '/collections')).json().items.map((collection: Json) => collection.slug);
    expect(all).toEqual(['cheap-zen', 'new-in', 'picks']);
    expect((await admin('DELETE', `/collections/${cheapZen.json().id}`)).statusCode).toBe(204);
    expect((await store('/products?collection=cheap-zen')).json().code).toBe('collection_not_found');
  });

  it('best-selling ranks products by units of paid orders, each paid order counted once', async () => {
    const shopper = await newCustomer(t, 'disc', 'buyer@example.com');
    const buy = async (key: string, quantity: number) => {
      const cartId = await cartWith(t, 'disc', shopper, [{ variantId: products[key]!.variants[0].id, quantity }]);
      const placed = await checkout(t, 'disc', shopper, cartId, `buy-${key}-${quantity}`);
      expect(placed.statusCode, placed.body).toBe(201);
      return placed.json();
    };
    const mugs = await buy('zen-mug', 3);
    const tee = await buy('acme-tee', 1);
    await buy('zen-shirt', 2); // placed but never paid: it doesn't count
    expect((await pay(t, mugs.payment)).statusCode).toBe(200);
    expect((await pay(t, tee.payment)).statusCode).toBe(200);
    await t.dispatcher.drain();
    const ranked = await listing('sort=best_selling');
    expect(slugs(ranked).slice(0, 2)).toEqual(['zen-mug', 'acme-tee']);
    expect(ranked.items.length).toBe(4);

    // Delivered again (at least once), the same event adds nothing.
    const paidEvent = await t.db.withTenant(discId, (tx) =>
      tx.selectFrom('outboxEvents').select(['id', 'aggregateId']).where('type', '=', 'order.paid').where('aggregateId', '=', mugs.order.id).executeTakeFirstOrThrow(),
    );
    await t.services.discovery.countPaidOrder(discId, paidEvent.id, paidEvent.aggregateId);
    const units = await t.db.withTenant(discId, (tx) => tx.selectFrom('productSales').select(['productId', 'unitsSold']).orderBy('unitsSold', 'desc').execute());
    expect(units.map((row) => [row.productId, Number(row.unitsSold)])).toEqual([
      [products['zen-mug']!.id, 3],
      [products['acme-tee']!.id, 1],
    ]);
    // Paging through the ranking keeps its order.
    const first = await listing('sort=best_selling&limit=1');
    const second = await listing(`sort=best_selling&limit=1&cursor=${first.nextCursor}`);
    expect([...slugs(first), ...slugs(second)]).toEqual(['zen-mug', 'acme-tee']);
  });

  describe('bad input is refused with a stable code and writes nothing', () => {
    it('unknown attributes and values on a product', async () => {
      const unknown = await admin('PATCH', `/products/${products['zen-mug']!.id}`, { attributes: { colourway: 'red' } });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().code).toBe('unknown_attribute');
      const badChoice = await admin('PATCH', `/products/${products['zen-mug']!.id}`, { attributes: { brand: 'nobody' } });
      expect(badChoice.json().code).toBe('invalid_attribute_value');
      const badNumber = await admin('PATCH', `/products/${products['zen-mug']!.id}`, { attributes: { weight: 'heavy' } });
      expect(badNumber.json().code).toBe('invalid_attribute_value');
      const created = await admin('POST', '/products', { title: { en: 'x' }, attributes: { brand: 'nobody' }, variants: [{ sku: 'NOPE-1', prices: price(1) }] });
      expect(created.json().code).toBe('invalid_attribute_value');
      expect((await admin('GET', `/products/${products['zen-mug']!.id}`)).json().attributes).toEqual({ brand: 'zen' });
      expect((await admin('GET', '/products?q=x')).json().items).toEqual([]);
    });

    it('duplicate codes and slugs, choices still in use, malformed attributes', async () => {
      const duplicate = await admin('POST', '/attributes', { code: 'brand', name: { en: 'Brand again' }, kind: 'choice', choices: [{ value: 'a', name: { en: 'A' } }] });
      expect(duplicate.statusCode).toBe(409);
      expect(duplicate.json().code).toBe('attribute_code_taken');
      const noChoices = await admin('POST', '/attributes', { code: 'style', name: { en: 'Style' }, kind: 'choice', choices: [] });
      expect(noChoices.json().code).toBe('validation_failed');
      const twice = await admin('POST', '/attributes', { code: 'style', name: { en: 'Style' }, kind: 'choice', choices: [{ value: 'a', name: { en: 'A' } }, { value: 'a', name: { en: 'B' } }] });
      expect(twice.json().code).toBe('validation_failed');
      const inUse = await admin('PATCH', `/attributes/${attributes.brand!.id}`, { choices: [{ value: 'acme', name: { en: 'Acme' } }] });
      expect(inUse.statusCode).toBe(409);
      expect(inUse.json().code).toBe('attribute_choice_in_use');
      const renamed = await admin('PATCH', `/attributes/${attributes.brand!.id}`, { name: { en: 'Maker', 'zh-CN': '品牌' } });
      expect(renamed.json().name).toEqual({ en: 'Maker', 'zh-CN': '品牌' });
      expect(counts(await listing(''), 'attr.brand')).toEqual({ acme: 2, zen: 2 });
      expect((await admin('GET', '/attributes')).json().items).toHaveLength(3);

      const slugTaken = await admin('POST', '/collections', { slug: 'picks', title: { en: 'Again' }, kind: 'manual' });
      expect(slugTaken.statusCode).toBe(409);
      expect(slugTaken.json().code).toBe('slug_taken');
      const ruleless = await admin('POST', '/collections', { slug: 'empty-rule', title: { en: 'x' }, kind: 'rule', rule: {} });
      expect(ruleless.json().code).toBe('validation_failed');
      const badRule = await admin('POST', '/collections', { slug: 'bad-rule', title: { en: 'x' }, kind: 'rule', rule: { attribute: { code: 'nope', values: ['a'] } } });
      expect(badRule.json().code).toBe('invalid_collection');
      const twiceListed = await admin('POST', '/collections', { slug: 'twice', title: { en: 'x' }, kind: 'manual', productIds: [products['zen-mug']!.id, products['zen-mug']!.id] });
      expect(twiceListed.json().code).toBe('invalid_collection');
      expect((await admin('GET', '/collections')).json().items).toHaveLength(2);
    });

    it('unknown facets and malformed filters on the listing', async () => {
      for (const [query, code] of [
        ['attr.nope=a', 'unknown_facet'],
        ['colour=Red', 'unknown_facet'],
        ['option.Bad-Code=a', 'unknown_facet'],
        ['price=cheap', 'validation_failed'],
        ['price=500-100', 'validation_failed'],
        ['inStock=maybe', 'validation_failed'],
        ['sort=random', 'validation_failed'],
        ['facets=yes', 'validation_failed'],
      ]) {
        const response = await store(`/products?${query}`);
        expect(response.statusCode, query).toBe(400);
        expect(response.json().code, query).toBe(code);
      }
      expect((await store('/products?collection=nothing-here')).statusCode).toBe(404);
    });
  });

  it('concurrent creations of one attribute code or collection slug: one wins, the others hear why', async () => {
    const attempts = await Promise.all(
      [1, 2, 3, 4].map(() => admin('POST', '/attributes', { code: 'season', name: { en: 'Season' }, kind: 'choice', choices: [{ value: 'summer', name: { en: 'Summer' } }] })),
    );
    expect(attempts.map((response) => response.statusCode).sort()).toEqual([201, 409, 409, 409]);
    expect(attempts.filter((response) => response.statusCode === 409).map((response) => response.json().code)).toEqual(['attribute_code_taken', 'attribute_code_taken', 'attribute_code_taken']);
    const collections = await Promise.all([1, 2, 3].map(() => admin('POST', '/collections', { slug: 'raced', title: { en: 'Raced' }, kind: 'rule', rule: { tags: ['new'] } })));
    expect(collections.map((response) => response.statusCode).sort()).toEqual([201, 409, 409]);
    expect(collections.filter((response) => response.statusCode === 409).map((response) => response.json().code)).toEqual(['slug_taken', 'slug_taken']);
    const raced = collections.find((response) => response.statusCode === 201)!.json();
    expect((await admin('DELETE', `/collections/${raced.id}`)).statusCode).toBe(204);
  });

  describe('isolation', () => {
    it("another platform's attributes, collections and brands are not there", async () => {
      expect((await admin('GET', '/attributes', undefined, () => otherToken, 'other')).json().items).toEqual([]);
      const other = await store('/products?attr.brand=acme', 'other');
      expect(other.json().code).toBe('unknown_facet');
      expect((await store('/collections/picks', 'other')).statusCode).toBe(404);
      expect((await store('/brands/acme', 'other')).statusCode).toBe(404);
      const picks = (await admin('GET', '/collections')).json().items.find((collection: Json) => collection.slug === 'picks');
      expect((await admin('GET', `/collections/${picks.id}`, undefined, () => otherToken, 'other')).statusCode).toBe(404);
      expect((await admin('PATCH', `/attributes/${attributes.brand!.id}`, { position: 9 }, () => otherToken, 'other')).statusCode).toBe(404);
      expect((await admin('DELETE', `/collections/${picks.id}`, undefined, () => otherToken, 'other')).statusCode).toBe(404);
      // Another platform's product can't be put into a collection.
      const foreign = await admin('POST', '/collections', { slug: 'mine', title: { en: 'x' }, kind: 'manual', productIds: [products['zen-mug']!.id] }, () => otherToken, 'other');
      expect(foreign.statusCode).toBe(422);
      expect(foreign.json().code).toBe('product_not_found');
      // Its own attribute of the same code is its own.
      const own = await admin('POST', '/attributes', { code: 'brand', name: { en: 'Brand' }, kind: 'choice', choices: [{ value: 'acme', name: { en: 'Other Acme' } }] }, () => otherToken, 'other');
      expect(own.statusCode).toBe(201);
      expect((await store('/products?facets=true&attr.brand=acme', 'other')).json()).toMatchObject({ items: [], total: 0 });
    });
  });
});
