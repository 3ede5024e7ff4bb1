import closeWithGrace from 'close-with-grace';
import { loadConfig } from './config.ts';
import { seedDemoPlatform } from './demo-seed.ts';
import { startServer } from './server.ts';

/** `npm start`: start Bazaar, seed the demo platform on first run, and stop gracefully. */
async function main(): Promise<void> {
  const config = loadConfig();
  const server = await startServer(config);

  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) server.app.log.error({ err }, 'stopping after an unexpected error');
    else server.app.log.info({ signal }, 'stopping: draining requests');
    await server.close();
  });

  const lines = [
    '',
    `  Bazaar is running on ${server.url}  (database: ${server.db.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL'})`,
    `  Storefront:      ${server.url}/`,
    `  Admin console:   ${server.url}/admin  (platforms: ${server.url}/admin/operator)`,
    `  API docs:        ${server.url}/docs`,
    `  OpenAPI:         ${server.url}/api/openapi.json`,
    `  Metrics:         ${server.url}/metrics`,
    `  Operator token:  ${server.operatorToken.token}  (from ${server.operatorToken.source})`,
  ];
  if (config.seedDemo) {
    const demo = await seedDemoPlatform(server.services, config.dataDir);
    lines.push(
      `  Demo platform:   ${server.url}/api/store/products  (platform "demo"${demo.created ? ', just created' : ''})`,
      demo.credentials
        ? `  Demo staff:      ${demo.credentials.email} / ${demo.credentials.password}`
        : '  Demo staff:      see demo-credentials.json in the data directory',
    );
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`Bazaar could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
