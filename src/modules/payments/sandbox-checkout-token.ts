import { createHmac, timingSafeEqual } from 'node:crypto';
import { Invalid } from '../../platform/errors.ts';

/**
 * The sandbox's hosted payment page is addressed by a signed, self-contained token, so the page
 * keeps working across restarts without the sandbox keeping state of its own (as a real
 * provider's would, on its side).
 */
export interface SandboxSession {
  providerRef: string;
  tenantId: string;
  amount: number;
  currency: string;
}

export function encodeSessionToken(session: SandboxSession, secret: string): string {
  const body = Buffer.from(JSON.stringify(session)).toString('base64url');
  return `${body}.${mac(body, secret)}`;
}

export function decodeSessionToken(token: string, secret: string): SandboxSession {
  const [body, signature] = token.split('.');
  if (!body || !signature || signature.length !== 43) throw new Invalid('invalid_session', 'This payment link is not valid.');
  const expected = Buffer.from(mac(body, secret));
  if (!timingSafeEqual(expected, Buffer.from(signature))) throw new Invalid('invalid_session', 'This payment link is not valid.');
  return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as SandboxSession;
}

function mac(body: string, secret: string): string {
  return createHmac('sha256', `${secret}:session`).update(body).digest('base64url');
}
