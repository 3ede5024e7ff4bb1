/**
 * npm run bench:catalog — the store's catalog reads under load from this process, against Bazaar
 * running as its own process, on embedded PGlite and on PostgreSQL (when reachable), side by side
 * with bare Fastify's hello-world (the framework's ceiling, a process of its own) and Bazaar's own
 * hello-world route: every rate is given as a share of bare Fastify's, so the table shows what
 * Bazaar's request pipeline (hooks, metrics, tenant resolution, validation) costs.
 *
 *   BENCH_SECONDS (per scenario, default 8)  BENCH_CONNECTIONS (default 32)  BENCH_PRODUCTS (default 200)
 */
import autocannon from 'autocannon';
import { measureBareFastify } from './support/bare-fastify.ts';
import { inParallel } from './support/load.ts';
import { machine, printTable, ratio, writeResults, type Row } from './support/report.ts';
import { postgresReachable, startBenchServer, type BenchServer } from './support/server.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 200);
const WORDS = ['茶叶', '连衣裙', '耳机', '保温杯', '坚果'];

async function api(server: BenchServer, method: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'x-tenant': 'bench', 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, any>;
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${json.code ?? ''}`);
  return json;
}

const BRANDS = ['acme', 'zen', 'lotus', 'north'];

async function seed(server: BenchServer): Promise<{ productIds: string[] }> {
  await api(server, 'POST', '/api/operator/platforms', {
    slug: 'bench', name: 'Bench', defaultCurrency: 'CNY', currencies: ['CNY', 'USD'], locales: ['zh-CN', 'en'],
    quotas: { requestsPerSecond: 1_000_000, products: 100_000 }, owner: { email: 'owner@bench.test', password: 'bench-owner-pass' },
  }, { authorization: `Bearer ${server.operatorToken}` });
  const login = await api(server, 'POST', '/api/admin/auth/login', { email: 'owner@bench.test', password: 'bench-owner-pass' });
  const staff = { authorization: `Bearer ${login.session.token}` };
  const root = await api(server, 'POST', '/api/admin/categories', { slug: 'goods', name: { en: 'Goods', 'zh-CN': '商品' } }, staff);
  const leaf = await api(server, 'POST', '/api/admin/categories', { slug: 'daily', name: { en: 'Daily', 'zh-CN': '日用' }, parentId: root.id }, staff);
  await api(server, 'POST', '/api/admin/attributes', {
    code: 'brand', name: { en: 'Brand', 'zh-CN': '品牌' }, kind: 'choice',
    choices: BRANDS.map((brand) => ({ value: brand, name: { en: brand, 'zh-CN': brand } })),
  }, staff);
  const productIds = await inParallel(PRODUCTS, 4, async (i) => {
    const word = WORDS[i % WORDS.length]!;
    const product = await api(server, 'POST', '/api/admin/products', {
      title: { en: `Bench product ${i}`, 'zh-CN': `精选${word} ${i} 号` },
      description: { en: 'A product for load tests.', 'zh-CN': '用于压测的商品。' },
      status: 'active',
      categoryId: i % 2 === 0 ? leaf.id : root.id,
      attributes: { brand: BRANDS[i % BRANDS.length]! },
      options: [{ code: 'size', name: { en: 'Size', 'zh-CN': '尺码' }, values: ['S', 'M', 'L'] }],
      images: [{ url: '/static/demo/food.svg', alt: 'bench' }],
      variants: ['S', 'M', 'L'].map((size, k) => ({
        sku: `CAT-${i}-${size}`,
        optionValues: { size },
        prices: [{ currency: 'CNY', amount: 1000 + ((i * 37) % 900) * 10 + k * 100 }, { currency: 'USD', amount: 150 + k * 10 }],
      })),
    }, staff);
    return product.id as string;
  });
  return { productIds };
}

async function load(url: string, paths: string[]) {
  let next = 0;
  const run = (duration: number) =>
    autocannon({
      url,
      connections: CONNECTIONS,
      duration,
      headers: { 'x-tenant': 'bench' },
      requests: [{ setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length]! }) }],
    });
  await run(1); // warm-up: JIT, caches, connection pools
  const result = await run(SECONDS);
  return { perSecond: result.requests.average, p50Ms: result.latency.p50, p99Ms: result.latency.p99, non2xx: result.non2xx + result.errors };
}

const databases: ('pglite' | 'postgres')[] = ['pglite', ...((await postgresReachable()) ? (['postgres'] as const) : [])];
process.stdout.write(`bare Fastify hello-world for ${SECONDS}s…\n`);
const bare = await measureBareFastify(CONNECTIONS, SECONDS);
const rows: Row[] = [{ database: '—', scenario: 'bare Fastify hello-world', unit: 'req', perSecond: bare.perSecond, p50Ms: bare.p50Ms, p99Ms: bare.p99Ms, vsHello: ratio(bare.perSecond, bare.perSecond), failed: bare.failed }];
const results: Record<string, unknown> = { bareFastify: bare };
for (const database of databases) {
  const server = await startBenchServer(database);
  try {
    process.stdout.write(`[${database}] seeding ${PRODUCTS} products…\n`);
    const { productIds } = await seed(server);
    const scenarios: [string, string[]][] = [
      ['Bazaar hello-world', ['/bench/hello']],
      ['product by id', productIds.map((id) => `/api/store/products/${id}`)],
      ['listing, newest, 20', ['/api/store/products?limit=20']],
      ['listing, category + price sort', ['/api/store/products?category=goods&sort=price_asc&limit=20']],
      ['search (Chinese substring)', WORDS.map((word) => `/api/store/products?q=${encodeURIComponent(word)}&limit=20`)],
      // Facet counts for brand, size, price and stock, with a brand filter and a size filter.
      ['listing with facets', [
        '/api/store/products?category=goods&facets=true&limit=20',
        ...BRANDS.map((brand) => `/api/store/products?category=goods&facets=true&attr.brand=${brand}&limit=20`),
        '/api/store/products?category=goods&facets=true&attr.brand=acme,zen&option.size=M&sort=best_selling&limit=20',
      ]],
    ];
    const measured: Record<string, Awaited<ReturnType<typeof load>>> = {};
    for (const [name, paths] of scenarios) {
      process.stdout.write(`[${database}] ${name} for ${SECONDS}s…\n`);
      measured[name] = await load(server.url, paths);
    }
    for (const [name, m] of Object.entries(measured)) {
      rows.push({ database, scenario: name, unit: 'req', perSecond: m.perSecond, p50Ms: m.p50Ms, p99Ms: m.p99Ms, vsHello: ratio(m.perSecond, bare.perSecond), failed: m.non2xx });
    }
    const rss = await server.rssBytes();
    results[database] = { scenarios: measured, rssMiB: Math.round(rss / 2 ** 20) };
    process.stdout.write(`[${database}] server RSS after load: ${Math.round(rss / 2 ** 20)} MiB\n`);
  } finally {
    await server.stop();
  }
}

printTable(`Catalog benchmark — ${CONNECTIONS} connections, ${SECONDS}s per scenario, ${PRODUCTS} products × 3 variants`, rows, 'vs bare Fastify');
const path = await writeResults('catalog', { machine: machine(), connections: CONNECTIONS, seconds: SECONDS, products: PRODUCTS, rows, results });
process.stdout.write(`Results written to ${path}\n`);
