import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, databaseKinds, dropScratchDatabase } from './support/databases.ts';
import { PROCESS_TEST_TIMEOUT_MS, runCli, startServerProcess, type ServerProcess } from './support/server-process.ts';

const PLATFORM_YAML = `
slug: night-market
name: 夜市 Night Market
domains: [night.market.test]
defaultCurrency: TWD
currencies: [TWD, USD]
defaultLocale: zh-TW
locales: [zh-TW, en]
modules: [catalog, cart, orders]
quotas:
  requestsPerSecond: 100
  products: 500
theme:
  primaryColor: "#112233"
owner:
  email: boss@night.market.test
  password: night-market-owner
`;

describe.each(await databaseKinds())('the server as a process (%s)', (kind) => {
  let dataDir: string;
  let databaseUrl: string | undefined;
  let server: ServerProcess;
  const env = () => ({ DATA_DIR: dataDir, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'bazaar-process-'));
    if (kind === 'postgres') databaseUrl = await createScratchDatabase();
    server = await startServerProcess(env(), 'Demo staff:');
  }, PROCESS_TEST_TIMEOUT_MS);
  afterAll(async () => {
    await server?.stop('SIGKILL');
    if (databaseUrl) await dropScratchDatabase(databaseUrl);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts with the demo platform seeded and prints what a newcomer needs', async () => {
    const banner = server.output();
    expect(banner).toContain('/docs');
    expect(banner).toMatch(/Operator token: {2}bzo_/);
    expect(banner).toMatch(/Demo staff: {6}owner@demo\.bazaar\.local \/ \S+/);
    expect(banner).toMatch(/Payments: {8}SANDBOX ON: anyone can mark any order paid\. Turn it off with BAZAAR_SANDBOX_PAYMENTS=0/);
    // The start that generates the operator token shows it once, in full.
    const token = (await readFile(join(dataDir, 'operator-token'), 'utf8')).trim();
    expect(banner).toContain(token);

    const ids = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: any = await (await get(`/api/store/products?limit=20${cursor ? `&cursor=${cursor}` : ''}`)).json();
      for (const item of page.items) ids.add(item.id);
      cursor = page.nextCursor;
    } while (cursor);
    expect(ids.size).toBe(50);

    const categories: any = await (await get('/api/store/categories?locale=en')).json();
    expect(categories.items.length).toBeGreaterThanOrEqual(5);
    expect(categories.items.some((c: any) => c.children.length > 0)).toBe(true);
    const zh: any = await (await get(`/api/store/products/${[...ids][0]}`)).json();
    expect(zh.title).toMatch(/\p{Script=Han}/u);
    const image = await get(zh.images[0].url);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toContain('image/svg+xml');
  });

  it('leads the admin URL the banner prints to the console', async () => {
    const bare = await fetch(`${server.url}/admin`, { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/admin/');
    const page = await fetch(`${server.url}/admin`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
  });

  it('serves health, readiness, metrics, the OpenAPI document and the docs page', async () => {
    expect(await (await get('/healthz')).json()).toEqual({ status: 'ok' });
    expect(await (await get('/readyz')).json()).toMatchObject({ status: 'ready', database: kind });
    // Installation-wide figures: only for the operator (or Prometheus with METRICS_TOKEN).
    expect((await get('/metrics')).status).toBe(401);
    const operatorToken = (await readFile(join(dataDir, 'operator-token'), 'utf8')).trim();
    const metrics = await (await get('/metrics', { authorization: `Bearer ${operatorToken}` })).text();
    expect(metrics).toMatch(/http_requests_total\{method="GET",route="\/api\/store\/products",status="200"\} \d+/);
    expect(metrics).toContain('http_request_duration_seconds_bucket');
    expect(metrics).toContain('process_resident_memory_bytes');
    const openapi: any = await (await get('/api/openapi.json')).json();
    expect(openapi.openapi).toMatch(/^3\./);
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/api/store/products', '/api/store/products/{id}', '/api/operator/platforms']));
    const docs = await get('/docs');
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });

  it('logs JSON lines with the request id the client sent', async () => {
    const response = await get('/api/store/products/prod_00000000000000000000000000', { 'x-request-id': 'trace-me-123' });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-request-id')).toBe('trace-me-123');
    expect((await response.json() as any).requestId).toBe('trace-me-123');
  });

  it('the CLI creates a platform from YAML and it answers without a restart', async () => {
    const file = join(dataDir, 'platform.yaml');
    await writeFile(file, PLATFORM_YAML);
    const result = await runCli(['platform', 'create', '--file', file, '--server', server.url], env());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Created platform "night-market" \(夜市 Night Market\) in \d+ ms/);

    const platform: any = await (await get('/api/store/platform', { 'x-tenant': 'night-market' })).json();
    expect(platform).toMatchObject({ name: '夜市 Night Market', defaultCurrency: 'TWD', theme: { primaryColor: '#112233' } });
    const login = await fetch(`${server.url}/api/admin/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tenant': 'night-market' },
      body: JSON.stringify({ email: 'boss@night.market.test', password: 'night-market-owner' }),
    });
    expect(login.status).toBe(200);
  });

  it('the CLI explains a bad document field by field and exits non-zero', async () => {
    const file = join(dataDir, 'bad.yaml');
    await writeFile(file, 'slug: Not A Slug\nname: x\ndefaultCurrency: EURO\n');
    const result = await runCli(['platform', 'create', '--file', file, '--server', server.url], env());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('validation_failed');
    expect(result.stderr).toMatch(/- slug: /);
    expect(result.stderr).toMatch(/- defaultCurrency: /);
    const unreachable = await runCli(['platform', 'list', '--server', 'http://127.0.0.1:9'], env());
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toContain('Cannot reach Bazaar');
  });

  it('stops gracefully on SIGTERM and keeps everything across a restart', { timeout: PROCESS_TEST_TIMEOUT_MS }, async () => {
    expect(await server.stop('SIGTERM')).toBe(0);
    server = await startServerProcess(env(), 'Demo staff:');
    expect(server.output()).not.toContain('just created');
    // Later starts show it masked, with the file it is in.
    const token = (await readFile(join(dataDir, 'operator-token'), 'utf8')).trim();
    expect(server.output()).not.toContain(token.slice(6, -2));
    expect(server.output()).toContain(`Operator token:  ${token.slice(0, 6)}…${token.slice(-2)}  (from ${join(dataDir, 'operator-token')})`);
    const platform = await get('/api/store/platform', { 'x-tenant': 'night-market' });
    expect(platform.status).toBe(200);
    const products: any = await (await get('/api/store/products?limit=100')).json();
    expect(products.items).toHaveLength(50);
  });
});
