import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Database } from '../infra/db/database.ts';
import { adminCatalogRoutes, createCatalogService, storeCatalogRoutes, type CatalogService } from '../modules/catalog/index.ts';
import {
  createAuthGuards,
  createIdentityService,
  createLoginThrottle,
  customerAuthRoutes,
  staffRoutes,
  type IdentityService,
} from '../modules/identity/index.ts';
import {
  createTenantRateLimiter,
  createTenantService,
  operatorRoutes,
  storePlatformRoutes,
  useTenantScope,
  type TenantService,
} from '../modules/tenants/index.ts';
import { systemClock, type Clock } from '../platform/clock.ts';
import { createMetrics, registerHttpMetrics } from '../platform/metrics.ts';
import type { Config } from './config.ts';
import { registerJsonBodyParser } from './json-body-parser.ts';
import { registerProblemHandler } from './problem-handler.ts';
import './request-context.ts';

export interface Services {
  tenants: TenantService;
  identity: IdentityService;
  catalog: CatalogService;
}

export interface AppOptions {
  config: Pick<Config, 'logLevel' | 'bodyLimitBytes' | 'benchRoutes'>;
  db: Database;
  operatorToken: string;
  clock?: Clock;
  /** pino options, or false for silence (tests). */
  logger?: boolean | object;
}

const ASSETS_DIR = fileURLToPath(new URL('../../assets/', import.meta.url));
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** The composition root: every service is built here, once, and handed to its routes. */
export function createServices(db: Database, clock: Clock): Services {
  const identity = createIdentityService({ db, clock, throttle: createLoginThrottle() });
  const tenants = createTenantService({ db, provision: [identity.provisionOwner] });
  const catalog = createCatalogService({ db, clock });
  return { tenants, identity, catalog };
}

export async function createApp(options: AppOptions): Promise<{ app: FastifyInstance; services: Services }> {
  const { config, db } = options;
  const services = createServices(db, options.clock ?? systemClock);

  const app = Fastify({
    logger: options.logger ?? {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie'],
    },
    bodyLimit: config.bodyLimitBytes,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { maxParamLength: 200 },
    return503OnClosing: true,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('platform', undefined);
  app.decorateRequest('principal', undefined);

  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
    const trace = TRACEPARENT.exec(String(request.headers.traceparent ?? ''));
    if (trace) request.log = request.log.child({ trace_id: trace[1] });
  });

  registerJsonBodyParser(app);
  registerProblemHandler(app);
  registerHttpMetrics(app, createMetrics());

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Bazaar API', version: '0.1.0', description: 'Self-hosted multi-tenant e-commerce.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          tenant: { type: 'apiKey', in: 'header', name: 'X-Tenant' },
        },
      },
      security: [{ tenant: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(fastifyStatic, { root: ASSETS_DIR, prefix: '/static/', index: false, maxAge: '1h' });

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await db.ping();
      return { status: 'ready', database: db.kind };
    } catch {
      return reply.status(503).type('application/problem+json').send({ status: 503, code: 'not_ready', detail: 'The database does not answer.' });
    }
  });
  if (config.benchRoutes) {
    app.get('/bench/hello', { schema: { hide: true } }, async () => ({ hello: 'world' }));
  }

  await app.register(operatorRoutes, { prefix: '/api/operator', tenants: services.tenants, operatorToken: options.operatorToken });

  const guards = createAuthGuards(services.identity);
  await app.register(async (scoped) => {
    useTenantScope(scoped, { tenants: services.tenants, rateLimiter: createTenantRateLimiter() });
    await scoped.register(storePlatformRoutes, { prefix: '/api/store' });
    await scoped.register(customerAuthRoutes, { prefix: '/api/store', identity: services.identity, guards });
    await scoped.register(storeCatalogRoutes, { prefix: '/api/store', catalog: services.catalog, guards });
    await scoped.register(staffRoutes, { prefix: '/api/admin', identity: services.identity, guards });
    await scoped.register(adminCatalogRoutes, { prefix: '/api/admin', catalog: services.catalog, guards });
  });

  return { app, services };
}
