import type { FastifyInstance, FastifyRequest, preValidationHookHandler } from 'fastify';
import { z } from 'zod';
import { Invalid } from '../platform/errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route reads its body itself (a provider webhook, verified against its signature). */
    rawBody?: boolean;
  }
}

/**
 * Input a route does not declare is refused, not ignored: a route without a query schema accepts
 * only `?tenant=`, and a write route without a body schema accepts no body (an empty `{}` is
 * tolerated, since many clients send one). Set once here for every API route, so none can forget.
 */
const TENANT_ONLY_QUERY = z.object({ tenant: z.string().max(40).optional() }).strict();

const refuseBody: preValidationHookHandler = async (request: FastifyRequest) => {
  const sentBody = Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
  const empty = request.body === undefined || (typeof request.body === 'object' && request.body !== null && !Array.isArray(request.body) && Object.keys(request.body).length === 0);
  if (sentBody && !empty) throw new Invalid('unexpected_body', 'This endpoint takes no request body.');
};

export function requireStrictInput(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (route.schema?.hide || !route.url.startsWith('/api/')) return;
    route.schema = { ...(route.schema ?? {}), querystring: route.schema?.querystring ?? TENANT_ONLY_QUERY };
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const writes = methods.some((method) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method));
    if (writes && !route.schema.body && !route.config?.rawBody) {
      const existing = route.preValidation ? [route.preValidation].flat() : [];
      route.preValidation = [refuseBody, ...existing];
    }
  });
}
