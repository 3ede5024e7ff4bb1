/**
 * Medusa 2 for bench:peers: @medusajs/medusa installed on demand, its database made by
 * `medusa db:migrate`, an admin user by `medusa user`, then `medusa start` (one process, no
 * cluster, NODE_ENV=production); seeded through the Admin API (store currency, region with the
 * system payment provider, stock location with a shipping fulfillment set and service zone, a
 * free flat shipping option, a publishable API key on the default sales channel, products with
 * stock). Shoppers buy as guests through the Store API.
 */
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inParallel } from '../support/load.ts';
import {
  databaseUrl, ensureInstalled, freePort, orStop, Http, PRODUCTS, productPrice, productSlug, productTitle, run, spawnServer, STOCK, waitUntilReady, WORDS,
  type Peer, type PeerDriver,
} from './common.ts';

export const MEDUSA_VERSION = '2.21.2';
const DEPENDENCIES = { '@medusajs/medusa': MEDUSA_VERSION, '@medusajs/framework': MEDUSA_VERSION, '@medusajs/cli': MEDUSA_VERSION, pg: '8.23.1' };
const CONFIG_FILE = fileURLToPath(new URL('./medusa-config.cjs', import.meta.url));
const CLI = 'node_modules/@medusajs/cli/cli.js';
const ADMIN = { email: 'admin@bench.test', password: 'bench-admin-pass' };
// Production mode (no ts-node, no dev watcher); `warn` so that requests are not logged one by one.
const ENV = { NODE_ENV: 'production', LOG_LEVEL: 'warn', MEDUSA_DISABLE_TELEMETRY: 'true' };

export async function installMedusa(log: (line: string) => void) {
  const install = await ensureInstalled('medusa', DEPENDENCIES, log);
  await copyFile(CONFIG_FILE, join(install.dir, 'medusa-config.js'));
  return install;
}

interface Fixture {
  regionId: string;
  shippingOptionId: string;
  publishableKey: string;
  variantIds: string[];
}

async function seed(http: Http, log: (line: string) => void): Promise<Fixture> {
  const token = (await http.request('POST', '/auth/user/emailpass', ADMIN)).json.token as string;
  const admin = async (method: string, path: string, body?: unknown) => (await http.request(method, `/admin${path}`, body, { authorization: `Bearer ${token}` })).json;

  const [store] = (await admin('GET', '/stores')).stores;
  await admin('POST', `/stores/${store.id}`, { supported_currencies: [{ currency_code: 'cny', is_default: true }] });
  const salesChannelId = store.default_sales_channel_id as string;
  const region = (await admin('POST', '/regions', { name: 'China', currency_code: 'cny', countries: ['cn'], payment_providers: ['pp_system_default'] })).region;

  const location = (await admin('POST', '/stock-locations', { name: 'Warehouse' })).stock_location;
  await admin('POST', `/stock-locations/${location.id}/fulfillment-providers`, { add: ['manual_manual'] });
  await admin('POST', `/stock-locations/${location.id}/sales-channels`, { add: [salesChannelId] });
  const withSet = (await admin('POST', `/stock-locations/${location.id}/fulfillment-sets?fields=*fulfillment_sets`, { name: 'Shipping', type: 'shipping' })).stock_location;
  const set = (await admin('POST', `/fulfillment-sets/${withSet.fulfillment_sets[0].id}/service-zones`, { name: 'China', geo_zones: [{ type: 'country', country_code: 'cn' }] })).fulfillment_set;
  const [profile] = (await admin('GET', '/shipping-profiles')).shipping_profiles;
  const option = (await admin('POST', '/shipping-options', {
    name: 'Standard', price_type: 'flat', service_zone_id: set.service_zones[0].id, shipping_profile_id: profile.id, provider_id: 'manual_manual',
    type: { label: 'Standard', description: 'Standard', code: 'standard' },
    prices: [{ currency_code: 'cny', amount: 0 }], // free, as in the other stores
    rules: [{ attribute: 'enabled_in_store', value: 'true', operator: 'eq' }, { attribute: 'is_return', value: 'false', operator: 'eq' }],
  })).shipping_option;
  const key = (await admin('POST', '/api-keys', { title: 'Bench', type: 'publishable' })).api_key;
  await admin('POST', `/api-keys/${key.id}/sales-channels`, { add: [salesChannelId] });

  log(`[medusa] seeding ${PRODUCTS} products…`);
  const variantIds = await inParallel(PRODUCTS, 4, async (i) => {
    const product = (await admin('POST', '/products?fields=id,*variants,variants.inventory_items.inventory_item_id', {
      title: productTitle(i), handle: productSlug(i), description: 'A product for load tests.', status: 'published',
      shipping_profile_id: profile.id, sales_channels: [{ id: salesChannelId }],
      options: [{ title: 'Default', values: ['Default'] }],
      // Medusa's amounts are in major units.
      variants: [{ title: 'Default', sku: `BENCH-${i}`, manage_inventory: true, options: { Default: 'Default' }, prices: [{ currency_code: 'cny', amount: productPrice(i) / 100 }] }],
    })).product;
    const variant = product.variants[0];
    await admin('POST', `/inventory-items/${variant.inventory_items[0].inventory_item_id}/location-levels`, { location_id: location.id, stocked_quantity: STOCK });
    return variant.id as string;
  });
  return { regionId: region.id, shippingOptionId: option.id, publishableKey: key.token, variantIds };
}

/** Migrations and the admin user: what a Medusa project does once before its first start. */
async function prepareDatabase(dir: string, database: string, log: (line: string) => void): Promise<number> {
  const started = performance.now();
  const env = { ...ENV, DATABASE_URL: databaseUrl(database) };
  log('[medusa] medusa db:migrate…');
  await run(process.execPath, [CLI, 'db:migrate'], dir, () => undefined, env);
  await run(process.execPath, [CLI, 'user', '-e', ADMIN.email, '-p', ADMIN.password], dir, () => undefined, env);
  const ms = performance.now() - started;
  log(`[medusa] migrated and admin user made in ${(ms / 1000).toFixed(1)} s`);
  return ms;
}

const ADDRESS = { first_name: 'Bench', last_name: 'Shopper', address_1: '1 Bench Road', city: 'Shanghai', postal_code: '200000', country_code: 'cn', phone: '13800000000' };

export const medusa: PeerDriver = {
  name: 'Medusa',
  version: MEDUSA_VERSION,
  async start(database, log) {
    const { dir } = await installMedusa(log);
    const migrateMs = await prepareDatabase(dir, database, log);
    const port = await freePort();
    const http = new Http(`http://127.0.0.1:${port}`);
    const spawned = performance.now();
    const child = spawnServer([CLI, 'start'], dir, { ...ENV, PORT: String(port), DATABASE_URL: databaseUrl(database) });
    const { startupMs, fixture, adminToken } = await orStop(child, async () => {
      await waitUntilReady(child, async () => (await http.request('GET', '/health')).status === 200);
      const startupMs = performance.now() - spawned;
      log(`[medusa] up in ${(startupMs / 1000).toFixed(1)} s (after ${(migrateMs / 1000).toFixed(1)} s of migrations)`);
      const fixture = await seed(http, log);
      const adminToken = (await http.request('POST', '/auth/user/emailpass', ADMIN)).json.token as string;
      return { startupMs, fixture, adminToken };
    });
    const storeHeaders = { 'x-publishable-api-key': fixture.publishableKey };
    const store = async (method: string, path: string, body?: unknown) => (await http.request(method, `/store${path}`, body, storeHeaders)).json;
    const admin = async (method: string, path: string, body?: unknown) => (await http.request(method, `/admin${path}`, body, { authorization: `Bearer ${adminToken}` })).json;
    const region = `region_id=${fixture.regionId}`; // prices are calculated for a region

    const peer: Peer = {
      name: 'Medusa',
      version: MEDUSA_VERSION,
      pid: child.process.pid!,
      database,
      startupMs,
      migrateMs,
      checkoutRequests: 9,
      checkoutSteps: 'POST cart, POST line-item, POST cart (e-mail, address), POST shipping-method, POST payment-collection, POST payment-session (pp_system_default), POST complete; then the merchant\'s capture: GET /admin/payments, POST capture',
      customers: 'guest checkout (an e-mail address on the cart, no account)',
      async productPage(i) {
        const page = await store('GET', `/products?handle=${productSlug(i % PRODUCTS)}&${region}`);
        if (page.products.length !== 1) throw new Error('product not found');
      },
      async listing() {
        const page = await store('GET', `/products?limit=20&${region}`);
        if (page.products.length !== 20) throw new Error('listing short');
      },
      async search(i) {
        const page = await store('GET', `/products?q=${WORDS[i % WORDS.length]}&limit=20&${region}`);
        if (page.products.length === 0) throw new Error('search found nothing');
      },
      async checkout(i) {
        const cart = (await store('POST', '/carts', { region_id: fixture.regionId })).cart;
        await store('POST', `/carts/${cart.id}/line-items`, { variant_id: fixture.variantIds[i % PRODUCTS], quantity: 1 });
        await store('POST', `/carts/${cart.id}`, { email: `shopper${i}@bench.test`, shipping_address: ADDRESS });
        await store('POST', `/carts/${cart.id}/shipping-methods`, { option_id: fixture.shippingOptionId });
        const collection = (await store('POST', '/payment-collections', { cart_id: cart.id })).payment_collection;
        const session = (await store('POST', `/payment-collections/${collection.id}/payment-sessions`, { provider_id: 'pp_system_default' })).payment_collection.payment_sessions[0];
        const completed = await store('POST', `/carts/${cart.id}/complete`);
        if (completed.type !== 'order') throw new Error(`cart not completed: ${JSON.stringify(completed).slice(0, 200)}`);
        // The system provider authorises only; the payment is settled when the merchant captures it.
        const [payment] = (await admin('GET', `/payments?payment_session_id=${session.id}&fields=id`)).payments;
        const captured = (await admin('POST', `/payments/${payment.id}/capture?fields=id,captured_at`, {})).payment;
        if (!captured.captured_at) throw new Error('payment not captured');
      },
      async verifyPaid() {
        const orders = (await admin('GET', '/orders?fields=id,payment_status&limit=1&order=-created_at')).orders;
        if (orders[0]?.payment_status !== 'captured') throw new Error(`Medusa order is ${orders[0]?.payment_status}`);
      },
      async stop() {
        await http.close();
        await child.stop();
      },
    };
    return peer;
  },
};
