import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import { Invalid } from '../../platform/errors.ts';
import type { PaymentProvider, ProviderEventType, VerifiedProviderEvent } from './payment-provider.ts';
import { encodeSessionToken } from './sandbox-checkout-token.ts';

/**
 * A payment provider for development and tests that behaves like a real one: sessions with a
 * hosted payment page, outcomes reported only through HMAC-signed webhooks
 * (`Bazaar-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`), signatures older than
 * five minutes refused so a captured webhook can't be replayed later.
 */
export const SIGNATURE_HEADER = 'bazaar-signature';
const TOLERANCE_SECONDS = 300;

const EventBody = z.object({
  id: z.string().regex(/^sbxevt_[A-Za-z0-9_-]{10,64}$/),
  type: z.enum(['payment.succeeded', 'payment.failed']),
  tenantId: z.string().max(64),
  providerRef: z.string().regex(/^sbx_[A-Za-z0-9_-]{10,64}$/),
  amount: z.number().int().min(0),
  currency: z.string().regex(/^[A-Z]{3}$/),
  occurredAt: z.iso.datetime(),
}).strict();

export interface SandboxProvider extends PaymentProvider {
  /** The provider's side: the shopper finished on the hosted page; here is the signed webhook. */
  completeSession(session: { providerRef: string; tenantId: string; amount: number; currency: string }, outcome: 'succeeded' | 'failed'): { body: string; signature: string };
  sign(body: string, at?: Date): string;
}

export function createSandboxProvider(deps: { secret: string; clock: Clock; publicUrl?: string }): SandboxProvider {
  const { secret, clock } = deps;
  const hmac = (timestamp: number, body: string) => createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

  function sign(body: string, at = clock.now()): string {
    const timestamp = Math.floor(at.getTime() / 1000);
    return `t=${timestamp},v1=${hmac(timestamp, body)}`;
  }

  return {
    name: 'sandbox',
    localSessions: true,
    async createSession(payment) {
      const providerRef = `sbx_${randomBytes(12).toString('base64url')}`;
      const token = encodeSessionToken({ providerRef, tenantId: payment.tenantId, amount: payment.amount, currency: payment.currency }, secret);
      return { providerRef, redirectUrl: `${deps.publicUrl ?? ''}/api/payments/sandbox/pay/${token}` };
    },
    async refund() {
      return { providerRef: `sbxref_${randomBytes(12).toString('base64url')}`, status: 'succeeded' };
    },
    sign,
    completeSession(session, outcome) {
      const type: ProviderEventType = outcome === 'succeeded' ? 'payment.succeeded' : 'payment.failed';
      const body = JSON.stringify({
        id: `sbxevt_${randomBytes(12).toString('base64url')}`,
        type,
        tenantId: session.tenantId,
        providerRef: session.providerRef,
        amount: session.amount,
        currency: session.currency,
        occurredAt: clock.now().toISOString(),
      });
      return { body, signature: sign(body) };
    },
    verifyWebhook(rawBody, headers): VerifiedProviderEvent {
      const header = headers[SIGNATURE_HEADER];
      const match = typeof header === 'string' ? /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header) : null;
      if (!match) throw new Invalid('invalid_signature', `The ${SIGNATURE_HEADER} header is missing or malformed.`);
      const timestamp = Number(match[1]);
      const expected = Buffer.from(hmac(timestamp, rawBody), 'hex');
      const given = Buffer.from(match[2]!, 'hex');
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
        throw new Invalid('invalid_signature', 'The webhook signature does not match its body.');
      }
      if (Math.abs(clock.now().getTime() / 1000 - timestamp) > TOLERANCE_SECONDS) {
        throw new Invalid('invalid_signature', 'The webhook signature is too old or from the future.');
      }
      let parsed: z.infer<typeof EventBody>;
      try {
        parsed = EventBody.parse(JSON.parse(rawBody));
      } catch {
        throw new Invalid('invalid_webhook', 'The webhook body is not a sandbox event.');
      }
      return { ...parsed, eventId: parsed.id, occurredAt: new Date(parsed.occurredAt) };
    },
  };
}
