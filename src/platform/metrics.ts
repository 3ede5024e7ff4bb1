import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics: RED per route (rate, errors, duration) plus Node process metrics.
 * Routes are labelled by their pattern (`/api/store/products/:id`), never by the raw URL, so the
 * number of series stays bounded whatever clients send.
 *
 * The figures are installation-wide (every platform's orders and requests), so `/metrics` sits
 * behind `guard`: one platform must not watch another's activity.
 */
export interface Metrics {
  registry: Registry;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return { registry };
}

export function registerHttpMetrics(app: FastifyInstance, { registry }: Metrics, guard: (request: FastifyRequest) => Promise<void>): void {
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by route and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving a request to sending its response.',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  // A callback hook, not an async one: no promise per request for synchronous work.
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    requests.inc({ method: request.method, route, status: String(status) });
    duration.observe(
      { method: request.method, route, status_class: `${Math.floor(status / 100)}xx` },
      reply.elapsedTime / 1000,
    );
    done();
  });

  app.get('/metrics', { schema: { hide: true }, onRequest: guard }, async (_request, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()),
  );
}
