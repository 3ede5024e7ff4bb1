import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/**
 * An onRequest hook that admits a request only when its bearer token is one of `accepted`,
 * compared in constant time; otherwise it throws what `refuse` makes.
 */
export function requireBearerToken(accepted: readonly string[], refuse: () => Error): (request: FastifyRequest) => Promise<void> {
  const expected = accepted.map((token) => Buffer.from(token));
  return async (request) => {
    const given = Buffer.from(/^Bearer (\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '');
    // Every candidate is compared, so the time taken doesn't tell which one came close.
    let matched = false;
    for (const candidate of expected) {
      if (given.length === candidate.length && timingSafeEqual(given, candidate)) matched = true;
    }
    if (!matched) throw refuse();
  };
}
