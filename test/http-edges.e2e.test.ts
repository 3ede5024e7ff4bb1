import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/test-app.ts';

/** What a raw socket gets back for `request`, read until the server closes or the answer is whole. */
function exchange(port: number, request: string): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const finish = () => {
      const [head = '', body = ''] = received.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body });
    };
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      const [head, body] = received.split('\r\n\r\n');
      const length = Number(/content-length: (\d+)/i.exec(head ?? '')?.[1]);
      if (body !== undefined && Buffer.byteLength(body) >= length) {
        socket.destroy();
        finish();
      }
    });
    socket.on('close', finish);
    socket.on('error', (error) => (received ? finish() : reject(error)));
    socket.write(request);
  });
}

describe('HTTP at the edge', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await startTestApp('pglite');
    await t.createPlatform('edge');
    await t.createPlatform('other');
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = Number(new URL(address).port);
  });
  afterAll(() => t?.close());

  it('one Host header is served; two are a 400, whichever platform each names', async () => {
    const one = await exchange(port, 'GET /api/store/platform HTTP/1.1\r\nHost: edge.shop.test\r\nConnection: close\r\n\r\n');
    expect(one.status).toBe(200);
    const two = await exchange(port, 'GET /api/store/platform HTTP/1.1\r\nHost: edge.shop.test\r\nHost: other.shop.test\r\nConnection: close\r\n\r\n');
    expect(two.status).toBe(400);
    expect(two.headers).toContain('content-type: application/problem+json');
    expect(JSON.parse(two.body).code).toBe('duplicate_host');
  });

  it('headers too large are a 431 problem, and a malformed request a 400 problem', async () => {
    const huge = await exchange(port, `GET /api/store/platform HTTP/1.1\r\nHost: edge.shop.test\r\nX-Filler: ${'a'.repeat(40_000)}\r\n\r\n`);
    expect(huge.status).toBe(431);
    expect(huge.headers).toContain('content-type: application/problem+json');
    expect(JSON.parse(huge.body)).toMatchObject({ status: 431, code: 'headers_too_large' });
    const garbage = await exchange(port, 'NOT HTTP AT ALL\r\n\r\n');
    expect(garbage.status).toBe(400);
    expect(JSON.parse(garbage.body).code).toBe('malformed_request');
  });

  it('is healthy as soon as it answers, and ready only once start-up has finished', async () => {
    expect((await t.request({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const starting = await t.request({ method: 'GET', url: '/readyz' });
    expect(starting.statusCode).toBe(503);
    expect(starting.json().code).toBe('starting');
    t.readiness.markReady();
    expect((await t.request({ method: 'GET', url: '/readyz' })).json()).toMatchObject({ status: 'ready', database: 'pglite' });
  });
});
