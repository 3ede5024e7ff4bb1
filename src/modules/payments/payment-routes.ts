import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { PaymentService } from './payment-service.ts';
import { Invalid } from '../../platform/errors.ts';
import { decodeSessionToken } from './sandbox-checkout-token.ts';
import { SIGNATURE_HEADER, type SandboxProvider } from './sandbox-provider.ts';

const ProviderParams = z.object({ provider: z.string().regex(/^[a-z0-9_-]{1,32}$/) }).strict();
const TokenParams = z.object({ token: z.string().max(2000).regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/) }).strict();
/**
 * Where the hosted page sends the shopper afterwards: a path on this site only, never a URL. One
 * leading slash: `//host/…` is a URL on another host to a browser.
 */
const ReturnPath = z.string().max(200).regex(/^\/(?!\/)[A-Za-z0-9/_-]*$/, 'a path on this site');

/**
 * Provider-facing routes, outside any platform scope (providers call one URL for all platforms;
 * the verified event names its platform). Mounted under /api/payments.
 */
export async function paymentProviderRoutes(app: FastifyInstance, deps: { payments: PaymentService; sandbox?: { provider: SandboxProvider; secret: string } }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['payments'];

  await app.register(async (webhooks) => {
    // Signatures are over the exact bytes sent, so webhook bodies stay text in this scope only.
    webhooks.removeContentTypeParser('application/json');
    webhooks.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    webhooks.withTypeProvider<ZodTypeProvider>().post(
      '/:provider/webhook',
      { schema: { tags, params: ProviderParams }, config: { rawBody: true }, bodyLimit: 64 * 1024 },
      async (request) => {
        if (typeof request.body !== 'string') throw new Invalid('invalid_webhook', 'Send the provider event as an application/json body.');
        const outcome = await deps.payments.handleWebhook(request.params.provider, request.body, request.headers);
        return { received: true, outcome };
      },
    );
  });

  // Only when configured (BAZAAR_SANDBOX_PAYMENTS): these let anyone mark an order paid.
  const sandbox = deps.sandbox;
  if (!sandbox) return;

  // The sandbox's hosted payment page: what a shopper sees at the provider.
  r.get('/sandbox/pay/:token', { schema: { tags, params: TokenParams, querystring: z.object({ return: ReturnPath.optional() }).strict() } }, async (request, reply) => {
    const session = decodeSessionToken(request.params.token, sandbox.secret);
    const amount = (session.amount / 100).toFixed(2);
    return reply.type('text/html; charset=utf-8').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Sandbox payment</title><style>body{font:16px system-ui;max-width:420px;margin:48px auto;padding:0 16px}button{font:inherit;padding:12px 20px;margin-right:8px;border-radius:8px;border:1px solid #888;cursor:pointer}.pay{background:#1677ff;color:#fff;border-color:#1677ff}</style></head>
<body><h1>Bazaar sandbox payment</h1><p>Amount: <strong>${session.currency} ${amount}</strong></p><p>No real money moves. Choose an outcome:</p>
<form method="post" action="${request.params.token}/complete">${request.query.return ? `<input type="hidden" name="return" value="${request.query.return}">` : ''}<button class="pay" name="outcome" value="succeeded">Pay</button><button name="outcome" value="failed">Decline</button></form></body></html>`);
  });

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );

  // The sandbox completes the payment the way a provider does: by sending a signed webhook.
  r.post(
    '/sandbox/pay/:token/complete',
    { schema: { tags, params: TokenParams, body: z.object({ outcome: z.enum(['succeeded', 'failed']), return: ReturnPath.optional() }).strict() } },
    async (request, reply) => {
      const session = decodeSessionToken(request.params.token, sandbox.secret);
      const webhook = sandbox.provider.completeSession(session, request.body.outcome);
      const delivered = await deps.payments.handleWebhook('sandbox', webhook.body, { [SIGNATURE_HEADER]: webhook.signature });
      if (request.body.return) return reply.redirect(request.body.return, 303);
      return { outcome: request.body.outcome, webhook: delivered };
    },
  );
}

