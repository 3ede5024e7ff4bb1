import type { FastifyRequest } from 'fastify';
import type { StaffRole } from '../../infra/db/schema.ts';
import { Forbidden, Unauthorized } from '../../platform/errors.ts';
import { platformOf } from '../../app/request-context.ts';
import type { IdentityService } from './identity-service.ts';
import { roleAtLeast, type Principal } from './principal.ts';

/** Guards for route `preHandler`s: each verifies the bearer token and sets `request.principal`. */
export interface AuthGuards {
  customer: (request: FastifyRequest) => Promise<void>;
  /** A customer when a token is sent, a guest when none is; a bad token is still refused. */
  optionalCustomer: (request: FastifyRequest) => Promise<void>;
  staff: (minimum: StaffRole) => (request: FastifyRequest) => Promise<void>;
}

export function createAuthGuards(identity: IdentityService): AuthGuards {
  async function authenticate(request: FastifyRequest): Promise<Principal> {
    const header = request.headers.authorization;
    const match = header ? /^Bearer ([^\s]+)$/i.exec(header) : null;
    if (!match?.[1]) throw new Unauthorized('unauthenticated', 'Send an Authorization: Bearer <token> header.');
    const principal = await identity.authenticate(platformOf(request), match[1]);
    request.principal = principal;
    return principal;
  }

  return {
    async customer(request) {
      const principal = await authenticate(request);
      if (principal.kind !== 'customer') throw new Forbidden('customer_only', 'This needs a customer login.');
    },
    async optionalCustomer(request) {
      if (request.headers.authorization === undefined) return;
      const principal = await authenticate(request);
      if (principal.kind !== 'customer') throw new Forbidden('customer_only', 'This needs a customer login.');
    },
    staff(minimum) {
      return async (request) => {
        const principal = await authenticate(request);
        if (principal.kind === 'customer') throw new Forbidden('staff_only', 'This needs a staff login or API token.');
        if (!roleAtLeast(principal.role, minimum)) {
          throw new Forbidden('insufficient_role', `This needs the ${minimum} role or higher; you have ${principal.role}.`);
        }
      };
    },
  };
}

export function customerOf(request: FastifyRequest): Extract<Principal, { kind: 'customer' }> {
  const principal = request.principal;
  if (principal?.kind !== 'customer') throw new Unauthorized('unauthenticated', 'This needs a customer login.');
  return principal;
}

export function staffOf(request: FastifyRequest): Extract<Principal, { kind: 'staff' | 'api' }> {
  const principal = request.principal;
  if (!principal || principal.kind === 'customer') throw new Unauthorized('unauthenticated', 'This needs a staff login.');
  return principal;
}
