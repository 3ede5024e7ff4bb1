import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openDatabase, type Database } from '../infra/db/database.ts';
import { migrateToLatest } from '../infra/db/migrate.ts';
import type { Config } from './config.ts';
import { createBackgroundJobs } from './background-jobs.ts';
import { createApp, type Services } from './create-app.ts';
import { ensureOperatorToken, type OperatorToken } from './operator-token.ts';
import type { Readiness } from './readiness.ts';

export interface RunningServer {
  app: FastifyInstance;
  db: Database;
  services: Services;
  operatorToken: OperatorToken;
  url: string;
  /** /readyz says ready once the caller marks it (after seeding the demo platform, if asked). */
  readiness: Readiness;
  close(): Promise<void>;
}

/** Opens the database the configuration names, migrates it, and starts listening. */
export async function startServer(config: Config): Promise<RunningServer> {
  const db = await openDatabase(
    config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: join(config.dataDir, 'pglite') },
  );
  try {
    await migrateToLatest(db.owner);
    const operatorToken = await ensureOperatorToken(config.operatorToken, config.dataDir);
    const { app, services, dispatcher, readiness } = await createApp({ config, db, operatorToken: operatorToken.token });
    const jobs = createBackgroundJobs({ services, dispatcher, log: app.log });
    const address = await app.listen({ port: config.port, host: config.host });
    jobs.start();
    const port = new URL(address).port;
    const url = config.publicUrl ?? `http://localhost:${port}`;
    return {
      app,
      db,
      services,
      operatorToken,
      url,
      readiness,
      async close() {
        await app.close();
        await jobs.stop();
        await db.close();
      },
    };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}
