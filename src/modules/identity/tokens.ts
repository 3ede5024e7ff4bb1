import { createHash, randomBytes } from 'node:crypto';
import type { SessionKind } from '../../infra/db/schema.ts';

/**
 * Bearer tokens are 256 random bits with a prefix that says what they are (useful to secret
 * scanners and to people reading logs). Only their SHA-256 is stored, so a database leak yields
 * no usable token.
 */
const PREFIX: Record<SessionKind, string> = { customer: 'bzc_', staff: 'bzs_', api: 'bza_' };

export function newToken(kind: SessionKind): string {
  return PREFIX[kind] + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function looksLikeToken(token: string): boolean {
  return /^bz[csa]_[A-Za-z0-9_-]{43}$/.test(token);
}
