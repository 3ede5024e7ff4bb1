import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from './support/databases.ts';
import { as, OPERATOR_TOKEN, startTestApp, type TestApp } from './support/test-app.ts';

const operator = { authorization: `Bearer ${OPERATOR_TOKEN}` };

describe.each(await databaseKinds())('platforms on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t?.close());

  it('an operator creates a platform from a metadata document and it answers at once', async () => {
    const created = await t.request({
      method: 'POST',
      url: '/api/operator/platforms',
      headers: operator,
      payload: { slug: 'tea-house', name: '茶馆', domains: ['Tea.Example.com'], defaultCurrency: 'CNY', quotas: { requestsPerSecond: 50 } },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      slug: 'tea-house',
      name: '茶馆',
      domains: ['tea.example.com'],
      currencies: ['CNY'],
      defaultLocale: 'zh-CN',
      quotas: { requestsPerSecond: 50, products: 10000 },
    });

    const byHost = await t.request({ method: 'GET', url: '/api/store/platform', headers: { host: 'tea.example.com:3000' } });
    expect(byHost.statusCode).toBe(200);
    expect(byHost.json().name).toBe('茶馆');
    const bySlug = await t.request({ method: 'GET', url: '/api/store/platform', headers: { 'x-tenant': 'tea-house' } });
    expect(bySlug.json().slug).toBe('tea-house');
    const byQuery = await t.request({ method: 'GET', url: '/api/store/platform?tenant=tea-house' });
    expect(byQuery.json().slug).toBe('tea-house');

    const listed = await t.request({ method: 'GET', url: '/api/operator/platforms', headers: operator });
    expect(listed.json().items.map((p: { slug: string }) => p.slug)).toContain('tea-house');
  });

  it('a second platform with the same slug or domain is refused with 409', async () => {
    const first = { slug: 'dup', name: 'Dup', domains: ['dup.example.com'], defaultCurrency: 'USD' };
    expect((await t.request({ method: 'POST', url: '/api/operator/platforms', headers: operator, payload: first })).statusCode).toBe(201);
    const sameSlug = await t.request({ method: 'POST', url: '/api/operator/platforms', headers: operator, payload: { ...first, domains: [] } });
    expect(sameSlug.statusCode).toBe(409);
    expect(sameSlug.json().code).toBe('platform_exists');
    const sameDomain = await t.request({ method: 'POST', url: '/api/operator/platforms', headers: operator, payload: { ...first, slug: 'dup-2' } });
    expect(sameDomain.statusCode).toBe(409);
    expect(sameDomain.json().code).toBe('domain_taken');
  });

  it('racing creations of one slug make exactly one platform', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        t.request({ method: 'POST', url: '/api/operator/platforms', headers: operator, payload: { slug: 'race', name: 'Race', defaultCurrency: 'CNY' } }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409]);
  });

  it('the operator API needs the operator token', async () => {
    const missing = await t.request({ method: 'GET', url: '/api/operator/platforms' });
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    const wrong = await t.request({ method: 'GET', url: '/api/operator/platforms', headers: { authorization: 'Bearer nope' } });
    expect(wrong.json().code).toBe('invalid_operator_token');
  });

  it('an invalid document is refused field by field', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/api/operator/platforms',
      headers: operator,
      payload: { slug: 'Bad Slug', name: '', defaultCurrency: 'XYZ', modules: ['teleport'], extra: 1 },
    });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.code).toBe('validation_failed');
    const paths = body.errors.map((e: { path: string }) => e.path).join(' ');
    for (const field of ['slug', 'name', 'defaultCurrency', 'modules']) expect(paths).toContain(field);
  });

  it('an unknown platform is a 404 problem', async () => {
    const byHost = await t.request({ method: 'GET', url: '/api/store/products', headers: { host: 'nobody.example.com' } });
    expect(byHost.statusCode).toBe(404);
    expect(byHost.json().code).toBe('platform_not_found');
    const bySlug = await t.request({ method: 'GET', url: '/api/store/products', headers: as('no-such-shop') });
    expect(bySlug.json().code).toBe('platform_not_found');
  });

  it('a module the platform did not enable has no routes there', async () => {
    await t.createPlatform('no-catalog', { modules: ['cart'] });
    const response = await t.request({ method: 'GET', url: '/api/store/products', headers: as('no-catalog') });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('module_disabled');
  });
});
