/**
 * npm run bench:startup — how long `npm start` takes until `/readyz` answers 200 (migrations
 * applied, demo seeded, workers running), on embedded PGlite:
 *   - cold: an empty data directory (the database is created, migrated, the demo shop and its
 *     order history seeded);
 *   - warm: the same directory again (what every later start costs).
 * Each start is a process of its own, run the way `npm start` runs it; the process's resident
 * memory once ready is printed beside. BENCH_STARTS (warm starts, default 3)
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, writeResults } from './support/report.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const WARM_STARTS = Number(process.env.BENCH_STARTS ?? 3);

interface Start {
  kind: 'cold' | 'warm';
  readyMs: number;
  rssMiB: number;
}

async function startOnce(kind: Start['kind'], dataDir: string): Promise<Start> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/app/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /Bazaar is running on (http:\/\/\S+)/.exec(output);
        if (match) resolve(match[1]!.replace('localhost', '127.0.0.1'));
      });
      child.once('exit', (code) => reject(new Error(`Bazaar exited with ${code}:\n${output}`)));
    });
    // The banner is printed once ready; /readyz is what a probe would wait on, so it is what is timed.
    for (;;) {
      const response = await fetch(`${url}/readyz`).catch(() => undefined);
      if (response?.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const readyMs = performance.now() - started;
    const operatorToken = (await readFile(join(dataDir, 'operator-token'), 'utf8')).trim();
    const metrics = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${operatorToken}` } })).text();
    const rss = Number(/^process_resident_memory_bytes (\d+)/m.exec(metrics)?.[1] ?? 0);
    return { kind, readyMs, rssMiB: Math.round(rss / 2 ** 20) };
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }
}

const dataDir = await mkdtemp(join(tmpdir(), 'bazaar-startup-'));
const starts: Start[] = [];
try {
  process.stdout.write('cold start (empty data directory)…\n');
  starts.push(await startOnce('cold', dataDir));
  for (let i = 1; i <= WARM_STARTS; i++) {
    process.stdout.write(`warm start ${i}/${WARM_STARTS}…\n`);
    starts.push(await startOnce('warm', dataDir));
  }
} finally {
  await rm(dataDir, { recursive: true, force: true });
}

const header = ['start', 'to ready (s)', 'RSS when ready (MiB)'];
const rows = starts.map((start) => [start.kind, (start.readyMs / 1000).toFixed(2), String(start.rssMiB)]);
const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]!.length)));
const format = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
process.stdout.write(`\nnpm start to /readyz 200, embedded PGlite\n${format(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(format).join('\n')}\n\n`);
const path = await writeResults('startup', { machine: machine(), starts });
process.stdout.write(`results: ${path}\n`);
