import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The command `npm start` runs, from package.json, so the tests start the server exactly the way
 * an operator does (and signals reach the same processes). `node` is this Node; anything else is
 * a package binary.
 */
export function startCommand(): { command: string; args: string[] } {
  const script: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.start;
  const [command, ...args] = script.trim().split(/\s+/);
  return { command: command === 'node' ? process.execPath : join(ROOT, 'node_modules/.bin', command!), args };
}

/**
 * How long a start may take before the helper gives up with the server's output. A cold start is
 * seconds on an idle machine and many times that with both cores busy and other suites' servers
 * starting beside it; the bound only turns a hung start into a readable error.
 */
const START_DEADLINE_MS = 150_000;

/** Timeout for a test that starts (or restarts) server processes: a start may take START_DEADLINE_MS. */
export const PROCESS_TEST_TIMEOUT_MS = 240_000;

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Everything the server wrote to stdout so far. */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Sends a signal and resolves with the exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts the server the way `npm start` does, as a child process on a free port, and waits until
 * its banner says it is ready.
 */
export async function startServerProcess(env: Record<string, string>, readyLine = 'Operator token:'): Promise<ServerProcess> {
  const { command, args } = startCommand();
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in ${START_DEADLINE_MS / 1000} s:\n${stdout}\n${stderr}`)), START_DEADLINE_MS);
    // The banner is complete once a blank line follows the line asked for. It need not be the end
    // of the output: the logger writes on its own schedule, so its lines may come after the banner.
    const check = () => {
      const match = /Bazaar is running on (http:\/\/\S+)/.exec(stdout);
      const readyAt = stdout.indexOf(readyLine);
      if (match && readyAt >= 0 && stdout.indexOf('\n\n', readyAt) >= 0) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it was ready:\n${stdout}\n${stderr}`));
    });
  });

  return {
    child,
    url,
    output: () => stdout,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs the `bazaar` CLI and collects its output. */
export function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/bazaar.mjs', ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
