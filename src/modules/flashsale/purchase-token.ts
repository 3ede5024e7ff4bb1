import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The short-lived pass a customer needs to attempt a purchase, handed out only once the sale has
 * started: the attempt endpoint can't be used early, and checking it costs an HMAC, not a
 * database lookup. It binds platform, sale, customer and the login session that asked for it
 * (so that revoking the session revokes the token), and expires.
 */
export const PURCHASE_TOKEN_TTL_MS = 2 * 60_000;

export interface PurchasePass {
  tenantId: string;
  saleId: string;
  customerId: string;
  sessionId: string;
  expiresAt: number;
}

function sign(secret: string, pass: PurchasePass): string {
  return createHmac('sha256', secret).update(`${pass.tenantId}|${pass.saleId}|${pass.customerId}|${pass.sessionId}|${pass.expiresAt}`).digest('base64url');
}

export function issuePurchaseToken(secret: string, pass: PurchasePass): string {
  return `${pass.customerId}.${pass.sessionId}.${pass.expiresAt}.${sign(secret, pass)}`;
}

/** Whom the token was issued to, or undefined when it is forged, for another sale, or expired. */
export function verifyPurchaseToken(
  secret: string,
  token: string,
  expected: { tenantId: string; saleId: string; now: number },
): { customerId: string; sessionId: string } | undefined {
  const [customerId, sessionId, expiresText, signature] = token.split('.');
  const expiresAt = Number(expiresText);
  if (!customerId || !sessionId || !signature || !Number.isSafeInteger(expiresAt) || expiresAt < expected.now) return undefined;
  const wanted = Buffer.from(sign(secret, { tenantId: expected.tenantId, saleId: expected.saleId, customerId, sessionId, expiresAt }));
  const given = Buffer.from(signature);
  return given.length === wanted.length && timingSafeEqual(given, wanted) ? { customerId, sessionId } : undefined;
}
