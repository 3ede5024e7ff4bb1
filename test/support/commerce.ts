import { as, type TestApp } from './test-app.ts';

export const ADDRESS = {
  name: '王小明',
  phone: '+8613800138000',
  country: 'CN',
  province: '浙江省',
  city: '杭州市',
  district: '西湖区',
  line1: '文三路 100 号',
  postalCode: '310000',
};

type Json = Record<string, any>;

/** A platform with one product per entry in `stock`, each a single variant with that stock. */
export async function stockedShop(t: TestApp, slug: string, stock: Record<string, { price: number; units: number }>) {
  const shop = await t.createPlatform(slug, { quotas: { requestsPerSecond: 100_000, products: 1000 } });
  const variants: Record<string, string> = {};
  const products: Record<string, string> = {};
  for (const [sku, { price, units }] of Object.entries(stock)) {
    const created = await t.request({
      method: 'POST',
      url: '/api/admin/products',
      headers: as(slug, shop.ownerToken),
      payload: { title: { en: sku, 'zh-CN': sku }, status: 'active', variants: [{ sku, prices: [{ currency: 'CNY', amount: price }] }] },
    });
    if (created.statusCode !== 201) throw new Error(created.body);
    variants[sku] = created.json().variants[0].id;
    products[sku] = created.json().id;
    if (units > 0) {
      const adjusted = await t.request({
        method: 'POST',
        url: '/api/admin/inventory/adjustments',
        headers: as(slug, shop.ownerToken),
        payload: { variantId: variants[sku], delta: units, reason: 'opening stock' },
      });
      if (adjusted.statusCode !== 201) throw new Error(adjusted.body);
    }
  }
  return { ...shop, variants, products };
}

export async function newCustomer(t: TestApp, slug: string, email: string): Promise<string> {
  const registered = await t.request({ method: 'POST', url: '/api/store/auth/register', headers: as(slug), payload: { email, password: 'customer-pass-1' } });
  if (registered.statusCode !== 201) throw new Error(registered.body);
  return registered.json().session.token;
}

/** A customer's cart holding the given lines. */
export async function cartWith(t: TestApp, slug: string, token: string, lines: { variantId: string; quantity: number }[], coupon?: string): Promise<string> {
  const cart = await t.request({ method: 'POST', url: '/api/store/carts', headers: as(slug, token), payload: {} });
  const cartId = cart.json().id as string;
  for (const line of lines) {
    const added = await t.request({ method: 'POST', url: `/api/store/carts/${cartId}/lines`, headers: as(slug, token), payload: line });
    if (added.statusCode !== 200) throw new Error(added.body);
  }
  if (coupon) await t.request({ method: 'PUT', url: `/api/store/carts/${cartId}/coupon`, headers: as(slug, token), payload: { code: coupon } });
  return cartId;
}

export function checkout(t: TestApp, slug: string, token: string, cartId: string, key: string) {
  return t.request({
    method: 'POST',
    url: `/api/store/carts/${cartId}/checkout`,
    headers: { ...as(slug, token), 'idempotency-key': key },
    payload: { shippingAddress: ADDRESS },
  });
}

/** Completes a sandbox payment the way a shopper does, through the hosted page's action. */
export async function pay(t: TestApp, payment: Json, outcome: 'succeeded' | 'failed' = 'succeeded') {
  const path = new URL(payment.redirectUrl, 'http://x').pathname;
  return t.request({ method: 'POST', url: `${path}/complete`, payload: { outcome } });
}

/** The signed webhook the sandbox would send for this payment, without delivering it. */
export async function signedWebhook(payment: Json, outcome: 'succeeded' | 'failed' = 'succeeded', at = new Date()): Promise<{ body: string; signature: string }> {
  const { decodeSessionToken } = await import('../../src/modules/payments/sandbox-checkout-token.ts');
  const { createSandboxProvider } = await import('../../src/modules/payments/sandbox-provider.ts');
  const { createHmac } = await import('node:crypto');
  const { OPERATOR_TOKEN } = await import('./test-app.ts');
  const secret = createHmac('sha256', OPERATOR_TOKEN).update('sandbox-payments').digest('hex');
  const session = decodeSessionToken(new URL(payment.redirectUrl, 'http://x').pathname.split('/').pop()!, secret);
  const sandbox = createSandboxProvider({ secret, clock: { now: () => at } });
  return sandbox.completeSession(session, outcome);
}
