import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS, newCustomer, stockedShop } from './support/commerce.ts';
import { databaseKinds } from './support/databases.ts';
import { as, startTestApp, type TestApp } from './support/test-app.ts';

type Json = Record<string, any>;

const HOME = { name: '王小明', phone: '+8613800138000', country: 'CN', city: '杭州市', line1: '文三路 100 号' };
const OFFICE = { ...ADDRESS, name: 'Wang Office', line1: '1 Office Park', line2: 'Floor 3' };

describe.each(await databaseKinds())('customer accounts on %s', (kind) => {
  let t: TestApp;
  let shop: Awaited<ReturnType<typeof stockedShop>>;
  let other: Awaited<ReturnType<typeof stockedShop>>;

  beforeAll(async () => {
    t = await startTestApp(kind);
    shop = await stockedShop(t, 'acct', { TEA: { price: 1200, units: 5 }, CUP: { price: 800, units: 5 }, OLD: { price: 500, units: 0 } });
    other = await stockedShop(t, 'acct-other', { ELSE: { price: 100, units: 1 } });
  });
  afterAll(() => t?.close());

  const call = (method: string, url: string, token: string, payload?: object, slug = 'acct') =>
    t.request({ method: method as 'GET', url: `/api/store/account${url}`, headers: as(slug, token), ...(payload ? { payload } : {}) });
  const addresses = async (token: string, slug = 'acct') => (await call('GET', '/addresses', token, undefined, slug)).json().items as Json[];
  const defaults = async (token: string) => (await addresses(token)).filter((a) => a.isDefault);
  const eventsOf = async (customerId: string, tenantId = shop.id) =>
    t.db.withTenant(tenantId, (tx) =>
      tx.selectFrom('outboxEvents').select(['type', 'payload']).where('aggregateType', '=', 'customer').where('aggregateId', '=', customerId).orderBy('seq').execute(),
    );
  const customerIdOf = async (token: string) => (await call('GET', '/profile', token)).json().id as string;
  const addressRows = () => t.db.withTenant(shop.id, (tx) => tx.selectFrom('customerAddresses').select('id').execute());

  describe('address book', () => {
    it('keeps addresses in checkout’s shape; the first is the default, and making another default moves it', async () => {
      const token = await newCustomer(t, 'acct', 'book@example.com');
      const first = await call('POST', '/addresses', token, { address: HOME });
      expect(first.statusCode).toBe(201);
      expect(first.json()).toMatchObject({ address: HOME, isDefault: true });
      const second = await call('POST', '/addresses', token, { address: OFFICE });
      expect(second.json()).toMatchObject({ address: OFFICE, isDefault: false });

      const moved = await call('POST', `/addresses/${second.json().id}/default`, token);
      expect(moved.statusCode).toBe(200);
      expect(moved.json().isDefault).toBe(true);
      const listed = await addresses(token);
      expect(listed.map((a) => [a.id, a.isDefault])).toEqual([
        [second.json().id, true],
        [first.json().id, false],
      ]);

      // Making the default the default again changes nothing.
      expect((await call('POST', `/addresses/${second.json().id}/default`, token)).json().isDefault).toBe(true);
      const customerId = await customerIdOf(token);
      expect((await eventsOf(customerId)).map((e) => e.type)).toEqual([
        'customer.address_added',
        'customer.default_address_changed',
        'customer.address_added',
        'customer.default_address_changed',
      ]);
      expect((await eventsOf(customerId))[3]!.payload).toEqual({ addressId: second.json().id, previousAddressId: first.json().id });
    });

    it('a new address can take the default as it is added', async () => {
      const token = await newCustomer(t, 'acct', 'takeover@example.com');
      await call('POST', '/addresses', token, { address: HOME });
      const office = await call('POST', '/addresses', token, { address: OFFICE, makeDefault: true });
      expect(office.json().isDefault).toBe(true);
      expect((await defaults(token)).map((a) => a.id)).toEqual([office.json().id]);
    });

    it('a saved address is accepted by checkout as it is', async () => {
      const token = await newCustomer(t, 'acct', 'shipper@example.com');
      const saved = (await call('POST', '/addresses', token, { address: OFFICE })).json();
      const cart = await t.request({ method: 'POST', url: '/api/store/carts', headers: as('acct', token), payload: {} });
      await t.request({ method: 'POST', url: `/api/store/carts/${cart.json().id}/lines`, headers: as('acct', token), payload: { variantId: shop.variants.TEA, quantity: 1 } });
      const order = await t.request({
        method: 'POST',
        url: `/api/store/carts/${cart.json().id}/checkout`,
        headers: { ...as('acct', token), 'idempotency-key': 'saved-address-0001' },
        payload: { shippingAddress: saved.address },
      });
      expect(order.statusCode, order.body).toBe(201);
      expect(order.json().order.shippingAddress).toEqual(OFFICE);
    });

    it('an edit replaces the address and keeps whether it is the default', async () => {
      const token = await newCustomer(t, 'acct', 'editor@example.com');
      const saved = (await call('POST', '/addresses', token, { address: OFFICE })).json();
      const edited = await call('PATCH', `/addresses/${saved.id}`, token, { address: HOME });
      expect(edited.statusCode).toBe(200);
      expect(edited.json()).toMatchObject({ id: saved.id, address: HOME, isDefault: true });
      expect(edited.json().address).not.toHaveProperty('line2');
      expect((await eventsOf(await customerIdOf(token))).map((e) => e.type)).toContain('customer.address_updated');
    });

    it('deleting the default hands it to the newest address left; deleting the last leaves none', async () => {
      const token = await newCustomer(t, 'acct', 'remover@example.com');
      const a = (await call('POST', '/addresses', token, { address: { ...HOME, line1: 'A' } })).json();
      const b = (await call('POST', '/addresses', token, { address: { ...HOME, line1: 'B' } })).json();
      const c = (await call('POST', '/addresses', token, { address: { ...HOME, line1: 'C' } })).json();
      expect(a.isDefault).toBe(true);

      expect((await call('DELETE', `/addresses/${b.id}`, token)).statusCode).toBe(204);
      expect((await defaults(token)).map((x) => x.id)).toEqual([a.id]);

      expect((await call('DELETE', `/addresses/${a.id}`, token)).statusCode).toBe(204);
      expect((await defaults(token)).map((x) => x.id)).toEqual([c.id]);

      expect((await call('DELETE', `/addresses/${c.id}`, token)).statusCode).toBe(204);
      expect(await addresses(token)).toEqual([]);
      const next = (await call('POST', '/addresses', token, { address: HOME })).json();
      expect(next.isDefault).toBe(true);

      const events = await eventsOf(await customerIdOf(token));
      expect(events.filter((e) => e.type === 'customer.address_removed').map((e) => e.payload)).toEqual([
        { addressId: b.id, wasDefault: false },
        { addressId: a.id, wasDefault: true },
        { addressId: c.id, wasDefault: true },
      ]);
      expect(events.filter((e) => e.type === 'customer.default_address_changed').map((e) => e.payload)).toEqual([
        { addressId: a.id, previousAddressId: null },
        { addressId: c.id, previousAddressId: a.id },
        { addressId: next.id, previousAddressId: null },
      ]);
    });

    it('concurrent "make default" requests leave exactly one default', async () => {
      const token = await newCustomer(t, 'acct', 'racer@example.com');
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) ids.push((await call('POST', '/addresses', token, { address: { ...HOME, line1: `Road ${i}` } })).json().id);
      for (let round = 0; round < 3; round++) {
        const answers = await Promise.all(ids.map((id) => call('POST', `/addresses/${id}/default`, token)));
        expect(answers.map((a) => a.statusCode)).toEqual(ids.map(() => 200));
        const now = await defaults(token);
        expect(now).toHaveLength(1);
        expect(ids).toContain(now[0]!.id);
      }
    });

    it('the database itself refuses a second default', async () => {
      const token = await newCustomer(t, 'acct', 'guarded@example.com');
      await call('POST', '/addresses', token, { address: HOME });
      const second = (await call('POST', '/addresses', token, { address: OFFICE })).json();
      const forced = t.db.withTenant(shop.id, (tx) => tx.updateTable('customerAddresses').set({ isDefault: true }).where('id', '=', second.id).execute());
      await expect(forced).rejects.toMatchObject({ code: '23505' });
      expect(await defaults(token)).toHaveLength(1);
    });

    it('holds at most 50 addresses: the 51st is a 422 and writes nothing', async () => {
      const token = await newCustomer(t, 'acct', 'hoarder@example.com');
      await Promise.all(Array.from({ length: 50 }, (_, i) => call('POST', '/addresses', token, { address: { ...HOME, line1: `No. ${i}` } })));
      expect(await addresses(token)).toHaveLength(50);
      expect(await defaults(token)).toHaveLength(1);
      const over = await call('POST', '/addresses', token, { address: HOME, makeDefault: true });
      expect(over.statusCode).toBe(422);
      expect(over.json().code).toBe('address_book_full');
      expect(await addresses(token)).toHaveLength(50);
    });

    it.each([
      ['a missing city', { address: { ...HOME, city: undefined } }, 'body.address.city'],
      ['a bad phone', { address: { ...HOME, phone: 'call me' } }, 'body.address.phone'],
      ['a lowercase country', { address: { ...HOME, country: 'cn' } }, 'body.address.country'],
      ['a control character', { address: { ...HOME, line1: 'a\u0007b' } }, 'body.address.line1'],
      ['an unknown field', { address: { ...HOME, floor: 3 } }, 'body.address'],
      ['an over-long name', { address: { ...HOME, name: 'x'.repeat(101) } }, 'body.address.name'],
      ['no address', { makeDefault: true }, 'body.address'],
    ])('refuses %s with a 400 and writes nothing', async (_label, payload, path) => {
      const token = await newCustomer(t, 'acct', `bad-${Math.random().toString(36).slice(2)}@example.com`);
      const before = (await addressRows()).length;
      const refused = await call('POST', '/addresses', token, payload);
      expect(refused.statusCode).toBe(400);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.json().errors.map((e: Json) => e.path)).toContain(path);
      expect((await addressRows()).length).toBe(before);
    });

    it("unknown ids, another customer's and another platform's addresses are 404 and stay as they were", async () => {
      const owner = await newCustomer(t, 'acct', 'owner-of-address@example.com');
      const saved = (await call('POST', '/addresses', owner, { address: HOME })).json();
      const stranger = await newCustomer(t, 'acct', 'stranger@example.com');
      const elsewhere = await newCustomer(t, 'acct-other', 'owner-of-address@example.com');
      const unknown = `adr_${'0'.repeat(26)}`;

      for (const [token, slug, id] of [
        [stranger, 'acct', saved.id],
        [owner, 'acct', unknown],
        [elsewhere, 'acct-other', saved.id],
      ] as const) {
        for (const [method, url, payload] of [
          ['PATCH', `/addresses/${id}`, { address: OFFICE }],
          ['DELETE', `/addresses/${id}`, undefined],
          ['POST', `/addresses/${id}/default`, undefined],
        ] as const) {
          const answer = await call(method, url, token, payload, slug);
          expect(answer.statusCode, `${method} ${url}`).toBe(404);
          expect(answer.json().code).toBe('address_not_found');
        }
      }
      expect(await addresses(stranger)).toEqual([]);
      expect(await addresses(elsewhere, 'acct-other')).toEqual([]);
      expect(await addresses(owner)).toEqual([expect.objectContaining({ id: saved.id, address: HOME, isDefault: true })]);
    });

    it('a malformed id is a 400 and every route needs a customer login', async () => {
      const token = await newCustomer(t, 'acct', 'malformed@example.com');
      expect((await call('DELETE', '/addresses/not-an-id', token)).statusCode).toBe(400);
      expect((await call('POST', `/addresses/ord_${'0'.repeat(26)}/default`, token)).statusCode).toBe(400);
      for (const url of ['/addresses', '/profile', '/wishlist']) {
        const anonymous = await t.request({ method: 'GET', url: `/api/store/account${url}`, headers: as('acct') });
        expect(anonymous.statusCode).toBe(401);
        const staff = await t.request({ method: 'GET', url: `/api/store/account${url}`, headers: as('acct', shop.ownerToken) });
        expect(staff.statusCode).toBe(403);
      }
    });
  });

  describe('profile', () => {
    it('a customer renames themself and adds a phone; the change is an event', async () => {
      const token = await newCustomer(t, 'acct', 'profile@example.com');
      const renamed = await call('PATCH', '/profile', token, { name: '李雷' });
      expect(renamed.statusCode).toBe(200);
      expect(renamed.json()).toMatchObject({ email: 'profile@example.com', name: '李雷', phone: null });
      const phoned = await call('PATCH', '/profile', token, { phone: '+8613911112222', currentPassword: 'customer-pass-1' });
      expect(phoned.json()).toMatchObject({ phone: '+8613911112222' });
      expect((await call('GET', '/profile', token)).json()).toMatchObject({ name: '李雷', phone: '+8613911112222' });
      expect((await eventsOf(renamed.json().id)).map((e) => e.payload)).toEqual([{ changed: ['name'] }, { changed: ['phone'] }]);
      // The new phone is a login.
      const login = await t.request({ method: 'POST', url: '/api/store/auth/login', headers: as('acct'), payload: { phone: '+8613911112222', password: 'customer-pass-1' } });
      expect(login.statusCode).toBe(200);
    });

    it('changes the email only with the current password, and the new email logs in', async () => {
      const token = await newCustomer(t, 'acct', 'mover@example.com');
      const without = await call('PATCH', '/profile', token, { email: 'moved@example.com' });
      expect(without.statusCode).toBe(400);
      expect(without.json().errors.map((e: Json) => e.path)).toContain('body.currentPassword');
      const wrong = await call('PATCH', '/profile', token, { email: 'moved@example.com', currentPassword: 'not-the-password' });
      expect(wrong.statusCode).toBe(403);
      expect(wrong.json().code).toBe('wrong_current_password');
      expect((await call('GET', '/profile', token)).json().email).toBe('mover@example.com');

      const moved = await call('PATCH', '/profile', token, { email: 'Moved@Example.com', currentPassword: 'customer-pass-1' });
      expect(moved.statusCode).toBe(200);
      expect(moved.json().email).toBe('moved@example.com');
      const login = await t.request({ method: 'POST', url: '/api/store/auth/login', headers: as('acct'), payload: { email: 'moved@example.com', password: 'customer-pass-1' } });
      expect(login.statusCode).toBe(200);
    });

    it("can't take another account's email or phone (409), though another platform's is free", async () => {
      await newCustomer(t, 'acct', 'taken@example.com');
      const phoneHolder = await newCustomer(t, 'acct', 'phone-holder@example.com');
      await call('PATCH', '/profile', phoneHolder, { phone: '+8613700000001', currentPassword: 'customer-pass-1' });
      const token = await newCustomer(t, 'acct', 'thief@example.com');

      const email = await call('PATCH', '/profile', token, { email: 'TAKEN@example.com', currentPassword: 'customer-pass-1' });
      expect(email.statusCode).toBe(409);
      expect(email.json().code).toBe('email_taken');
      const phone = await call('PATCH', '/profile', token, { phone: '+8613700000001', currentPassword: 'customer-pass-1' });
      expect(phone.statusCode).toBe(409);
      expect(phone.json().code).toBe('phone_taken');
      expect((await call('GET', '/profile', token)).json()).toMatchObject({ email: 'thief@example.com', phone: null });

      const abroad = await newCustomer(t, 'acct-other', 'abroad@example.com');
      expect((await call('PATCH', '/profile', abroad, { email: 'taken@example.com', currentPassword: 'customer-pass-1' }, 'acct-other')).statusCode).toBe(200);
    });

    it('two accounts asking for the same new email at once: one gets it, the other a 409', async () => {
      const first = await newCustomer(t, 'acct', 'racer-one@example.com');
      const second = await newCustomer(t, 'acct', 'racer-two@example.com');
      const answers = await Promise.all(
        [first, second].map((token) => call('PATCH', '/profile', token, { email: 'prize@example.com', currentPassword: 'customer-pass-1' })),
      );
      expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
      expect(answers.find((a) => a.statusCode === 409)!.json().code).toBe('email_taken');
    });

    it('two edits at once that each drop one login keep the other: one succeeds, one is a 422', async () => {
      const token = await newCustomer(t, 'acct', 'both@example.com');
      await call('PATCH', '/profile', token, { phone: '+8613700000099', currentPassword: 'customer-pass-1' });
      const answers = await Promise.all([
        call('PATCH', '/profile', token, { email: null, currentPassword: 'customer-pass-1' }),
        call('PATCH', '/profile', token, { phone: null, currentPassword: 'customer-pass-1' }),
      ]);
      const statuses = answers.map((a) => a.statusCode);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(answers.filter((a) => a.statusCode !== 200).map((a) => [a.statusCode, a.json().code])).toEqual([[422, 'login_required']]);
      const profile = (await call('GET', '/profile', token)).json();
      expect(profile.email === null && profile.phone === null).toBe(false);
    });

    it('keeps one login: removing the only one is a 422; bad values are 400s', async () => {
      const token = await newCustomer(t, 'acct', 'lonely@example.com');
      const none = await call('PATCH', '/profile', token, { email: null, currentPassword: 'customer-pass-1' });
      expect(none.statusCode).toBe(422);
      expect(none.json().code).toBe('login_required');
      for (const payload of [{}, { email: 'not-an-email', currentPassword: 'customer-pass-1' }, { phone: '12', currentPassword: 'customer-pass-1' }, { name: '' }, { name: 'x'.repeat(101) }, { role: 'owner' }]) {
        expect((await call('PATCH', '/profile', token, payload)).statusCode, JSON.stringify(payload)).toBe(400);
      }
      expect((await call('GET', '/profile', token)).json()).toMatchObject({ email: 'lonely@example.com', name: null });
      expect(await eventsOf(await customerIdOf(token))).toEqual([]);
    });
  });

  describe('wishlist', () => {
    it('adds products once, lists them as they are now, and shows an archived one as unavailable', async () => {
      const token = await newCustomer(t, 'acct', 'wisher@example.com');
      const first = await call('PUT', `/wishlist/${shop.products.TEA}`, token);
      expect(first.statusCode).toBe(201);
      const again = await call('PUT', `/wishlist/${shop.products.TEA}`, token);
      expect(again.statusCode).toBe(200);
      expect(again.json().addedAt).toBe(first.json().addedAt);
      expect((await call('PUT', `/wishlist/${shop.products.OLD}`, token)).statusCode).toBe(201);

      const archived = await t.request({ method: 'POST', url: `/api/admin/products/${shop.products.OLD}/archive`, headers: as('acct', shop.ownerToken) });
      expect(archived.statusCode).toBe(200);
      const renamed = await t.request({
        method: 'PATCH',
        url: `/api/admin/products/${shop.products.TEA}`,
        headers: as('acct', shop.ownerToken),
        payload: { title: { en: 'Dragon Well', 'zh-CN': '龙井' } },
      });
      expect(renamed.statusCode, renamed.body).toBe(200);

      const listed = await call('GET', '/wishlist?locale=en', token);
      expect(listed.json().items).toEqual([
        expect.objectContaining({ productId: shop.products.OLD, title: 'OLD', available: false, priceRange: null }),
        expect.objectContaining({ productId: shop.products.TEA, title: 'Dragon Well', available: true, priceRange: { min: 1200, max: 1200, currency: 'CNY' } }),
      ]);
      expect((await call('GET', '/wishlist?locale=zh-CN', token)).json().items[1].title).toBe('龙井');

      expect((await call('DELETE', `/wishlist/${shop.products.OLD}`, token)).statusCode).toBe(204);
      const gone = await call('DELETE', `/wishlist/${shop.products.OLD}`, token);
      expect(gone.statusCode).toBe(404);
      expect(gone.json().code).toBe('wishlist_item_not_found');
      expect((await call('GET', '/wishlist', token)).json().items.map((i: Json) => i.productId)).toEqual([shop.products.TEA]);

      expect((await eventsOf(await customerIdOf(token))).map((e) => e.type)).toEqual([
        'customer.wishlist_item_added',
        'customer.wishlist_item_added',
        'customer.wishlist_item_removed',
      ]);
    });

    it("can't wish for an archived, unknown or another platform's product", async () => {
      const token = await newCustomer(t, 'acct', 'picky@example.com');
      for (const productId of [shop.products.OLD, other.products.ELSE, `prod_${'0'.repeat(26)}`]) {
        const answer = await call('PUT', `/wishlist/${productId}`, token);
        expect([400, 404], `${productId}: ${answer.body}`).toContain(answer.statusCode);
      }
      const foreign = await call('PUT', `/wishlist/${other.products.ELSE}`, token);
      expect(foreign.statusCode).toBe(404);
      expect(foreign.json().code).toBe('product_not_found');
      expect((await call('PUT', `/wishlist/cart_${'0'.repeat(26)}`, token)).statusCode).toBe(400);
      expect((await call('GET', '/wishlist', token)).json().items).toEqual([]);
    });

    it('holds at most 200 products: the 201st is a 422, an existing one is still fine', async () => {
      const owner = as('acct', shop.ownerToken);
      const ids: string[] = [];
      for (let i = 0; i < 201; i++) {
        const created = await t.request({
          method: 'POST',
          url: '/api/admin/products',
          headers: owner,
          payload: { title: { en: `Wish ${i}` }, status: 'active', variants: [{ sku: `WISH-${i}`, prices: [{ currency: 'CNY', amount: 100 + i }] }] },
        });
        expect(created.statusCode, created.body).toBe(201);
        ids.push(created.json().id);
      }
      const token = await newCustomer(t, 'acct', 'greedy@example.com');
      for (let i = 0; i < 200; i += 25) {
        const answers = await Promise.all(ids.slice(i, i + 25).map((id) => call('PUT', `/wishlist/${id}`, token)));
        expect(answers.map((a) => a.statusCode)).toEqual(answers.map(() => 201));
      }
      const over = await call('PUT', `/wishlist/${ids[200]}`, token);
      expect(over.statusCode).toBe(422);
      expect(over.json().code).toBe('wishlist_full');
      expect((await call('PUT', `/wishlist/${ids[0]}`, token)).statusCode).toBe(200);
      expect((await call('GET', '/wishlist', token)).json().items).toHaveLength(200);
    });

    it("one customer's wishlist is not another's", async () => {
      const mine = await newCustomer(t, 'acct', 'mine@example.com');
      const theirs = await newCustomer(t, 'acct', 'theirs@example.com');
      await call('PUT', `/wishlist/${shop.products.CUP}`, mine);
      expect((await call('GET', '/wishlist', theirs)).json().items).toEqual([]);
      expect((await call('DELETE', `/wishlist/${shop.products.CUP}`, theirs)).statusCode).toBe(404);
      expect((await call('GET', '/wishlist', mine)).json().items).toHaveLength(1);
    });
  });
});
