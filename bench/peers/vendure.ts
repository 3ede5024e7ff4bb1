/**
 * Vendure 3 for bench:peers: @vendure/core installed on demand, started by vendure-server.cjs
 * (PostgreSQL through TypeORM with `synchronize`, DefaultSearchPlugin, the in-memory job queue,
 * the dummy payment handler set to settle at once), seeded over the Admin API; the storefront
 * operations go through the Shop GraphQL API as a guest (Vendure needs no account to buy).
 */
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inParallel } from '../support/load.ts';
import {
  ensureInstalled, freePort, orStop, Http, PRODUCTS, productPrice, productSlug, productTitle, spawnServer, STOCK, waitUntilReady, WORDS,
  type Peer, type PeerDriver,
} from './common.ts';

export const VENDURE_VERSION = '3.7.3';
const DEPENDENCIES = { '@vendure/core': VENDURE_VERSION, pg: '8.23.1' };
const SERVER_FILE = fileURLToPath(new URL('./vendure-server.cjs', import.meta.url));

export async function installVendure(log: (line: string) => void) {
  const install = await ensureInstalled('vendure', DEPENDENCIES, log);
  // Run from the peer folder, so that require() finds Vendure there and nothing of the repo.
  await copyFile(SERVER_FILE, join(install.dir, 'server.cjs'));
  return install;
}

/** A GraphQL call; Vendure answers errors with 200, so `errors` is checked here. */
async function gql(http: Http, api: 'admin-api' | 'shop-api', query: string, variables: Record<string, unknown> = {}, token?: string) {
  const reply = await http.request('POST', `/${api}`, { query, variables }, token ? { authorization: `Bearer ${token}` } : {});
  if (reply.json.errors) throw new Error(`${api}: ${JSON.stringify(reply.json.errors).slice(0, 300)}`);
  return { data: reply.json.data as Record<string, any>, token: reply.headers['vendure-auth-token'] as string | undefined };
}

/** Mutations answer a union of the entity and ErrorResults: an error result has an errorCode. */
function ok<T extends Record<string, any>>(result: T, what: string): T {
  if (result?.errorCode) throw new Error(`${what}: ${result.errorCode} ${result.message ?? ''}`);
  return result;
}

async function seed(http: Http, log: (line: string) => void): Promise<{ variantIds: string[]; shippingMethodId: string }> {
  const login = await gql(http, 'admin-api', 'mutation { login(username: "superadmin", password: "bench-superadmin-pass") { ... on CurrentUser { id } } }');
  const token = login.token!;
  const adminGql = async (query: string, variables: Record<string, unknown> = {}) => (await gql(http, 'admin-api', query, variables, token)).data;

  const country = (await adminGql('mutation { createCountry(input: { code: "CN", enabled: true, translations: [{ languageCode: en, name: "China" }] }) { id } }')).createCountry;
  const zone = (await adminGql('mutation($id: ID!) { createZone(input: { name: "China", memberIds: [$id] }) { id } }', { id: country.id })).createZone;
  const channel = (await adminGql('{ activeChannel { id } }')).activeChannel;
  ok((await adminGql(
    `mutation($id: ID!, $zone: ID!) { updateChannel(input: { id: $id, defaultTaxZoneId: $zone, defaultShippingZoneId: $zone, defaultCurrencyCode: CNY, availableCurrencyCodes: [CNY] }) {
      ... on Channel { id } ... on ErrorResult { errorCode message } } }`,
    { id: channel.id, zone: zone.id },
  )).updateChannel, 'updateChannel');
  // No tax, free shipping: the order total is the product's price, as in Bazaar's bench store.
  const category = (await adminGql('mutation { createTaxCategory(input: { name: "Standard", isDefault: true }) { id } }')).createTaxCategory;
  await adminGql('mutation($c: ID!, $z: ID!) { createTaxRate(input: { name: "None", enabled: true, value: 0, categoryId: $c, zoneId: $z }) { id } }', { c: category.id, z: zone.id });
  const shipping = (await adminGql(`mutation { createShippingMethod(input: {
      code: "standard", fulfillmentHandler: "manual-fulfillment",
      checker: { code: "default-shipping-eligibility-checker", arguments: [{ name: "orderMinimum", value: "0" }] },
      calculator: { code: "default-shipping-calculator", arguments: [{ name: "rate", value: "0" }, { name: "includesTax", value: "auto" }, { name: "taxRate", value: "0" }] },
      translations: [{ languageCode: en, name: "Standard", description: "" }] }) { id } }`)).createShippingMethod;
  await adminGql(`mutation { createPaymentMethod(input: {
      code: "dummy", enabled: true,
      handler: { code: "dummy-payment-handler", arguments: [{ name: "automaticSettle", value: "true" }] },
      translations: [{ languageCode: en, name: "Dummy" }] }) { id } }`);

  log(`[vendure] seeding ${PRODUCTS} products…`);
  const variantIds = await inParallel(PRODUCTS, 4, async (i) => {
    const product = (await adminGql(
      'mutation($name: String!, $slug: String!) { createProduct(input: { translations: [{ languageCode: en, name: $name, slug: $slug, description: "A product for load tests." }] }) { id } }',
      { name: productTitle(i), slug: productSlug(i) },
    )).createProduct;
    const [variant] = (await adminGql(
      'mutation($input: [CreateProductVariantInput!]!) { createProductVariants(input: $input) { id } }',
      { input: [{ productId: product.id, sku: `BENCH-${i}`, price: productPrice(i), stockOnHand: STOCK, translations: [{ languageCode: 'en', name: productTitle(i) }], optionIds: [] }] },
    )).createProductVariants;
    return variant.id as string;
  });
  await waitForSearchIndex(http);
  return { variantIds, shippingMethodId: shipping.id };
}

/** The search index is built by jobs (in this process's in-memory queue): wait until it's whole. */
async function waitForSearchIndex(http: Http): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const { data } = await gql(http, 'shop-api', '{ search(input: { take: 1, groupByProduct: true }) { totalItems } }');
    if (data.search.totalItems >= PRODUCTS) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the search index did not fill');
}

const PRODUCT_QUERY = `query($slug: String!) { product(slug: $slug) { id name slug description
  featuredAsset { preview } variants { id name sku priceWithTax currencyCode stockLevel } } }`;
const LISTING_QUERY = '{ products(options: { take: 20 }) { totalItems items { id name slug featuredAsset { preview } variants { id priceWithTax currencyCode } } } }';
const SEARCH_QUERY = `query($term: String!) { search(input: { term: $term, take: 20, groupByProduct: true }) { totalItems
  items { productId productName slug priceWithTax { ... on PriceRange { min max } ... on SinglePrice { value } } currencyCode } } }`;

const ORDER_RESULT = '... on Order { id code state } ... on ErrorResult { errorCode message }';

export const vendure: PeerDriver = {
  name: 'Vendure',
  version: VENDURE_VERSION,
  async start(database, log) {
    const { dir } = await installVendure(log);
    const port = await freePort();
    const http = new Http(`http://127.0.0.1:${port}`);
    const spawned = performance.now();
    // Production mode, as a deployment runs it (Nest and Apollo skip their development paths).
    const child = spawnServer(['server.cjs'], dir, { NODE_ENV: 'production', PORT: String(port), DB_NAME: database });
    const { startupMs, variantIds, shippingMethodId } = await orStop(child, async () => {
      await waitUntilReady(child, async () => Boolean((await gql(http, 'shop-api', '{ activeChannel { id } }')).data.activeChannel));
      const startupMs = performance.now() - spawned;
      log(`[vendure] up in ${(startupMs / 1000).toFixed(1)} s (schema synchronised on start)`);
      return { startupMs, ...(await seed(http, log)) };
    });

    const shop = async (query: string, variables: Record<string, unknown>, token?: string) => gql(http, 'shop-api', query, variables, token);
    const peer: Peer = {
      name: 'Vendure',
      version: VENDURE_VERSION,
      pid: child.process.pid!,
      database,
      startupMs,
      checkoutRequests: 6,
      checkoutSteps: 'addItemToOrder, setCustomerForOrder, setOrderShippingAddress, setOrderShippingMethod, transitionOrderToState(ArrangingPayment), addPaymentToOrder',
      customers: 'guest checkout (an e-mail address on the order, no account)',
      async productPage(i) {
        const { data } = await shop(PRODUCT_QUERY, { slug: productSlug(i % PRODUCTS) });
        if (!data.product) throw new Error('product not found');
      },
      async listing() {
        const { data } = await shop(LISTING_QUERY, {});
        if (data.products.items.length !== 20) throw new Error('listing short');
      },
      async search(i) {
        const { data } = await shop(SEARCH_QUERY, { term: WORDS[i % WORDS.length] });
        if (data.search.totalItems === 0) throw new Error('search found nothing');
      },
      async checkout(i) {
        const added = await shop(`mutation($v: ID!) { addItemToOrder(productVariantId: $v, quantity: 1) { ${ORDER_RESULT} } }`, { v: variantIds[i % PRODUCTS] });
        ok(added.data.addItemToOrder, 'addItemToOrder');
        const token = added.token!; // the guest's session, made by the first call
        ok((await shop(`mutation($e: String!) { setCustomerForOrder(input: { emailAddress: $e, firstName: "Bench", lastName: "Shopper" }) { ${ORDER_RESULT} } }`,
          { e: `shopper${i}@bench.test` }, token)).data.setCustomerForOrder, 'setCustomerForOrder');
        ok((await shop(`mutation { setOrderShippingAddress(input: { fullName: "Bench Shopper", streetLine1: "1 Bench Road", city: "Shanghai", postalCode: "200000", countryCode: "CN", phoneNumber: "13800000000" }) { ${ORDER_RESULT} } }`,
          {}, token)).data.setOrderShippingAddress, 'setOrderShippingAddress');
        ok((await shop(`mutation($m: [ID!]!) { setOrderShippingMethod(shippingMethodId: $m) { ${ORDER_RESULT} } }`, { m: [shippingMethodId] }, token)).data.setOrderShippingMethod, 'setOrderShippingMethod');
        ok((await shop(`mutation { transitionOrderToState(state: "ArrangingPayment") { ${ORDER_RESULT} ... on OrderStateTransitionError { transitionError } } }`, {}, token)).data.transitionOrderToState, 'transitionOrderToState');
        const paid = ok((await shop(`mutation { addPaymentToOrder(input: { method: "dummy", metadata: {} }) { ${ORDER_RESULT} ... on Order { payments { state } } } }`, {}, token)).data.addPaymentToOrder, 'addPaymentToOrder');
        if (paid.state !== 'PaymentSettled' || paid.payments[0]?.state !== 'Settled') throw new Error(`order ${paid.code} is ${paid.state}`);
      },
      async verifyPaid() {
        const login = await gql(http, 'admin-api', 'mutation { login(username: "superadmin", password: "bench-superadmin-pass") { ... on CurrentUser { id } } }');
        const { data } = await gql(http, 'admin-api', '{ orders(options: { filter: { state: { eq: "PaymentSettled" } }, take: 1 }) { totalItems } }', {}, login.token);
        if (data.orders.totalItems === 0) throw new Error('no Vendure order is settled');
      },
      async stop() {
        await http.close();
        await child.stop();
      },
    };
    return peer;
  },
};
