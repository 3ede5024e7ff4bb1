import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { platformOf } from '../../app/request-context.ts';
import type { AuthGuards } from '../identity/auth-guards.ts';
import { requireModule } from '../tenants/tenant-scope.ts';
import { StoreDetailQuery, TenantOnlyQuery } from './catalog-schema.ts';
import { presentationFor } from './catalog-views.ts';
import {
  AttributeParams,
  BrandParams,
  CollectionParams,
  CollectionSlugParams,
  CreateAttributeBody,
  CreateCollectionBody,
  UpdateAttributeBody,
  UpdateCollectionBody,
} from './discovery-schema.ts';
import type { DiscoveryService } from './discovery-service.ts';
import { storeAttributeView, storeChoiceView, storeCollectionView } from './discovery-views.ts';

interface Deps {
  discovery: DiscoveryService;
  guards: AuthGuards;
}

/** Attributes, brands and collections for shoppers (their products come from /products). Mounted under /api/store. */
export async function storeDiscoveryRoutes(app: FastifyInstance, { discovery }: Deps): Promise<void> {
  app.addHook('onRequest', requireModule('catalog'));
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['discovery (store)'];

  r.get('/attributes', { schema: { tags, querystring: StoreDetailQuery } }, async (request) => {
    const platform = platformOf(request);
    const view = presentationFor(platform, request.query, request.headers['accept-language']);
    return { items: (await discovery.listAttributes(platform)).map((attribute) => storeAttributeView(attribute, view)) };
  });

  r.get('/brands/:value', { schema: { tags, params: BrandParams, querystring: StoreDetailQuery } }, async (request) => {
    const platform = platformOf(request);
    const view = presentationFor(platform, request.query, request.headers['accept-language']);
    return storeChoiceView(await discovery.getBrand(platform, request.params.value), view);
  });

  r.get('/collections/:slug', { schema: { tags, params: CollectionSlugParams, querystring: StoreDetailQuery } }, async (request) => {
    const platform = platformOf(request);
    const view = presentationFor(platform, request.query, request.headers['accept-language']);
    return storeCollectionView(await discovery.getCollection(platform, request.params.slug), view);
  });
}

/** Attribute and collection management for staff. Mounted under /api/admin. */
export async function adminDiscoveryRoutes(app: FastifyInstance, { discovery, guards }: Deps): Promise<void> {
  app.addHook('onRequest', requireModule('catalog'));
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['discovery (admin)'];
  const reader = guards.staff('viewer');
  const editor = guards.staff('operator');

  r.get('/attributes', { schema: { tags, querystring: TenantOnlyQuery }, preHandler: reader }, async (request) => ({
    items: await discovery.listAttributes(platformOf(request)),
  }));
  r.post('/attributes', { schema: { tags, body: CreateAttributeBody, querystring: TenantOnlyQuery }, preHandler: editor }, async (request, reply) =>
    reply.status(201).send(await discovery.createAttribute(platformOf(request), request.body)),
  );
  r.patch(
    '/attributes/:id',
    { schema: { tags, params: AttributeParams, body: UpdateAttributeBody, querystring: TenantOnlyQuery }, preHandler: editor },
    async (request) => discovery.updateAttribute(platformOf(request), request.params.id, request.body),
  );

  r.get('/collections', { schema: { tags, querystring: TenantOnlyQuery }, preHandler: reader }, async (request) => ({
    items: await discovery.listCollections(platformOf(request)),
  }));
  r.post('/collections', { schema: { tags, body: CreateCollectionBody, querystring: TenantOnlyQuery }, preHandler: editor }, async (request, reply) =>
    reply.status(201).send(await discovery.createCollection(platformOf(request), request.body)),
  );
  r.get('/collections/:id', { schema: { tags, params: CollectionParams, querystring: TenantOnlyQuery }, preHandler: reader }, async (request) =>
    discovery.getCollection(platformOf(request), request.params.id),
  );
  r.patch(
    '/collections/:id',
    { schema: { tags, params: CollectionParams, body: UpdateCollectionBody, querystring: TenantOnlyQuery }, preHandler: editor },
    async (request) => discovery.updateCollection(platformOf(request), request.params.id, request.body),
  );
  r.delete('/collections/:id', { schema: { tags, params: CollectionParams, querystring: TenantOnlyQuery }, preHandler: editor }, async (request, reply) => {
    await discovery.deleteCollection(platformOf(request), request.params.id);
    return reply.status(204).send();
  });
}
