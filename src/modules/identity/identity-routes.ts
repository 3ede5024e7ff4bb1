import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { platformOf } from '../../app/request-context.ts';
import { AppError } from '../../platform/errors.ts';
import { customerOf, staffOf, type AuthGuards } from './auth-guards.ts';
import type { Platform } from '../tenants/platform.ts';
import type { IdentityService } from './identity-service.ts';
import type { PasswordResets } from './password-reset-service.ts';
import {
  ChangePasswordBody,
  CompleteResetBody,
  CustomerResetRequestBody,
  StaffResetRequestBody,
  ApiTokenParams,
  CreateApiTokenBody,
  CreateStaffBody,
  CustomerLoginBody,
  RegisterCustomerBody,
  StaffLoginBody,
  StaffParams,
  UpdateStaffBody,
} from './identity-schema.ts';

interface Deps {
  identity: IdentityService;
  passwordResets: PasswordResets;
  guards: AuthGuards;
}

interface CustomerDeps extends Deps {
  /** Runs after a successful login that named a guest cart: the cart becomes the customer's. */
  afterLogin?: (platform: Platform, customerId: string, cartId: string) => Promise<unknown>;
}

/** Customer accounts: register, log in and out, who am I. Mounted under /api/store. */
export async function customerAuthRoutes(app: FastifyInstance, { identity, passwordResets, guards, afterLogin }: CustomerDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['customer accounts'];

  r.post('/auth/register', { schema: { tags, body: RegisterCustomerBody } }, async (request, reply) => {
    const result = await identity.registerCustomer(platformOf(request), request.body, request.ip);
    return reply.status(201).send(result);
  });

  r.post('/auth/login', { schema: { tags, body: CustomerLoginBody } }, async (request) => {
    const platform = platformOf(request);
    const result = await identity.loginCustomer(platform, request.body, request.ip);
    const cartId = request.body.cartId;
    if (!cartId || !afterLogin) return result;
    // The login stands even when the guest cart can't be taken over (gone, or someone else's).
    try {
      return { ...result, cart: await afterLogin(platform, result.customer.id, cartId) };
    } catch (error) {
      if (error instanceof AppError && error.status < 500) return { ...result, cartMerge: { code: error.code, detail: error.message } };
      throw error;
    }
  });

  r.post('/auth/logout', { schema: { tags }, preHandler: guards.customer }, async (request, reply) => {
    await identity.logout(platformOf(request), customerOf(request));
    return reply.status(204).send();
  });

  r.get('/me', { schema: { tags }, preHandler: guards.customer }, async (request) =>
    identity.getCustomer(platformOf(request), customerOf(request).customerId),
  );

  r.post('/me/password', { schema: { tags, body: ChangePasswordBody }, preHandler: guards.customer }, async (request, reply) => {
    await identity.changePassword(platformOf(request), customerOf(request), request.body, request.ip);
    return reply.status(204).send();
  });

  r.post('/auth/password-reset', { schema: { tags, body: CustomerResetRequestBody } }, async (request, reply) => {
    await passwordResets.request(platformOf(request), 'customer', request.body, request.ip);
    return reply.status(202).send({ status: 'accepted' });
  });

  r.post('/auth/password-reset/complete', { schema: { tags, body: CompleteResetBody } }, async (request, reply) => {
    await passwordResets.complete(platformOf(request), 'customer', request.body);
    return reply.status(204).send();
  });
}

/** Staff accounts, roles and API tokens. Mounted under /api/admin. */
export async function staffRoutes(app: FastifyInstance, { identity, passwordResets, guards }: Deps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['staff'];

  r.post('/auth/login', { schema: { tags, body: StaffLoginBody } }, async (request) =>
    identity.loginStaff(platformOf(request), request.body, request.ip),
  );

  r.post('/auth/logout', { schema: { tags }, preHandler: guards.staff('viewer') }, async (request, reply) => {
    await identity.logout(platformOf(request), staffOf(request));
    return reply.status(204).send();
  });

  r.get('/me', { schema: { tags }, preHandler: guards.staff('viewer') }, async (request) =>
    identity.getStaff(platformOf(request), staffOf(request).staffId),
  );

  r.post('/me/password', { schema: { tags, body: ChangePasswordBody }, preHandler: guards.staff('viewer') }, async (request, reply) => {
    await identity.changePassword(platformOf(request), staffOf(request), request.body, request.ip);
    return reply.status(204).send();
  });

  r.post('/auth/password-reset', { schema: { tags, body: StaffResetRequestBody } }, async (request, reply) => {
    await passwordResets.request(platformOf(request), 'staff', request.body, request.ip);
    return reply.status(202).send({ status: 'accepted' });
  });

  r.post('/auth/password-reset/complete', { schema: { tags, body: CompleteResetBody } }, async (request, reply) => {
    await passwordResets.complete(platformOf(request), 'staff', request.body);
    return reply.status(204).send();
  });

  r.get('/staff', { schema: { tags }, preHandler: guards.staff('admin') }, async (request) => ({
    items: await identity.listStaff(platformOf(request)),
  }));

  r.post('/staff', { schema: { tags, body: CreateStaffBody }, preHandler: guards.staff('admin') }, async (request, reply) => {
    const staff = await identity.createStaff(platformOf(request), staffOf(request), request.body);
    return reply.status(201).send(staff);
  });

  r.patch(
    '/staff/:id',
    { schema: { tags, params: StaffParams, body: UpdateStaffBody }, preHandler: guards.staff('admin') },
    async (request) => identity.updateStaff(platformOf(request), staffOf(request), request.params.id, request.body),
  );

  r.get('/api-tokens', { schema: { tags }, preHandler: guards.staff('admin') }, async (request) => ({
    items: await identity.listApiTokens(platformOf(request)),
  }));

  r.post(
    '/api-tokens',
    { schema: { tags, body: CreateApiTokenBody }, preHandler: guards.staff('admin') },
    async (request, reply) => reply.status(201).send(await identity.issueApiToken(platformOf(request), staffOf(request), request.body)),
  );

  r.delete(
    '/api-tokens/:id',
    { schema: { tags, params: ApiTokenParams }, preHandler: guards.staff('admin') },
    async (request, reply) => {
      await identity.revokeApiToken(platformOf(request), staffOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
}
