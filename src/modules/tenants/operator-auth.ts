import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { Unauthorized } from '../../platform/errors.ts';

/**
 * An onRequest hook that admits only the installation operator's bearer token, compared in
 * constant time: the operator API and the benchmark fixtures both sit behind it.
 */
export function requireOperatorToken(operatorToken: string): (request: FastifyRequest) => Promise<void> {
  const expected = Buffer.from(operatorToken);
  return async (request) => {
    const given = Buffer.from(/^Bearer (\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new Unauthorized('invalid_operator_token', 'This needs the installation operator token as a bearer token.');
    }
  };
}
