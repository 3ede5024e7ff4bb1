import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Database } from '../infra/db/database.ts';
import type { RevokedSessions } from '../infra/revoked-sessions/revoked-sessions.ts';
import { createOutboxDispatcher, outboxBacklog, type OutboxDispatcher } from '../infra/outbox/outbox-dispatcher.ts';
import { cartRoutes, cartView, createCartService, type CartService } from '../modules/cart/index.ts';
import { adminFulfillmentRoutes, createFulfillmentService, storeFulfillmentRoutes, type FulfillmentService } from '../modules/fulfillment/index.ts';
import { adminInventoryRoutes, createInventoryService, type InventoryService } from '../modules/inventory/index.ts';
import {
  adminDashboardRoutes,
  adminOrderRoutes,
  createCheckout,
  createOrderService,
  createOrderEditService,
  type OrderEditService,
  createSalesReport,
  storeOrderRoutes,
  type Checkout,
  type OrderService,
  type SalesReportFn,
} from '../modules/orders/index.ts';
import { createPaymentService, createSandboxProvider, paymentProviderRoutes, type PaymentProvider, type PaymentService } from '../modules/payments/index.ts';
import { adminPromotionRoutes, createPromotionService, type PromotionService } from '../modules/promotions/index.ts';
import { adminShippingRoutes, createShippingService, type ShippingService } from '../modules/shipping/index.ts';
import { adminTaxRoutes, createTaxService, type TaxService } from '../modules/tax/index.ts';
import { adminPricingRoutes, createPricingService, storePricingRoutes, type PricingService } from '../modules/pricing/index.ts';
import { accountRoutes, createAddressBook, createWishlist, type AddressBook, type Wishlist } from '../modules/customers/index.ts';
import { createFileService, storeFileRoutes, type FileService } from '../modules/files/index.ts';
import { adminReviewRoutes, createReviewService, storeReviewRoutes, type ReviewService } from '../modules/reviews/index.ts';
import { adminReturnRoutes, createReturnService, storeReturnRoutes, type ReturnService } from '../modules/returns/index.ts';
import type { FileStore } from '../infra/files/file-store.ts';
import { createFileStore } from './file-store-wiring.ts';
import { adminLedgerRoutes, createGiftCardService, createStoreCreditService, storeLedgerRoutes, type GiftCardService, type StoreCreditService } from '../modules/ledger/index.ts';
import { createOrderMetricsSubscriber } from './order-metrics.ts';
import {
  adminCatalogRoutes,
  adminDiscoveryRoutes,
  createBestSellingSubscriber,
  createCatalogCache,
  createCatalogService,
  createDiscoveryService,
  storeCatalogRoutes,
  storeDiscoveryRoutes,
  type CatalogService,
  type DiscoveryService,
} from '../modules/catalog/index.ts';
import {
  createAuthGuards,
  createIdentityService,
  createLoginThrottle,
  createPasswordHasher,
  createRegistrationLimits,
  createPasswordResets,
  createCustomerProfiles,
  customerAuthRoutes,
  type CustomerProfiles,
  DEFAULT_REGISTRATION_LIMITS,
  type PasswordResets,
  staffRoutes,
  type IdentityService,
  type PasswordHasherOptions,
} from '../modules/identity/index.ts';
import {
  createTenantRateLimiter,
  createTenantService,
  operatorRoutes,
  storePlatformRoutes,
  adminPlatformRoutes,
  useTenantScope,
  type TenantService,
} from '../modules/tenants/index.ts';
import type { Platform } from '../modules/tenants/platform.ts';
import { systemClock, type Clock } from '../platform/clock.ts';
import { requireBearerToken } from '../platform/bearer-token.ts';
import { Unauthorized } from '../platform/errors.ts';
import { DEFAULT_MAX_ORDER_TOTAL_MINOR } from '../platform/money.ts';
import { createMetrics, registerHttpMetrics } from '../platform/metrics.ts';
import { runWithTrace } from '../platform/trace-context.ts';
import { traceIdOf } from './request-trace.ts';
import { z } from 'zod';
import type { Config } from './config.ts';
import { createFlashSales } from './flash-sale-wiring.ts';
import { createRevokedSessions } from './revoked-sessions-wiring.ts';
import { createNotifier } from './notifier-wiring.ts';
import type { Notifier } from '../infra/notify/notifier.ts';
import { pino, type Logger } from 'pino';
import { deriveSecret } from './operator-token.ts';
import { benchFixtureRoutes } from './bench-fixtures.ts';
import { adminFlashSaleRoutes, createFlashSaleSubscriber, storeFlashSaleRoutes, type FlashSaleService } from '../modules/flashsale/index.ts';
import { closeConnectionsWhileDraining } from './drain.ts';
import { registerJsonBodyParser } from './json-body-parser.ts';
import { createReadiness, type Readiness } from './readiness.ts';
import { assertDecodableQuery, assertSingleHost, clientErrors, frameworkErrors, registerProblemHandler } from './problem-handler.ts';
import { requireStrictInput } from './strict-input.ts';
import { registerStorefront } from './storefront.ts';
import './request-context.ts';

export interface Services {
  tenants: TenantService;
  identity: IdentityService;
  passwordResets: PasswordResets;
  catalog: CatalogService;
  discovery: DiscoveryService;
  inventory: InventoryService;
  promotions: PromotionService;
  shipping: ShippingService;
  tax: TaxService;
  pricing: PricingService;
  carts: CartService;
  orders: OrderService;
  fulfillment: FulfillmentService;
  payments: PaymentService;
  checkout: Checkout;
  salesReport: SalesReportFn;
  flashSales: FlashSaleService;
  profiles: CustomerProfiles;
  addressBook: AddressBook;
  wishlist: Wishlist;
  files: FileService;
  reviews: ReviewService;
  returns: ReturnService;
  giftCards: GiftCardService;
  storeCredit: StoreCreditService;
  orderEdits: OrderEditService;
}

export interface AppOptions {
  config: Pick<Config, 'logLevel' | 'bodyLimitBytes' | 'benchRoutes' | 'sandboxPayments'> &
    Partial<Pick<Config, 'redisUrl' | 'flashLimits' | 'purchaseTokenSeconds' | 'metricsToken' | 'trustProxy' | 'registrationLimits' | 'publicUrl' | 'smtpUrl' | 'mailFrom' | 'maxOrderTotalMinor' | 'dataDir' | 'files'>>;
  /** Where uploads are kept; else from the configuration (an S3-compatible bucket or `dataDir/files`). */
  fileStore?: FileStore;
  /** How many password hashes run at once and how many registrations may wait (defaults suit the machine). */
  passwordHashing?: PasswordHasherOptions;
  /** How messages (password resets) reach people; else from the configuration (SMTP or the log). */
  notifier?: Notifier;
  db: Database;
  operatorToken: string;
  clock?: Clock;
  /** pino options, or false for silence (tests). */
  logger?: boolean | object;
}

const ASSETS_DIR = fileURLToPath(new URL('../../assets/', import.meta.url));
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The composition root: every service is built here, once, and handed to its routes. */
export function createServices(
  db: Database,
  clock: Clock,
  paymentProviders: PaymentProvider[],
  flashSales: FlashSaleService,
  maxOrderTotal: number,
  accounts: { revokedSessions: RevokedSessions; notifier: Notifier; publicUrl?: string | undefined; log: Pick<Logger, 'error'> },
  uploads: { store: FileStore; maxBytes?: number | undefined },
  identityOptions: Pick<AppOptions, 'passwordHashing'> & Pick<AppOptions['config'], 'registrationLimits'> = {},
): Services {
  const { revokedSessions } = accounts;
  const hasher = createPasswordHasher(identityOptions.passwordHashing);
  // One throttle for logins and everything else that checks a password, so guesses add up.
  const throttle = createLoginThrottle();
  const identity = createIdentityService({
    db,
    clock,
    throttle,
    registrationLimits: createRegistrationLimits(identityOptions.registrationLimits ?? DEFAULT_REGISTRATION_LIMITS),
    hasher,
    revokedSessions,
  });
  const passwordResets = createPasswordResets({
    db,
    clock,
    hasher,
    notifier: accounts.notifier,
    revokedSessions,
    publicUrl: accounts.publicUrl,
    onDeliveryError: (err) => accounts.log.error({ err }, 'a password-reset message could not be delivered'),
  });
  const tenants = createTenantService({ db, provision: [identity.provisionOwner] });
  const catalogCache = createCatalogCache();
  const catalog = createCatalogService({ db, clock, cache: catalogCache });
  const discovery = createDiscoveryService({ db, clock, cache: catalogCache });
  const inventory = createInventoryService({ db, clock });
  const promotions = createPromotionService({ db, clock });
  const shipping = createShippingService({ db, clock });
  const tax = createTaxService({ db, clock });
  const pricing = createPricingService({ db, clock });
  const carts = createCartService({ db, clock, maxOrderTotal });
  const orders = createOrderService({ db, clock, maxOrderTotal });
  const fulfillment = createFulfillmentService({ db, clock });
  const payments = createPaymentService({ db, clock, providers: paymentProviders, defaultProvider: paymentProviders[0]?.name });
  const checkout = createCheckout({ orders, payments });
  const orderEdits = createOrderEditService({ db, clock, maxOrderTotal, payments });
  const salesReport = createSalesReport({ db, clock });
  const profiles = createCustomerProfiles({ db, clock, throttle, hasher });
  const addressBook = createAddressBook({ db, clock });
  const wishlist = createWishlist({ db, clock, catalog });
  const files = createFileService({ db, clock, files: uploads.store, maxBytes: uploads.maxBytes });
  const reviews = createReviewService({ db, clock, onRatingsChanged: (platform) => catalog.invalidate(platform) });
  const returns = createReturnService({ db, clock, payments });
  const giftCards = createGiftCardService({ db, clock });
  const storeCredit = createStoreCreditService({ db, clock });
  return { tenants, identity, passwordResets, catalog, discovery, inventory, promotions, shipping, tax, pricing, carts, orders, fulfillment, payments, checkout, salesReport, flashSales, profiles, addressBook, wishlist, files, reviews, returns, giftCards, storeCredit, orderEdits };
}

export async function createApp(options: AppOptions): Promise<{ app: FastifyInstance; services: Services; dispatcher: OutboxDispatcher; readiness: Readiness }> {
  const { config, db } = options;
  const readiness = createReadiness();
  const clock = options.clock ?? systemClock;
  const maxOrderTotal = config.maxOrderTotalMinor ?? DEFAULT_MAX_ORDER_TOTAL_MINOR;
  const sandboxSecret = deriveSecret(options.operatorToken, 'sandbox-payments');
  const sandbox = config.sandboxPayments ? createSandboxProvider({ secret: sandboxSecret, clock }) : undefined;
  const revokedSessions = createRevokedSessions({ redisUrl: config.redisUrl, purchaseTokenSeconds: config.purchaseTokenSeconds });
  const flash = createFlashSales({ db, clock, operatorToken: options.operatorToken, revokedSessions, redisUrl: config.redisUrl, limits: config.flashLimits, purchaseTokenSeconds: config.purchaseTokenSeconds, maxOrderTotal });
  // Without SMTP the log is how messages reach people, so a quieter LOG_LEVEL (warn, error) must
  // not swallow them; only silence does.
  const notifyLog = pino(options.logger === false ? { enabled: false } : { level: config.logLevel === 'silent' ? 'silent' : 'info' });
  const notifier = options.notifier ?? createNotifier(config, notifyLog);
  const fileStore = options.fileStore ?? (await createFileStore(config));
  const uploads = { store: fileStore, maxBytes: config.files?.maxBytes };
  const services = createServices(db, clock, sandbox ? [sandbox] : [], flash.flashSales, maxOrderTotal, { revokedSessions, notifier, publicUrl: config.publicUrl, log: notifyLog }, uploads, {
    passwordHashing: options.passwordHashing,
    registrationLimits: config.registrationLimits,
  });
  const metrics = createMetrics();
  const subscribers = [createOrderMetricsSubscriber(metrics.registry), createFlashSaleSubscriber(services.flashSales), createBestSellingSubscriber(services.discovery)];
  const dispatcher = createOutboxDispatcher({ db, subscribers });

  const app = Fastify({
    logger: options.logger ?? {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie'],
    },
    bodyLimit: config.bodyLimitBytes,
    // request.ip is the X-Forwarded-For client only when the peer is one of these proxies.
    trustProxy: config.trustProxy?.length ? config.trustProxy : false,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { maxParamLength: 200 },
    return503OnClosing: true,
    frameworkErrors,
    clientErrorHandler: clientErrors,
  });
  // Before any route is added, so that every API route refuses query parameters and bodies it
  // does not declare.
  // One child logger per request, carrying both ids: a second child, made in a hook, was about a
  // tenth of the server's time per hello-world request.
  app.setChildLoggerFactory((logger, bindings, options, raw) => logger.child({ ...bindings, trace_id: traceIdOf(raw) }, options));
  requireStrictInput(app);
  closeConnectionsWhileDraining(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('platform', undefined);
  app.decorateRequest('principal', undefined);

  app.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    try {
      assertSingleHost(request.raw.rawHeaders);
      assertDecodableQuery(request.url);
    } catch (error) {
      done(error as Error);
      return;
    }
    // The trace follows the request into the events it writes (and so to their consumers).
    runWithTrace(traceIdOf(request.raw), done);
  });

  registerJsonBodyParser(app);
  registerProblemHandler(app, await registerStorefront(app));
  const metricsTokens = [options.operatorToken, ...(config.metricsToken ? [config.metricsToken] : [])];
  registerHttpMetrics(app, metrics, requireBearerToken(metricsTokens, () => new Unauthorized('invalid_metrics_token', 'Metrics need the metrics token (METRICS_TOKEN) or the operator token as a bearer token.')));

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
    if (!readiness.ready) {
      return reply.status(503).type('application/problem+json').send({ status: 503, code: 'starting', detail: 'Still starting: migrations, the demo platform or background workers are not ready yet.' });
    }
    try {
      await db.ping();
      return { status: 'ready', database: db.kind };
    } catch {
      return reply.status(503).type('application/problem+json').send({ status: 503, code: 'not_ready', detail: 'The database does not answer.' });
    }
  });
  if (config.benchRoutes) {
    app.get('/bench/hello', { schema: { hide: true } }, async () => ({ hello: 'world' }));
    // The same with a JSON body parsed: a ceiling that costs the load generator what a POST does.
    app.post('/bench/hello', { schema: { hide: true, body: z.record(z.string(), z.unknown()) } }, async () => ({ hello: 'world' }));
    await app.register(benchFixtureRoutes, { db, tenants: services.tenants, operatorToken: options.operatorToken });
  }

  await app.register(operatorRoutes, {
    prefix: '/api/operator',
    tenants: services.tenants,
    operatorToken: options.operatorToken,
    outboxBacklog: () => outboxBacklog(db, subscribers.map((subscriber) => subscriber.name)),
  });
  await app.register(paymentProviderRoutes, { prefix: '/api/payments', payments: services.payments, ...(sandbox ? { sandbox: { provider: sandbox, secret: sandboxSecret } } : {}) });

  const guards = createAuthGuards(services.identity);
  await app.register(async (scoped) => {
    useTenantScope(scoped, { tenants: services.tenants, rateLimiter: createTenantRateLimiter() });
    await scoped.register(storePlatformRoutes, { prefix: '/api/store' });
    await scoped.register(customerAuthRoutes, {
      prefix: '/api/store',
      identity: services.identity,
      passwordResets: services.passwordResets,
      guards,
      afterLogin: async (platform, customerId, cartId) => cartView(await services.carts.mergeGuestCart(platform, customerId, cartId), platform.defaultLocale),
    });
    await scoped.register(accountRoutes, { prefix: '/api/store', profiles: services.profiles, addressBook: services.addressBook, wishlist: services.wishlist, guards });
    await scoped.register(storeCatalogRoutes, { prefix: '/api/store', catalog: services.catalog, discovery: services.discovery, inventory: services.inventory, guards });
    await scoped.register(storeDiscoveryRoutes, { prefix: '/api/store', discovery: services.discovery, guards });
    await scoped.register(cartRoutes, { prefix: '/api/store', carts: services.carts, guards });
    const orderDeps = {
      orders: services.orders,
      payments: services.payments,
      checkout: services.checkout,
      edits: services.orderEdits,
      guards,
      fulfillmentOf: (platform: Platform, orderId: string) => services.fulfillment.orderFulfillment(platform, orderId),
    };
    await scoped.register(storeOrderRoutes, { prefix: '/api/store', ...orderDeps });
    await scoped.register(storeFulfillmentRoutes, { prefix: '/api/store', fulfillment: services.fulfillment, guards });
    await scoped.register(staffRoutes, { prefix: '/api/admin', identity: services.identity, passwordResets: services.passwordResets, guards });
    await scoped.register(adminCatalogRoutes, { prefix: '/api/admin', catalog: services.catalog, discovery: services.discovery, inventory: services.inventory, guards });
    await scoped.register(adminDiscoveryRoutes, { prefix: '/api/admin', discovery: services.discovery, guards });
    await scoped.register(adminInventoryRoutes, { prefix: '/api/admin', inventory: services.inventory, guards });
    await scoped.register(adminPromotionRoutes, { prefix: '/api/admin', promotions: services.promotions, guards });
    await scoped.register(adminShippingRoutes, { prefix: '/api/admin', shipping: services.shipping, guards });
    await scoped.register(adminTaxRoutes, { prefix: '/api/admin', tax: services.tax, guards });
    await scoped.register(adminPricingRoutes, { prefix: '/api/admin', pricing: services.pricing, guards });
    await scoped.register(storePricingRoutes, { prefix: '/api/store', pricing: services.pricing, guards });
    await scoped.register(adminOrderRoutes, { prefix: '/api/admin', ...orderDeps });
    await scoped.register(adminFulfillmentRoutes, { prefix: '/api/admin', fulfillment: services.fulfillment, orders: services.orders, guards });
    await scoped.register(adminDashboardRoutes, { prefix: '/api/admin', salesReport: services.salesReport, guards });
    await scoped.register(adminPlatformRoutes, { prefix: '/api/admin', tenants: services.tenants, guards });
    await scoped.register(storeFlashSaleRoutes, { prefix: '/api/store', flashSales: services.flashSales, guards });
    await scoped.register(adminFlashSaleRoutes, { prefix: '/api/admin', flashSales: services.flashSales, guards });
    await scoped.register(storeFileRoutes, { prefix: '/api/store', files: services.files, guards });
    await scoped.register(storeReviewRoutes, { prefix: '/api/store', reviews: services.reviews, guards });
    await scoped.register(adminReviewRoutes, { prefix: '/api/admin', reviews: services.reviews, guards });
    await scoped.register(storeReturnRoutes, { prefix: '/api/store', returns: services.returns, guards });
    await scoped.register(adminReturnRoutes, { prefix: '/api/admin', returns: services.returns, guards });
    const ledgerDeps = { giftCards: services.giftCards, storeCredit: services.storeCredit, guards };
    await scoped.register(storeLedgerRoutes, { prefix: '/api/store', ...ledgerDeps });
    await scoped.register(adminLedgerRoutes, { prefix: '/api/admin', ...ledgerDeps });
  });

  // After HTTP has drained: admitted purchases still queued are written before the process exits.
  app.addHook('onClose', async () => {
    await flash.close();
    await revokedSessions.close();
    await notifier.close();
  });
  return { app, services, dispatcher, readiness };
}
