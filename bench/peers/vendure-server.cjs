/**
 * Vendure's server for bench:peers. Copied into the peer's install folder and started there with
 * node, so that it resolves @vendure/core from that folder's node_modules, not from the repo.
 * One process: the API and the job queue (in memory, so search-index jobs run here too).
 *   PORT, DB_NAME (PostgreSQL on 127.0.0.1:5432, user postgres)
 */
const { bootstrap, dummyPaymentHandler, DefaultSearchPlugin, JobQueueService, LogLevel, DefaultLogger } = require('@vendure/core');

const config = {
  apiOptions: { port: Number(process.env.PORT), hostname: '127.0.0.1', adminApiPath: 'admin-api', shopApiPath: 'shop-api' },
  authOptions: {
    tokenMethod: 'bearer',
    requireVerification: false,
    // Not Vendure's default password, which it refuses to start with in production mode.
    superadminCredentials: { identifier: 'superadmin', password: 'bench-superadmin-pass' },
  },
  dbConnectionOptions: {
    type: 'postgres',
    host: '127.0.0.1',
    port: 5432,
    username: 'postgres',
    password: '',
    database: process.env.DB_NAME,
    // The schema is made from the entities at start-up: no migrations to ship for a bench.
    synchronize: true,
    logging: false,
  },
  paymentOptions: { paymentMethodHandlers: [dummyPaymentHandler] },
  logger: new DefaultLogger({ level: LogLevel.Warn }),
  plugins: [DefaultSearchPlugin.init({ bufferUpdates: false, indexStockStatus: false })],
};

bootstrap(config)
  .then(async (app) => {
    await app.get(JobQueueService).start();
    process.stdout.write(`vendure listening on http://127.0.0.1:${process.env.PORT}\n`);
  })
  .catch((error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  });
