import closeWithGrace from 'close-with-grace';
import { operatorTokenLine, paymentsLine } from './banner.ts';
import { loadConfig } from './config.ts';
import { seedDemoPlatform } from './demo-seed.ts';
import { startServer } from './server.ts';

const DRAIN_DEADLINE_MS = 10_000;

/** `npm start`: start Bazaar, seed the demo platform on first run, and stop gracefully. */
async function main(): Promise<void> {
  const config = loadConfig();
  const server = await startServer(config);

  // SIGTERM and SIGINT start one drain, bounded by DRAIN_DEADLINE_MS. Repeats are ignored rather
  // than taken as "exit now" (close-with-grace's default): process managers send them on their own
  // (systemd signals every process of the unit, npm forwards the one it got, a terminal's Ctrl-C
  // reaches npm and node alike), and cutting the drain short would drop answered work.
  const grace = closeWithGrace({ delay: DRAIN_DEADLINE_MS, skip: ['SIGTERM', 'SIGINT'] }, async ({ signal, err }) => {
    if (err) server.app.log.error({ err }, 'stopping after an unexpected error');
    else if (signal) server.app.log.info({ signal }, 'stopping');
    await server.close();
  });
  let stopping = false;
  const stopOnce = (signal: NodeJS.Signals) => {
    if (stopping) {
      server.app.log.warn({ signal }, `already stopping: ${signal} ignored; the drain ends within ${DRAIN_DEADLINE_MS / 1000} s`);
      return;
    }
    stopping = true;
    server.app.log.info({ signal }, 'stopping');
    void grace.close();
  };
  process.on('SIGTERM', stopOnce);
  process.on('SIGINT', stopOnce);

  const lines = [
    '',
    `  Bazaar is running on ${server.url}  (database: ${server.db.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL'})`,
    `  Storefront:      ${server.url}/`,
    `  Admin console:   ${server.url}/admin  (platforms: ${server.url}/admin/operator)`,
    `  API docs:        ${server.url}/docs`,
    `  OpenAPI:         ${server.url}/api/openapi.json`,
    `  Metrics:         ${server.url}/metrics  (bearer: the operator token or METRICS_TOKEN)`,
    paymentsLine(config.sandboxPayments),
    operatorTokenLine(server.operatorToken),
  ];
  if (config.seedDemo) {
    const demo = await seedDemoPlatform(server.services, server.db, config.dataDir);
    lines.push(
      `  Demo platform:   ${server.url}/api/store/products  (platform "demo"${demo.created ? ', just created' : ''})`,
      demo.credentials
        ? `  Demo staff:      ${demo.credentials.email} / ${demo.credentials.password}`
        : '  Demo staff:      see demo-credentials.json in the data directory',
    );
  }
  server.readiness.markReady();
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`Bazaar could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
