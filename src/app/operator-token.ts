import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The installation operator's token: BAZAAR_OPERATOR_TOKEN when set, else the one generated at
 * the first start and kept in the data directory (readable by the owner only).
 */
export function operatorTokenPath(dataDir: string): string {
  return join(dataDir, 'operator-token');
}

export async function ensureOperatorToken(configured: string | undefined, dataDir: string): Promise<{ token: string; source: string }> {
  if (configured) return { token: configured, source: 'BAZAAR_OPERATOR_TOKEN' };
  const path = operatorTokenPath(dataDir);
  const existing = await readOperatorToken(dataDir);
  if (existing) return { token: existing, source: path };
  const token = `bzo_${randomBytes(32).toString('base64url')}`;
  await mkdir(dataDir, { recursive: true });
  await writeFile(path, `${token}\n`, { mode: 0o600, flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
    // Another process wrote it first; use theirs.
    if (error.code !== 'EEXIST') throw error;
  });
  return { token: (await readOperatorToken(dataDir))!, source: path };
}

export async function readOperatorToken(dataDir: string): Promise<string | undefined> {
  try {
    return (await readFile(operatorTokenPath(dataDir), 'utf8')).trim() || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * A signing key for one purpose, derived from the operator token: the same on every node of an
 * installation and across restarts, different between installations and between purposes, and
 * nothing more to configure.
 */
export function deriveSecret(operatorToken: string, purpose: string): string {
  return createHmac('sha256', operatorToken).update(purpose).digest('hex');
}
