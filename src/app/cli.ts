import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { openDatabase } from '../infra/db/database.ts';
import { migrateToLatest } from '../infra/db/migrate.ts';
import { loadConfig } from './config.ts';
import { readOperatorToken } from './operator-token.ts';

/**
 * `bazaar <command>`. Platform commands talk to the running server's operator API rather than
 * to the database: the embedded database belongs to the server process while it runs, and the
 * API applies the same validation and caches as any other client gets.
 */
const HELP = `Usage: bazaar <command> [options]

Commands:
  start                                   start the server (same as npm start)
  migrate                                 apply database migrations and exit
  platform create --file <platform.yaml>  create a platform from a metadata document (YAML or JSON)
  platform list                           list platforms

Options for platform commands:
  --server <url>   the running Bazaar server (default: BAZAAR_URL or http://localhost:3000)
  --token <token>  the operator token (default: BAZAAR_OPERATOR_TOKEN, else <DATA_DIR>/operator-token)
`;

class CliError extends Error {}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      file: { type: 'string', short: 'f' },
      server: { type: 'string' },
      token: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, subcommand] = positionals;
  if (values.help || !command) {
    process.stdout.write(HELP);
    return;
  }
  switch (`${command} ${subcommand ?? ''}`.trim()) {
    case 'start':
      await import('./main.ts');
      return;
    case 'migrate':
      return migrate();
    case 'platform create':
      if (!values.file) throw new CliError('platform create needs --file <platform.yaml>');
      return createPlatform(values.file, await operatorClient(values));
    case 'platform list':
      return listPlatforms(await operatorClient(values));
    default:
      throw new CliError(`Unknown command "${positionals.join(' ')}".\n\n${HELP}`);
  }
}

async function migrate(): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase(
    config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: `${config.dataDir}/pglite` },
  );
  try {
    const { applied } = await migrateToLatest(db.owner);
    process.stdout.write(applied.length > 0 ? `Applied ${applied.join(', ')}\n` : 'Already up to date.\n');
  } finally {
    await db.close();
  }
}

interface OperatorClient {
  server: string;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
}

async function operatorClient(values: { server?: string | undefined; token?: string | undefined }): Promise<OperatorClient> {
  const config = loadConfig();
  const server = (values.server ?? process.env.BAZAAR_URL ?? `http://localhost:${config.port}`).replace(/\/$/, '');
  const token = values.token ?? config.operatorToken ?? (await readOperatorToken(config.dataDir));
  if (!token) {
    throw new CliError(`No operator token: pass --token, set BAZAAR_OPERATOR_TOKEN, or run from the directory whose ${config.dataDir} holds operator-token.`);
  }
  return {
    server,
    async call(method, path, body) {
      let response: Response;
      try {
        response = await fetch(`${server}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
      } catch {
        throw new CliError(`Cannot reach Bazaar at ${server}. Is it running (npm start)? Use --server to point elsewhere.`);
      }
      return { status: response.status, body: await response.json().catch(() => ({})) };
    },
  };
}

async function createPlatform(file: string, client: OperatorClient): Promise<void> {
  let document: unknown;
  try {
    const text = await readFile(file, 'utf8');
    document = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new CliError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  const started = performance.now();
  const { status, body } = await client.call('POST', '/api/operator/platforms', document);
  const ms = Math.round(performance.now() - started);
  if (status !== 201) throw new CliError(describeProblem(body, status));
  process.stdout.write(
    [
      `Created platform "${body.slug}" (${body.name}) in ${ms} ms.`,
      `  id:         ${body.id}`,
      `  domains:    ${body.domains.length > 0 ? body.domains.join(', ') : '(none; use the X-Tenant header)'}`,
      `  currencies: ${body.currencies.join(', ')}   locales: ${body.locales.join(', ')}`,
      `  modules:    ${body.modules.join(', ')}`,
      `  store API:  ${client.server}/api/store/products  with header X-Tenant: ${body.slug}`,
      '',
    ].join('\n'),
  );
}

async function listPlatforms(client: OperatorClient): Promise<void> {
  const { status, body } = await client.call('GET', '/api/operator/platforms');
  if (status !== 200) throw new CliError(describeProblem(body, status));
  const rows = body.items.map((p: { slug: string; name: string; domains: string[]; status: string }) => ({
    slug: p.slug,
    name: p.name,
    status: p.status,
    domains: p.domains.join(', '),
  }));
  console.table(rows);
}

function describeProblem(body: { code?: string; detail?: string; errors?: { path: string; message: string }[] }, status: number): string {
  const lines = [`The server refused (${status} ${body.code ?? ''}): ${body.detail ?? 'no detail'}`];
  for (const error of body.errors ?? []) lines.push(`  - ${error.path.replace(/^body\.?/, '') || '(document)'}: ${error.message}`);
  return lines.join('\n');
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`bazaar: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof CliError ? 2 : 1);
});
