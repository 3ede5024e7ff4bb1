import type { FastifyRequest } from 'fastify';
import { requireBearerToken } from '../../platform/bearer-token.ts';
import { Unauthorized } from '../../platform/errors.ts';

/**
 * An onRequest hook that admits only the installation operator's bearer token: the operator API
 * and the benchmark fixtures both sit behind it.
 */
export function requireOperatorToken(operatorToken: string): (request: FastifyRequest) => Promise<void> {
  return requireBearerToken([operatorToken], () => new Unauthorized('invalid_operator_token', 'This needs the installation operator token as a bearer token.'));
}
