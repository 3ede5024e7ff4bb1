import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const SERVER = fileURLToPath(new URL('./bare-fastify-server.ts', import.meta.url));

export interface BareFastifyResult {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  failed: number;
}

/**
 * Bare Fastify's hello-world, loaded by autocannon from this process exactly as the benches load
 * Bazaar's: started the way Bazaar is (`node --import tsx`), warmed up for a second, then measured
 * for `seconds` over `connections` connections, and stopped.
 */
export async function measureBareFastify(connections: number, seconds: number): Promise<BareFastifyResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /bare Fastify on (http:\/\/\S+)/.exec(output);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`bare Fastify exited with ${code}: ${output}`)));
    });
    const run = (duration: number) => autocannon({ url: `${url}/hello`, connections, duration });
    await run(1);
    const result = await run(seconds);
    return { perSecond: result.requests.average, p50Ms: result.latency.p50, p99Ms: result.latency.p99, failed: result.non2xx + result.errors };
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }
}
