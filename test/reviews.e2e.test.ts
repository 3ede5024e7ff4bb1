import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileStore } from '../src/infra/files/file-store.ts';
import { createLocalFileStore } from '../src/infra/files/local-file-store.ts';
import { createFileService } from '../src/modules/files/index.ts';
import { cartWith, checkout, newCustomer, pay, stockedShop } from './support/commerce.ts';
import { databaseKinds } from './support/databases.ts';
import { JPEG, multipart, photoUpload, PNG, WEBP } from './support/images.ts';
import { startS3Server } from './support/s3-server.ts';
import { as, startTestApp, type TestApp } from './support/test-app.ts';
import { createS3FileStore } from '../src/infra/files/s3-file-store.ts';

type Json = Record<string, any>;

describe.each(await databaseKinds())('files and reviews on %s', (kind) => {
  let t: TestApp;
  let filesDir: string;
  let fileStore: FileStore;
  let shop: Awaited<ReturnType<typeof stockedShop>>;
  let other: Awaited<ReturnType<typeof stockedShop>>;
  let buyer: string;
  let secondBuyer: string;
  let stranger: string;
  let unpaid: string;
  let otherBuyer: string;

  const get = (url: string, token?: string, slug = 'rv') => t.request({ method: 'GET', url, headers: as(slug, token) });
  const upload = (token: string | undefined, body: { payload: Buffer; headers: Record<string, string> }, slug = 'rv') =>
    t.request({ method: 'POST', url: '/api/store/files', headers: { ...as(slug, token), ...body.headers }, payload: body.payload });
  const review = (token: string, productId: string, payload: Json, slug = 'rv') =>
    t.request({ method: 'POST', url: `/api/store/products/${productId}/reviews`, headers: as(slug, token), payload });
  const moderate = (reviewId: string, action: 'approve' | 'reject', payload?: Json, token = shop.ownerToken, slug = 'rv') =>
    t.request({ method: 'POST', url: `/api/admin/reviews/${reviewId}/${action}`, headers: as(slug, token), ...(payload ? { payload } : {}) });
  const count = async (table: 'files' | 'reviews') => {
    const row = await t.db.withTenant(shop.id, (tx) => tx.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow());
    return Number(row.n);
  };
  const rating = async (productId: string) => (await get(`/api/store/products/${productId}`)).json().rating;
  const cardRating = async (productId: string) =>
    (await get('/api/store/products?limit=100')).json().items.find((item: Json) => item.id === productId).rating;
  const events = (reviewId: string) =>
    t.db.withTenant(shop.id, (tx) => tx.selectFrom('outboxEvents').select(['type', 'payload']).where('aggregateId', '=', reviewId).orderBy('seq').execute());

  async function buy(slug: string, token: string, variantId: string, key: string, paid = true): Promise<Json> {
    const placed = await checkout(t, slug, token, await cartWith(t, slug, token, [{ variantId, quantity: 1 }]), key);
    expect(placed.statusCode, placed.body).toBe(201);
    if (paid) expect((await pay(t, placed.json().payment)).json().webhook).toBe('applied');
    return placed.json().order;
  }
  const refund = (order: Json, amount: number) =>
    t.request({ method: 'POST', url: `/api/admin/orders/${order.id}/refunds`, headers: as('rv', shop.ownerToken), payload: { amount, reason: 'test refund' } });

  beforeAll(async () => {
    filesDir = await mkdtemp(join(tmpdir(), 'bazaar-reviews-files-'));
    fileStore = await createLocalFileStore(filesDir);
    t = await startTestApp(kind, { fileStore });
    shop = await stockedShop(t, 'rv', { TEA: { price: 1000, units: 50 }, MUG: { price: 2000, units: 50 }, CUP: { price: 500, units: 50 } });
    other = await stockedShop(t, 'rv-other', { TEA: { price: 1000, units: 50 } });
    const customers = await Promise.all(['buyer', 'second', 'stranger', 'unpaid'].map((name) => newCustomer(t, 'rv', `${name}@rv.test`)));
    [buyer, secondBuyer, stranger, unpaid] = customers as [string, string, string, string];
    otherBuyer = await newCustomer(t, 'rv-other', 'buyer@other.test');
    await buy('rv', buyer, shop.variants.TEA!, 'reviews-buy-key-1');
    await buy('rv', buyer, shop.variants.MUG!, 'reviews-buy-key-2');
    await buy('rv', buyer, shop.variants.CUP!, 'reviews-buy-key-6');
    await buy('rv', secondBuyer, shop.variants.TEA!, 'reviews-buy-key-3');
    await buy('rv', unpaid, shop.variants.TEA!, 'reviews-buy-key-4', false);
    await buy('rv-other', otherBuyer, other.variants.TEA!, 'reviews-buy-key-5');
  });
  afterAll(async () => {
    await t?.close();
    await rm(filesDir, { recursive: true, force: true });
  });

  describe('uploads', () => {
    it('keeps a photo with its type and sha256, and serves it back with caching headers', async () => {
      const uploaded = await upload(buyer, photoUpload(PNG));
      expect(uploaded.statusCode).toBe(201);
      const file = uploaded.json();
      expect(file).toMatchObject({ contentType: 'image/png', sizeBytes: PNG.length, sha256: createHash('sha256').update(PNG).digest('hex'), url: `/api/store/files/${file.id}` });

      const served = await get(file.url);
      expect(served.statusCode).toBe(200);
      expect(served.rawPayload.equals(PNG)).toBe(true);
      expect(served.headers).toMatchObject({
        'content-type': 'image/png',
        'cache-control': 'public, max-age=31536000, immutable',
        etag: `"${file.sha256}"`,
        'x-content-type-options': 'nosniff',
      });
      const again = await t.request({ method: 'GET', url: file.url, headers: { ...as('rv'), 'if-none-match': `"${file.sha256}"` } });
      expect(again.statusCode).toBe(304);
    });

    it('reads the type from the bytes, not from what the client claims', async () => {
      expect((await upload(buyer, photoUpload(JPEG, 'application/octet-stream', 'a.bin'))).json().contentType).toBe('image/jpeg');
      expect((await upload(buyer, photoUpload(WEBP, 'image/png', 'a.png'))).json().contentType).toBe('image/webp');
    });

    it('refuses what is no JPEG, PNG or WebP with 415 unsupported_file_type, keeping nothing', async () => {
      const before = await count('files');
      for (const bytes of [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), Buffer.from('GIF89a\x01\x00\x01\x00'), Buffer.from('%PDF-1.7')]) {
        const refused = await upload(buyer, photoUpload(bytes, 'image/png'));
        expect(refused.statusCode).toBe(415);
        expect(refused.json().code).toBe('unsupported_file_type');
      }
      expect(await count('files')).toBe(before);
    });

    it('refuses a file over the limit with 413 file_too_large, keeping nothing', async () => {
      const before = await count('files');
      const huge = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]);
      const refused = await upload(buyer, photoUpload(huge));
      expect(refused.statusCode).toBe(413);
      expect(refused.json().code).toBe('file_too_large');
      expect(await count('files')).toBe(before);
    });

    it('takes one file per request, as multipart, from a logged-in customer', async () => {
      const two = await upload(buyer, multipart([{ filename: 'a.png', type: 'image/png', bytes: PNG }, { filename: 'b.png', type: 'image/png', bytes: PNG }]));
      expect([two.statusCode, two.json().code]).toEqual([400, 'one_file_only']);
      const noFile = await upload(buyer, multipart([]));
      expect([noFile.statusCode, noFile.json().code]).toEqual([400, 'file_required']);
      const json = await t.request({ method: 'POST', url: '/api/store/files', headers: as('rv', buyer), payload: { file: 'x' } });
      expect([json.statusCode, json.json().code]).toEqual([400, 'multipart_required']);
      expect((await upload(undefined, photoUpload(PNG))).statusCode).toBe(401);
      expect((await upload(shop.ownerToken, photoUpload(PNG))).statusCode).toBe(403);
    });

    it('never serves one platform’s file to another', async () => {
      const file = (await upload(buyer, photoUpload(PNG))).json();
      const elsewhere = await get(file.url, undefined, 'rv-other');
      expect([elsewhere.statusCode, elsewhere.json().code]).toEqual([404, 'file_not_found']);
      expect((await get(`/api/store/files/file_00000000000000000000000000`)).statusCode).toBe(404);
      expect((await get(`/api/store/files/..%2F..%2Fetc%2Fpasswd`)).statusCode).toBe(400);
    });

    it('answers 404, not a cached answer, for a file whose bytes are gone', async () => {
      const file = (await upload(buyer, photoUpload(PNG))).json();
      await fileStore.delete(`${shop.id}/${file.id}`);
      const gone = await get(file.url);
      expect([gone.statusCode, gone.json().code]).toEqual([404, 'file_not_found']);
      expect(gone.headers['cache-control']).toBeUndefined();
    });

    it('sweeps uploads nobody attached within a day, bytes and rows, and keeps attached ones', async () => {
      const stray = (await upload(stranger, photoUpload(PNG))).json();
      const kept = (await upload(buyer, photoUpload(JPEG))).json();
      const cup = await review(buyer, shop.products.CUP!, { rating: 4, title: 'Cup', body: 'Holds tea.', photoIds: [kept.id] });
      expect(cup.statusCode).toBe(201);

      const today = createFileService({ db: t.db, clock: { now: () => new Date() }, files: fileStore });
      await today.sweepUnattached([(await t.services.tenants.findBySlug('rv'))!]);
      expect((await get(stray.url)).statusCode).toBe(200);

      const tomorrow = createFileService({ db: t.db, clock: { now: () => new Date(Date.now() + 25 * 3600_000) }, files: fileStore });
      const swept = await tomorrow.sweepUnattached([(await t.services.tenants.findBySlug('rv'))!]);
      expect(swept).toBeGreaterThanOrEqual(1);
      expect((await get(stray.url)).statusCode).toBe(404);
      expect(await fileStore.get(`${shop.id}/${stray.id}`)).toBeUndefined();
      expect((await get(kept.url)).statusCode).toBe(200);
      expect(await t.db.withTenant(shop.id, (tx) => tx.selectFrom('files').select('id').where('attachedTo', 'is', null).execute())).toEqual([]);
    });
  });

  describe('writing a review', () => {
    it('needs a purchase: 403 review_requires_purchase for a stranger and for an unpaid order, nothing written', async () => {
      const before = await count('reviews');
      for (const token of [stranger, unpaid]) {
        const refused = await review(token, shop.products.TEA!, { rating: 5, title: 'Nice', body: 'Good tea.' });
        expect([refused.statusCode, refused.json().code]).toEqual([403, 'review_requires_purchase']);
      }
      expect((await review(shop.ownerToken, shop.products.TEA!, { rating: 5, title: 'x', body: 'y' })).statusCode).toBe(403);
      expect(await count('reviews')).toBe(before);
    });

    it('counts a partly refunded order as bought, and a wholly refunded one not', async () => {
      const [partly, wholly] = await Promise.all(['partly', 'wholly'].map((name) => newCustomer(t, 'rv', `${name}@rv.test`)));
      const partlyOrder = await buy('rv', partly!, shop.variants.CUP!, 'reviews-buy-key-partly');
      const whollyOrder = await buy('rv', wholly!, shop.variants.CUP!, 'reviews-buy-key-wholly');
      expect((await refund(partlyOrder, 100)).statusCode).toBe(201);
      expect((await refund(whollyOrder, whollyOrder.total)).statusCode).toBe(201);
      expect((await get(`/api/store/products/${shop.products.CUP}/reviews/eligibility`, partly)).json()).toEqual({ canReview: true });
      const refused = await review(wholly!, shop.products.CUP!, { rating: 1, title: 'Refunded', body: 'Sent it back.' });
      expect([refused.statusCode, refused.json().code]).toEqual([403, 'review_requires_purchase']);
    });

    it.each([
      ['a rating of 0', { rating: 0 }],
      ['a rating of 6', { rating: 6 }],
      ['a rating of 4.5', { rating: 4.5 }],
      ['no title', { title: '' }],
      ['seven photos', { photoIds: Array.from({ length: 7 }, (_, index) => `file_0000000000000000000000000${index}`) }],
      ['one photo twice', { photoIds: ['file_00000000000000000000000000', 'file_00000000000000000000000000'] }],
      ['an unknown field', { stars: 5 }],
    ])('refuses %s with a 400, nothing written', async (_name, change) => {
      const before = await count('reviews');
      const refused = await review(buyer, shop.products.TEA!, { rating: 5, title: 'Nice', body: 'Good tea.', ...change });
      expect(refused.statusCode).toBe(400);
      expect(await count('reviews')).toBe(before);
    });

    it('refuses a photo that is not the customer’s own unused upload (another platform’s, another customer’s), nothing written', async () => {
      const before = await count('reviews');
      const foreign = (await upload(otherBuyer, photoUpload(PNG), 'rv-other')).json();
      const someoneElses = (await upload(stranger, photoUpload(PNG))).json();
      for (const photoId of [foreign.id, someoneElses.id]) {
        const refused = await review(buyer, shop.products.TEA!, { rating: 5, title: 'Nice', body: 'Good tea.', photoIds: [photoId] });
        expect([refused.statusCode, refused.json().code]).toEqual([422, 'photo_not_found']);
      }
      expect(await count('reviews')).toBe(before);
      // The refused attempt left the photo unattached, so its owner can still use it.
      const attached = await t.db.withTenant(shop.id, (tx) => tx.selectFrom('files').select('attachedTo').where('id', '=', someoneElses.id).executeTakeFirstOrThrow());
      expect(attached.attachedTo).toBeNull();
    });

    it('tells the storefront who may write one', async () => {
      const eligibility = async (token?: string) => (await get(`/api/store/products/${shop.products.MUG}/reviews/eligibility`, token)).json();
      expect(await eligibility()).toEqual({ canReview: false, reason: 'login_required' });
      expect(await eligibility(stranger)).toEqual({ canReview: false, reason: 'not_purchased' });
      expect(await eligibility(buyer)).toEqual({ canReview: true });
    });
  });

  describe('moderation and the rating summary', () => {
    let first: Json;
    let second: Json;

    it('puts a new review in the queue, unpublished, and a second one by the same customer is 409', async () => {
      const photo = (await upload(buyer, photoUpload(PNG))).json();
      const submitted = await review(buyer, shop.products.TEA!, { rating: 5, title: '好茶', body: 'Smooth and fragrant.', photoIds: [photo.id] });
      expect(submitted.statusCode).toBe(201);
      first = submitted.json();
      expect(first).toMatchObject({ status: 'pending', rating: 5, photos: [{ id: photo.id, url: photo.url }] });

      const again = await review(buyer, shop.products.TEA!, { rating: 1, title: 'Again', body: 'Twice.' });
      expect([again.statusCode, again.json().code]).toEqual([409, 'review_exists']);
      expect((await get(`/api/store/products/${shop.products.TEA}/reviews/eligibility`, buyer)).json()).toEqual({ canReview: false, reason: 'already_reviewed' });

      expect((await get(`/api/store/products/${shop.products.TEA}/reviews`)).json().items).toEqual([]);
      const queue = (await get('/api/admin/reviews', shop.ownerToken)).json().items;
      expect(queue.map((item: Json) => item.id)).toContain(first.id);
      expect(await events(first.id)).toEqual([{ type: 'review.submitted', payload: expect.objectContaining({ productId: shop.products.TEA, rating: 5, photoCount: 1 }) }]);
    });

    it('publishes an approved review and moves the product’s rating on its page and its card at once', async () => {
      // Warm the catalog's caches, so the test sees them invalidated rather than cold.
      expect(await rating(shop.products.TEA!)).toBeNull();
      expect(await cardRating(shop.products.TEA!)).toBeNull();

      const approved = await moderate(first.id, 'approve');
      expect(approved.json()).toMatchObject({ status: 'approved' });
      expect((await get(`/api/store/products/${shop.products.TEA}/reviews`)).json().items).toEqual([expect.objectContaining({ id: first.id, title: '好茶', photos: first.photos })]);
      expect(await rating(shop.products.TEA!)).toEqual({ average: 5, count: 1 });
      expect(await cardRating(shop.products.TEA!)).toEqual({ average: 5, count: 1 });

      // Approving again changes nothing and counts nothing twice.
      await moderate(first.id, 'approve');
      expect(await rating(shop.products.TEA!)).toEqual({ average: 5, count: 1 });
    });

    it('averages several, and a rejection takes a published review out of the sums', async () => {
      second = (await review(secondBuyer, shop.products.TEA!, { rating: 2, title: 'Meh', body: 'Too bitter.' })).json();
      expect(await rating(shop.products.TEA!)).toEqual({ average: 5, count: 1 });
      await moderate(second.id, 'approve');
      expect(await rating(shop.products.TEA!)).toEqual({ average: 3.5, count: 2 });

      const rejected = await moderate(first.id, 'reject', { reason: 'Shows a phone number' });
      expect(rejected.json()).toMatchObject({ status: 'rejected', rejectReason: 'Shows a phone number' });
      expect(await rating(shop.products.TEA!)).toEqual({ average: 2, count: 1 });
      expect(await cardRating(shop.products.TEA!)).toEqual({ average: 2, count: 1 });
      expect((await get(`/api/store/products/${shop.products.TEA}/reviews`)).json().items.map((item: Json) => item.id)).toEqual([second.id]);
      expect((await get('/api/admin/reviews?status=rejected', shop.ownerToken)).json().items).toEqual([expect.objectContaining({ id: first.id, rejectReason: 'Shows a phone number' })]);

      // Rejecting a pending review never touches the sums.
      const cup = (await get('/api/admin/reviews', shop.ownerToken)).json().items.find((item: Json) => item.productId === shop.products.CUP);
      await moderate(cup.id, 'reject', { reason: 'Off topic' });
      expect(await rating(shop.products.CUP!)).toBeNull();
      expect((await moderate(cup.id, 'reject', {})).statusCode).toBe(400);

      expect((await events(first.id)).map((event) => event.type)).toEqual(['review.submitted', 'review.approved', 'review.rejected']);
    });

    it('removing a published review takes it out of the sums and lets its photos go', async () => {
      await moderate(first.id, 'approve');
      expect(await rating(shop.products.TEA!)).toEqual({ average: 3.5, count: 2 });
      const removed = await t.request({ method: 'DELETE', url: `/api/admin/reviews/${first.id}`, headers: as('rv', shop.ownerToken) });
      expect(removed.statusCode).toBe(204);
      expect(await rating(shop.products.TEA!)).toEqual({ average: 2, count: 1 });
      expect(await cardRating(shop.products.TEA!)).toEqual({ average: 2, count: 1 });
      const photo = await t.db.withTenant(shop.id, (tx) => tx.selectFrom('files').select('attachedTo').where('id', '=', first.photos[0].id).executeTakeFirstOrThrow());
      expect(photo.attachedTo).toBeNull();
      expect((await events(first.id)).map((event) => event.type).at(-1)).toBe('review.removed');
      expect((await t.request({ method: 'DELETE', url: `/api/admin/reviews/${first.id}`, headers: as('rv', shop.ownerToken) })).statusCode).toBe(404);
    });

    it('counts a review once when staff approve it concurrently', async () => {
      const mug = (await review(buyer, shop.products.MUG!, { rating: 4, title: 'Good mug', body: 'Keeps warm.' })).json();
      const answers = await Promise.all(Array.from({ length: 6 }, () => moderate(mug.id, 'approve')));
      expect(answers.map((answer) => answer.statusCode)).toEqual(Array(6).fill(200));
      expect(await rating(shop.products.MUG!)).toEqual({ average: 4, count: 1 });
      expect((await events(mug.id)).map((event) => event.type)).toEqual(['review.submitted', 'review.approved']);
    });

    it('is for staff of this platform only', async () => {
      expect((await moderate(second.id, 'reject', { reason: 'x' }, buyer)).statusCode).toBe(403);
      const foreign = await moderate(second.id, 'reject', { reason: 'x' }, other.ownerToken, 'rv-other');
      expect([foreign.statusCode, foreign.json().code]).toEqual([404, 'review_not_found']);
      expect((await get('/api/admin/reviews?status=approved', other.ownerToken, 'rv-other')).json().items).toEqual([]);
      expect((await get(`/api/store/products/${shop.products.TEA}/reviews`, undefined, 'rv-other')).json().code).toBe('product_not_found');
      expect(await rating(shop.products.TEA!)).toEqual({ average: 2, count: 1 });
    });
  });

  describe('with uploads in an S3-compatible bucket', () => {
    let s3: Awaited<ReturnType<typeof startS3Server>>;
    let bucketApp: TestApp;
    beforeAll(async () => {
      s3 = await startS3Server();
      bucketApp = await startTestApp(kind, { fileStore: createS3FileStore(s3.config) });
      await bucketApp.createPlatform('rv-s3');
    });
    afterAll(async () => {
      await bucketApp?.close();
      await s3?.stop();
    });

    it('stores an upload in the bucket and serves it back', async () => {
      const customer = await newCustomer(bucketApp, 'rv-s3', 'buyer@s3.test');
      const photo = photoUpload(WEBP);
      const uploaded = await bucketApp.request({ method: 'POST', url: '/api/store/files', headers: { ...as('rv-s3', customer), ...photo.headers }, payload: photo.payload });
      expect(uploaded.statusCode).toBe(201);
      const served = await bucketApp.request({ method: 'GET', url: uploaded.json().url, headers: as('rv-s3') });
      expect([served.statusCode, served.headers['content-type']]).toEqual([200, 'image/webp']);
      expect(served.rawPayload.equals(WEBP)).toBe(true);
    });
  });
});
