import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tx } from '../src/infra/db/database.ts';
import { accountId, captureTender, checkLedger, holdTender, refundTender, releaseTender, transfer, type Tender } from '../src/modules/ledger/index.ts';
import { ADDRESS, cartWith, newCustomer, stockedShop } from './support/commerce.ts';
import { databaseKinds } from './support/databases.ts';
import { as, startTestApp, type TestApp } from './support/test-app.ts';

type Shop = Awaited<ReturnType<typeof stockedShop>>;

describe.each(await databaseKinds())('gift cards, store credit and the tender ledger on %s', (kind) => {
  let t: TestApp;
  let shop: Shop;
  let other: Awaited<ReturnType<TestApp['createPlatform']>>;
  let orderSeq = 0;
  const nextOrder = () => `ord_test_${kind}_${++orderSeq}`;
  const inShop = <T>(work: (tx: Tx) => Promise<T>) => t.db.withTenant(shop.id, work);

  const issue = async (payload: Record<string, unknown>, slug = shop.slug, token = shop.ownerToken, key?: string) =>
    t.request({ method: 'POST', url: '/api/admin/gift-cards', headers: { ...as(slug, token), ...(key ? { 'idempotency-key': key } : {}) }, payload });
  const card = async (amount: number, extra: Record<string, unknown> = {}) => {
    const issued = await issue({ amount, ...extra });
    expect(issued.statusCode, issued.body).toBe(201);
    return issued.json() as { id: string; fullCode: string; code: string; balance: number };
  };
  const balanceOf = (code: string, slug = shop.slug) => t.request({ method: 'GET', url: `/api/store/gift-cards/balance?code=${encodeURIComponent(code)}`, headers: as(slug) });
  const customerId = async (email: string) =>
    (await t.db.owner.selectFrom('customers').select('id').where('tenantId', '=', shop.id).where('email', '=', email).executeTakeFirstOrThrow()).id;
  const grant = (customer: string, amount: number, key?: string, reason = 'sorry for the delay') =>
    t.request({
      method: 'POST',
      url: `/api/admin/customers/${encodeURIComponent(customer)}/store-credit`,
      headers: { ...as(shop.slug, shop.ownerToken), ...(key ? { 'idempotency-key': key } : {}) },
      payload: { amount, reason },
    });
  const events = async (type: string) =>
    (await t.db.owner.selectFrom('outboxEvents').select(['aggregateId', 'payload']).where('tenantId', '=', shop.id).where('type', '=', type).orderBy('seq').execute()).map((row) => row.payload as Record<string, any>);
  const books = () => inShop(checkLedger);

  // Every query text the app sends, so a test can count what one call costs.
  let texts: string[] = [];

  beforeAll(async () => {
    t = await startTestApp(kind, { observeQueries: (text) => texts.push(text) });
    shop = await stockedShop(t, 'ledger', { TEA: { price: 2000, units: 50 } });
    other = await t.createPlatform('elsewhere');
  });
  afterAll(() => t?.close());

  it('issues a card whose code is shown once, and answers its balance however the code is typed', async () => {
    const issued = await card(5000, { note: 'raffle prize' });
    expect(issued.fullCode).toMatch(/^([0-9A-Z]{4}-){3}[0-9A-Z]{4}$/);
    expect(issued.code).toBe(`****-****-****-${issued.fullCode.slice(-4)}`);
    expect(issued.balance).toBe(5000);
    const listed = await t.request({ method: 'GET', url: `/api/admin/gift-cards?q=${issued.fullCode.slice(-4)}`, headers: as(shop.slug, shop.ownerToken) });
    expect(listed.json().items.map((item: { id: string }) => item.id)).toContain(issued.id);
    expect(listed.body).not.toContain(issued.fullCode);
    const byNote = await t.request({ method: 'GET', url: '/api/admin/gift-cards?q=raffle', headers: as(shop.slug, shop.ownerToken) });
    expect(byNote.json().items).toHaveLength(1);
    const checked = await balanceOf(` ${issued.fullCode.toLowerCase().replaceAll('-', ' ')} `);
    expect(checked.statusCode, checked.body).toBe(200);
    expect(checked.json()).toMatchObject({ balance: 5000, currency: 'CNY', code: issued.code });
    expect(checked.headers['cache-control']).toBe('no-store');
    expect((await events('giftcard.issued')).find((event) => event.giftCardId === issued.id)).toMatchObject({ amount: 5000, currency: 'CNY' });
    const detail = await t.request({ method: 'GET', url: `/api/admin/gift-cards/${issued.id}`, headers: as(shop.slug, shop.ownerToken) });
    expect(detail.json().movements).toEqual([expect.objectContaining({ kind: 'giftcard.issued', amount: 5000 })]);
    expect(await books()).toEqual([]);
  });

  it('refuses bad issues and writes nothing', async () => {
    const before = await t.db.owner.selectFrom('giftCards').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    for (const payload of [{ amount: 0 }, { amount: -5 }, { amount: 1.5 }, { amount: 100, currency: 'EUR' }, { amount: 100, expiresAt: '2020-01-01T00:00:00Z' }, { amount: 100, code: 'MINE' }]) {
      const refused = await issue(payload);
      expect(refused.statusCode, JSON.stringify(payload)).toBe(400);
      expect(refused.headers['content-type']).toContain('application/problem+json');
    }
    const after = await t.db.owner.selectFrom('giftCards').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('answers unknown, other-platform, disabled and expired cards with stable codes', async () => {
    const unknown = await balanceOf('ABCD-EFGH-JKMN-PQRS');
    expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'gift_card_not_found']);
    expect((await balanceOf('not a code')).json().code).toBe('gift_card_not_found');
    const theirs = await issue({ amount: 700 }, other.slug, other.ownerToken);
    expect(theirs.statusCode).toBe(201);
    const foreign = await balanceOf(theirs.json().fullCode);
    expect([foreign.statusCode, foreign.json().code]).toEqual([404, 'gift_card_not_found']);
    expect((await balanceOf(theirs.json().fullCode, other.slug)).json().balance).toBe(700);
    const foreignAdmin = await t.request({ method: 'GET', url: `/api/admin/gift-cards/${theirs.json().id}`, headers: as(shop.slug, shop.ownerToken) });
    expect(foreignAdmin.statusCode).toBe(404);
    const foreignDisable = await t.request({ method: 'PATCH', url: `/api/admin/gift-cards/${theirs.json().id}`, headers: as(shop.slug, shop.ownerToken), payload: { status: 'disabled' } });
    expect(foreignDisable.statusCode).toBe(404);

    const disabled = await card(300);
    const patched = await t.request({ method: 'PATCH', url: `/api/admin/gift-cards/${disabled.id}`, headers: as(shop.slug, shop.ownerToken), payload: { status: 'disabled' } });
    expect(patched.json().status).toBe('disabled');
    expect((await events('giftcard.disabled')).map((event) => event.giftCardId)).toContain(disabled.id);
    const disabledCheck = await balanceOf(disabled.fullCode);
    expect([disabledCheck.statusCode, disabledCheck.json().code]).toEqual([410, 'gift_card_disabled']);

    const expired = await card(300, { expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    await t.db.owner.updateTable('giftCards').set({ expiresAt: new Date(Date.now() - 1000) }).where('id', '=', expired.id).execute();
    const expiredCheck = await balanceOf(expired.fullCode);
    expect([expiredCheck.statusCode, expiredCheck.json().code]).toEqual([410, 'gift_card_expired']);

    for (const [code, problem] of [
      [disabled.fullCode, 'gift_card_disabled'],
      [expired.fullCode, 'gift_card_expired'],
      [theirs.json().fullCode, 'gift_card_not_found'],
    ] as const) {
      await expect(inShop((tx) => holdTender(tx, { orderId: nextOrder(), tenders: [{ kind: 'gift_card', code }], amountDue: 100, currency: 'CNY', idempotencyKey: `k-${code}` }))).rejects.toMatchObject({ code: problem });
    }
    const usd = await card(300, { currency: 'USD' });
    await expect(inShop((tx) => holdTender(tx, { orderId: nextOrder(), tenders: [{ kind: 'gift_card', code: usd.fullCode }], amountDue: 100, currency: 'CNY', idempotencyKey: 'k-usd' }))).rejects.toMatchObject({
      code: 'gift_card_currency_mismatch',
    });
    expect((await balanceOf(usd.fullCode)).json().balance).toBe(300);
  });

  it('retries an issue with the same key and content get the first card; other content is refused', async () => {
    const first = await issue({ amount: 1200, note: 'retry' }, shop.slug, shop.ownerToken, 'issue-key-0001');
    const again = await issue({ amount: 1200, note: 'retry' }, shop.slug, shop.ownerToken, 'issue-key-0001');
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: first.json().id, balance: 1200, fullCode: null });
    const reused = await issue({ amount: 9999 }, shop.slug, shop.ownerToken, 'issue-key-0001');
    expect([reused.statusCode, reused.json().code]).toEqual([409, 'idempotency_key_reused']);
    expect((await t.db.owner.selectFrom('giftCards').select('id').where('note', '=', 'retry').execute()).length).toBe(1);
  });

  it('grants store credit the customer sees with its history; unknown and foreign customers are 404', async () => {
    const token = await newCustomer(t, shop.slug, 'credit@ledger.test');
    const id = await customerId('credit@ledger.test');
    const found = await t.request({ method: 'GET', url: '/api/admin/store-credit?email=CREDIT@ledger.test', headers: as(shop.slug, shop.ownerToken) });
    expect(found.json()).toEqual({ customerId: id, balances: [], history: [] });
    const granted = await grant(id, 800, 'grant-key-0001');
    expect(granted.statusCode, granted.body).toBe(201);
    expect(granted.json().balances).toEqual([{ currency: 'CNY', balance: 800 }]);
    expect((await grant(id, 800, 'grant-key-0001')).statusCode).toBe(200);
    expect((await grant(id, 801, 'grant-key-0001')).json().code).toBe('idempotency_key_reused');
    const mine = await t.request({ method: 'GET', url: '/api/store/account/store-credit', headers: as(shop.slug, token) });
    expect(mine.json().balances).toEqual([{ currency: 'CNY', balance: 800 }]);
    expect(mine.json().history).toEqual([expect.objectContaining({ kind: 'store_credit.granted', amount: 800, memo: expect.objectContaining({ reason: 'sorry for the delay' }) })]);
    expect((await events('store_credit.granted')).filter((event) => event.customerId === id)).toHaveLength(1);
    expect((await grant('cus_00000000000000000000000000', 100)).json().code).toBe('customer_not_found');
    await newCustomer(t, other.slug, 'foreign@elsewhere.test');
    const foreignId = (await t.db.owner.selectFrom('customers').select('id').where('email', '=', 'foreign@elsewhere.test').executeTakeFirstOrThrow()).id;
    const foreign = await grant(foreignId, 100);
    expect([foreign.statusCode, foreign.json().code]).toEqual([404, 'customer_not_found']);
    const foreignLookup = await t.request({ method: 'GET', url: '/api/admin/store-credit?email=foreign@elsewhere.test', headers: as(shop.slug, shop.ownerToken) });
    expect(foreignLookup.json().code).toBe('customer_not_found');
    expect((await t.request({ method: 'GET', url: '/api/store/account/store-credit', headers: as(shop.slug) })).statusCode).toBe(401);
    expect((await grant(id, 100, undefined, '')).statusCode).toBe(400);
  });

  it('holds from each tender in order up to what is due, and a retry returns the first hold', async () => {
    const gift = await card(5000);
    await newCustomer(t, shop.slug, 'split@ledger.test');
    const customer = await customerId('split@ledger.test');
    expect((await grant(customer, 3000)).statusCode).toBe(201);
    const orderId = nextOrder();
    const tenders: Tender[] = [{ kind: 'gift_card', code: gift.fullCode }, { kind: 'store_credit', customerId: customer }];
    const input = { orderId, tenders, amountDue: 6000, currency: 'CNY', idempotencyKey: `hold-${orderId}` };
    const held = await inShop((tx) => holdTender(tx, input));
    expect(held).toMatchObject({ covered: 6000, remainder: 0, replayed: false });
    expect(held.coverage.map((entry) => entry.covered)).toEqual([5000, 1000]);
    const replay = await inShop((tx) => holdTender(tx, input));
    expect(replay).toMatchObject({ covered: 6000, replayed: true });
    await expect(inShop((tx) => holdTender(tx, { ...input, amountDue: 7000 }))).rejects.toMatchObject({ code: 'idempotency_key_reused', status: 409 });
    expect((await balanceOf(gift.fullCode)).json().balance).toBe(0);
    expect((await events('tender.held')).filter((event) => event.orderId === orderId)).toEqual([expect.objectContaining({ amount: 6000, amountDue: 6000 })]);

    const released = await inShop((tx) => releaseTender(tx, orderId));
    expect(released.amount).toBe(6000);
    expect((await inShop((tx) => releaseTender(tx, orderId))).amount).toBe(0);
    expect((await balanceOf(gift.fullCode)).json().balance).toBe(5000);
    expect((await t.services.storeCredit.view((await t.services.tenants.findBySlug(shop.slug))!, customer)).balances).toEqual([{ currency: 'CNY', balance: 3000 }]);
    expect((await events('tender.released')).filter((event) => event.orderId === orderId)).toHaveLength(1);
    expect(await books()).toEqual([]);
  });

  it('captures, refunds in parts that add up, never beyond what was captured', async () => {
    const a = await card(1000);
    const b = await card(1000);
    const orderId = nextOrder();
    await inShop((tx) =>
      holdTender(tx, { orderId, tenders: [{ kind: 'gift_card', code: a.fullCode }, { kind: 'gift_card', code: b.fullCode }], amountDue: 1500, currency: 'CNY', idempotencyKey: `hold-${orderId}` }),
    );
    expect((await inShop((tx) => captureTender(tx, orderId))).amount).toBe(1500);
    expect((await inShop((tx) => captureTender(tx, orderId))).amount).toBe(0);
    expect((await inShop((tx) => releaseTender(tx, orderId))).amount).toBe(0);
    const refund = (amount: number, key: string) => inShop((tx) => refundTender(tx, { orderId, amount, to: 'original', idempotencyKey: key }));
    expect((await refund(800, `r1-${orderId}`)).legs).toEqual([{ accountId: expect.stringContaining('gift_card:'), amount: 800 }]);
    expect((await refund(800, `r1-${orderId}`)).replayed).toBe(true);
    await expect(refund(801, `r1-${orderId}`)).rejects.toMatchObject({ code: 'idempotency_key_reused' });
    expect((await refund(500, `r2-${orderId}`)).legs.map((leg) => leg.amount)).toEqual([200, 300]);
    await expect(refund(201, `r3-${orderId}`)).rejects.toMatchObject({ code: 'refund_exceeds_captured', status: 422 });
    expect((await refund(200, `r3-${orderId}`)).amount).toBe(200);
    await expect(refund(1, `r4-${orderId}`)).rejects.toMatchObject({ code: 'refund_exceeds_captured' });
    expect((await balanceOf(a.fullCode)).json().balance).toBe(1000);
    expect((await balanceOf(b.fullCode)).json().balance).toBe(1000);
    expect((await events('tender.captured')).filter((event) => event.orderId === orderId)).toHaveLength(1);
    expect((await events('tender.refunded')).filter((event) => event.orderId === orderId).map((event) => event.amount)).toEqual([800, 500, 200]);
    await expect(inShop((tx) => refundTender(tx, { orderId: nextOrder(), amount: 1, to: 'original', idempotencyKey: 'nothing-captured' }))).rejects.toMatchObject({ code: 'refund_exceeds_captured' });
    expect(await books()).toEqual([]);
  });

  it("refunds as store credit to the order's customer", async () => {
    const token = await newCustomer(t, shop.slug, 'buyer@ledger.test');
    const cartId = await cartWith(t, shop.slug, token, [{ variantId: shop.variants.TEA!, quantity: 1 }]);
    const placed = await t.request({ method: 'POST', url: `/api/store/carts/${cartId}/checkout`, headers: { ...as(shop.slug, token), 'idempotency-key': `checkout-${kind}-1` }, payload: { shippingAddress: ADDRESS } });
    expect(placed.statusCode, placed.body).toBe(201);
    const orderId = placed.json().order.id as string;
    const gift = await card(2000);
    await inShop((tx) => holdTender(tx, { orderId, tenders: [{ kind: 'gift_card', code: gift.fullCode }], amountDue: 1500, currency: 'CNY', idempotencyKey: `hold-${orderId}` }));
    await inShop((tx) => captureTender(tx, orderId));
    expect((await inShop((tx) => refundTender(tx, { orderId, amount: 600, to: 'store_credit', idempotencyKey: `sc-${orderId}` }))).amount).toBe(600);
    await expect(inShop((tx) => refundTender(tx, { orderId, amount: 901, to: 'original', idempotencyKey: `orig-${orderId}` }))).rejects.toMatchObject({ code: 'refund_exceeds_captured' });
    expect((await inShop((tx) => refundTender(tx, { orderId, amount: 900, to: 'original', idempotencyKey: `orig-${orderId}` }))).amount).toBe(900);
    const mine = await t.request({ method: 'GET', url: '/api/store/account/store-credit', headers: as(shop.slug, token) });
    expect(mine.json().balances).toEqual([{ currency: 'CNY', balance: 600 }]);
    expect(mine.json().history[0]).toMatchObject({ kind: 'tender.refunded', amount: 600, orderId });
    expect((await balanceOf(gift.fullCode)).json().balance).toBe(1400);
    expect(await books()).toEqual([]);
  });

  it('each checkout call is one statement', async () => {
    const gift = await card(1000);
    const orderId = nextOrder();
    const cost = async (work: (tx: Tx) => Promise<unknown>) => {
      texts = [];
      await inShop(work);
      // The transaction's opening (BEGIN and its settings, one text) and COMMIT around the call's own.
      return texts.filter((text) => !/^begin;|^commit$/i.test(text.trim())).length;
    };
    expect(await cost((tx) => holdTender(tx, { orderId, tenders: [{ kind: 'gift_card', code: gift.fullCode }], amountDue: 600, currency: 'CNY', idempotencyKey: `cost-${orderId}` }))).toBe(1);
    expect(await cost((tx) => captureTender(tx, orderId))).toBe(1);
    expect(await cost((tx) => refundTender(tx, { orderId, amount: 100, to: 'original', idempotencyKey: `cost-r-${orderId}` }))).toBe(1);
    const other = nextOrder();
    await inShop((tx) => holdTender(tx, { orderId: other, tenders: [{ kind: 'gift_card', code: gift.fullCode }], amountDue: 100, currency: 'CNY', idempotencyKey: `cost-${other}` }));
    expect(await cost((tx) => releaseTender(tx, other))).toBe(1);
  });

  it('parallel holds against one card never overspend it', async () => {
    const gift = await card(1000);
    const orders = Array.from({ length: 12 }, nextOrder);
    const held = await Promise.all(
      orders.map((orderId) => inShop((tx) => holdTender(tx, { orderId, tenders: [{ kind: 'gift_card', code: gift.fullCode }], amountDue: 300, currency: 'CNY', idempotencyKey: `par-${orderId}` }))),
    );
    const covered = held.map((hold) => hold.covered);
    expect(covered.reduce((sum, value) => sum + value, 0)).toBe(1000);
    expect(covered.filter((value) => value === 300)).toHaveLength(3);
    expect(covered.filter((value) => value === 100)).toHaveLength(1);
    expect((await balanceOf(gift.fullCode)).json().balance).toBe(0);
    // Two spends of the last balance at once: exactly one gets it.
    const last = await card(500);
    const [first, second] = await Promise.all(
      [nextOrder(), nextOrder()].map((orderId) => inShop((tx) => holdTender(tx, { orderId, tenders: [{ kind: 'gift_card', code: last.fullCode }], amountDue: 500, currency: 'CNY', idempotencyKey: `last-${orderId}` }))),
    );
    expect([first!.covered, second!.covered].sort()).toEqual([0, 500]);
    // The same key twice at once: one hold, the other sees it.
    const orderId = nextOrder();
    const same = { orderId, tenders: [{ kind: 'gift_card', code: (await card(400)).fullCode }] as Tender[], amountDue: 300, currency: 'CNY', idempotencyKey: `same-${orderId}` };
    const twice = await Promise.all([inShop((tx) => holdTender(tx, same)), inShop((tx) => holdTender(tx, same))]);
    expect(twice.map((hold) => hold.covered)).toEqual([300, 300]);
    expect(twice.filter((hold) => hold.replayed)).toHaveLength(1);
    expect(await books()).toEqual([]);
  });

  it('the general transfer: two spends of the last balance at once, exactly one wins', async () => {
    const gift = await card(700);
    const from = accountId('gift_card', gift.id, 'CNY');
    const spend = (key: string) =>
      inShop((tx) => transfer(tx, { kind: 'wallet.spent', fromId: from, toId: accountId('breakage', '', 'CNY'), amount: 700, currency: 'CNY', idempotencyKey: key, event: { aggregateType: 'gift_card', aggregateId: gift.id } }));
    const outcomes = await Promise.all([spend('spend-a'), spend('spend-b')]);
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    expect(outcomes.filter((outcome) => !outcome.ok)).toEqual([{ ok: false, reason: 'insufficient_funds' }]);
    const winner = outcomes[0]!.ok ? 'spend-a' : 'spend-b';
    expect(await spend(winner)).toEqual({ ok: true, replayed: true });
    expect((await balanceOf(gift.fullCode)).json().balance).toBe(0);
    await expect(inShop((tx) => transfer(tx, { kind: 'wallet.spent', fromId: from, toId: from, amount: 1, currency: 'CNY', idempotencyKey: 'self', event: { aggregateType: 'x', aggregateId: 'y' } }))).rejects.toMatchObject({ code: 'invalid_transfer' });
    expect(await books()).toEqual([]);
  });

  it('keeps the books balanced through any sequence of holds, releases, captures and refunds', async () => {
    const cards = await Promise.all([card(3000), card(2000), card(1000)]);
    await newCustomer(t, shop.slug, 'prop@ledger.test');
    const customer = await customerId('prop@ledger.test');
    await grant(customer, 2500);
    const orderIds = Array.from({ length: 4 }, nextOrder);
    let n = 0;
    const op = fc.oneof(
      fc.record({ op: fc.constant('hold' as const), order: fc.nat(3), due: fc.integer({ min: 1, max: 4000 }), tenders: fc.uniqueArray(fc.nat(3), { minLength: 1, maxLength: 4 }) }),
      fc.record({ op: fc.constant('release' as const), order: fc.nat(3) }),
      fc.record({ op: fc.constant('capture' as const), order: fc.nat(3) }),
      fc.record({ op: fc.constantFrom('refund' as const), order: fc.nat(3), amount: fc.integer({ min: 1, max: 3000 }), to: fc.constantFrom('original' as const, 'store_credit' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        for (const step of ops) {
          const orderId = orderIds[step.order]!;
          await inShop(async (tx) => {
            if (step.op === 'hold') {
              const tenders: Tender[] = step.tenders.map((i) => (i === 3 ? { kind: 'store_credit', customerId: customer } : { kind: 'gift_card', code: cards[i]!.fullCode }));
              const held = await holdTender(tx, { orderId, tenders, amountDue: step.due, currency: 'CNY', idempotencyKey: `prop-${++n}` });
              expect(held.covered + held.remainder).toBe(step.due);
            } else if (step.op === 'release') await releaseTender(tx, orderId);
            else if (step.op === 'capture') await captureTender(tx, orderId);
            else await refundTender(tx, { orderId, amount: step.amount, to: step.to, idempotencyKey: `prop-${++n}` }).catch((error) => expect(error.code).toBe('refund_exceeds_captured'));
          });
        }
        expect(await books()).toEqual([]);
        // What the cards and the customer hold, plus what orders hold, is what was issued.
        const totals = await inShop((tx) =>
          sql<{ kind: string; total: number }>`select kind, sum(balance)::bigint as total from ledger_accounts group by kind`.execute(tx),
        );
        expect(totals.rows.reduce((sum, row) => sum + Number(row.total), 0)).toBe(0);
      }),
      { numRuns: kind === 'pglite' ? 15 : 10 },
    );
  });
});
