import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { platformOf } from '../../app/request-context.ts';
import type { AuthGuards } from '../identity/auth-guards.ts';
import { MethodBody, MethodParams, MethodUpdateBody, ProfileBody, ProfileParams, ProfileUpdateBody, ZoneBody, ZoneParams, ZoneUpdateBody } from './shipping-schema.ts';
import type { ShippingService } from './shipping-service.ts';

/** Shipping set-up for staff. Mounted under /api/admin. */
export async function adminShippingRoutes(app: FastifyInstance, deps: { shipping: ShippingService; guards: AuthGuards }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['shipping'];
  const { shipping, guards } = deps;
  const read = guards.staff('viewer');
  const write = guards.staff('admin');

  r.get('/shipping/profiles', { schema: { tags }, preHandler: read }, async (request) => ({ items: await shipping.listProfiles(platformOf(request)) }));
  r.post('/shipping/profiles', { schema: { tags, body: ProfileBody }, preHandler: write }, async (request, reply) =>
    reply.status(201).send(await shipping.createProfile(platformOf(request), request.body)),
  );
  r.patch('/shipping/profiles/:code', { schema: { tags, params: ProfileParams, body: ProfileUpdateBody }, preHandler: write }, async (request) =>
    shipping.updateProfile(platformOf(request), request.params.code, request.body),
  );
  r.delete('/shipping/profiles/:code', { schema: { tags, params: ProfileParams }, preHandler: write }, async (request, reply) => {
    await shipping.deleteProfile(platformOf(request), request.params.code);
    return reply.status(204).send();
  });

  r.get('/shipping/zones', { schema: { tags }, preHandler: read }, async (request) => ({ items: await shipping.listZones(platformOf(request)) }));
  r.post('/shipping/zones', { schema: { tags, body: ZoneBody }, preHandler: write }, async (request, reply) =>
    reply.status(201).send(await shipping.createZone(platformOf(request), request.body)),
  );
  r.patch('/shipping/zones/:id', { schema: { tags, params: ZoneParams, body: ZoneUpdateBody }, preHandler: write }, async (request) =>
    shipping.updateZone(platformOf(request), request.params.id, request.body),
  );
  r.delete('/shipping/zones/:id', { schema: { tags, params: ZoneParams }, preHandler: write }, async (request, reply) => {
    await shipping.deleteZone(platformOf(request), request.params.id);
    return reply.status(204).send();
  });

  r.post('/shipping/zones/:id/methods', { schema: { tags, params: ZoneParams, body: MethodBody }, preHandler: write }, async (request, reply) =>
    reply.status(201).send(await shipping.createMethod(platformOf(request), request.params.id, request.body)),
  );
  r.patch('/shipping/methods/:id', { schema: { tags, params: MethodParams, body: MethodUpdateBody }, preHandler: write }, async (request) =>
    shipping.updateMethod(platformOf(request), request.params.id, request.body),
  );
  r.delete('/shipping/methods/:id', { schema: { tags, params: MethodParams }, preHandler: write }, async (request, reply) => {
    await shipping.deleteMethod(platformOf(request), request.params.id);
    return reply.status(204).send();
  });
}
