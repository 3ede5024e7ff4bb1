import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { platformOf } from '../../app/request-context.ts';
import type { AuthGuards } from '../identity/auth-guards.ts';
import type { InventoryService } from '../inventory/index.ts';
import { requireModule } from '../tenants/tenant-scope.ts';
import {
  AdminProductQuery,
  CategoryParams,
  CreateCategoryBody,
  CreateProductBody,
  ProductParams,
  StoreDetailQuery,
  TenantOnlyQuery,
  UpdateCategoryBody,
  UpdateProductBody,
} from './catalog-schema.ts';
import type { CatalogService } from './catalog-service.ts';
import { StoreListingQuery } from './discovery-schema.ts';
import type { DiscoveryService } from './discovery-service.ts';
import { facetGroupsView } from './discovery-views.ts';
import { categoryTree, presentationFor, storeProductSummaryView, storeProductView } from './catalog-views.ts';

interface Deps {
  catalog: CatalogService;
  discovery: DiscoveryService;
  /** Stock is live, never cached with the product. */
  inventory: Pick<InventoryService, 'getStock' | 'getDisplayStock'>;
  guards: AuthGuards;
}

/** What shoppers see: active products, search and categories. Mounted under /api/store. */
export async function storeCatalogRoutes(app: FastifyInstance, { catalog, discovery, inventory }: Deps): Promise<void> {
  app.addHook('onRequest', requireModule('catalog'));
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['catalog (store)'];

  r.get('/products', { schema: { tags, querystring: StoreListingQuery } }, async (request, reply) => {
    const platform = platformOf(request);
    const view = presentationFor(platform, request.query.presentation, request.headers['accept-language']);
    const listing = { ...request.query.listing, facetParams: request.query.facetParams, currency: view.currency };
    // A listing holds no stock per variant, so the page is kept as sent (per platform and query,
    // retired by any catalog write): serializing twenty products was the largest single cost of a
    // listing request, and the facet counts are the most expensive part of the statement.
    const body = await catalog.derived(platform, `store-listing:${JSON.stringify([listing, view.locale])}`, async () => {
      const page = await discovery.listStoreProducts(platform, listing);
      return JSON.stringify({
        items: page.items.map((item) => storeProductSummaryView(item, view)),
        nextCursor: page.nextCursor,
        total: page.total,
        ...(listing.facets ? { facets: facetGroupsView(page.facets, await discovery.listAttributes(platform), page.filters, view) } : {}),
      });
    });
    return reply.type('application/json; charset=utf-8').send(body);
  });

  r.get('/products/:id', { schema: { tags, params: ProductParams, querystring: StoreDetailQuery } }, async (request) => {
    const platform = platformOf(request);
    const view = presentationFor(platform, request.query, request.headers['accept-language']);
    const product = await catalog.getActiveProduct(platform, request.params.id);
    const stock = await inventory.getDisplayStock(platform, product.variants.map((variant) => variant.id));
    return storeProductView(product, view, stock);
  });

  r.get('/categories', { schema: { tags, querystring: StoreDetailQuery } }, async (request) => {
    const platform = platformOf(request);
    const view = presentationFor(platform, request.query, request.headers['accept-language']);
    return { items: categoryTree(await catalog.listCategories(platform), view.locale) };
  });
}

/** Catalog management for staff. Mounted under /api/admin. */
export async function adminCatalogRoutes(app: FastifyInstance, { catalog, inventory, guards }: Deps): Promise<void> {
  app.addHook('onRequest', requireModule('catalog'));
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['catalog (admin)'];
  const reader = guards.staff('viewer');
  const editor = guards.staff('operator');

  r.get('/products', { schema: { tags, querystring: AdminProductQuery }, preHandler: reader }, async (request) => {
    const platform = platformOf(request);
    return catalog.listProducts(platform, {
      status: request.query.status,
      category: request.query.category,
      search: request.query.q,
      sort: 'newest',
      currency: platform.defaultCurrency,
      limit: request.query.limit,
      cursor: request.query.cursor,
    });
  });

  r.post('/products', { schema: { tags, body: CreateProductBody, querystring: TenantOnlyQuery }, preHandler: editor }, async (request, reply) =>
    reply.status(201).send(await catalog.createProduct(platformOf(request), request.body)),
  );

  r.get('/products/:id', { schema: { tags, params: ProductParams, querystring: TenantOnlyQuery }, preHandler: reader }, async (request) => {
    const platform = platformOf(request);
    const product = await catalog.getProduct(platform, request.params.id);
    const stock = await inventory.getStock(platform, product.variants.map((variant) => variant.id));
    return { ...product, variants: product.variants.map((variant, index) => ({ ...variant, stock: stock[index] })) };
  });

  r.patch(
    '/products/:id',
    { schema: { tags, params: ProductParams, body: UpdateProductBody, querystring: TenantOnlyQuery }, preHandler: editor },
    async (request) => catalog.updateProduct(platformOf(request), request.params.id, request.body),
  );

  r.post('/products/:id/archive', { schema: { tags, params: ProductParams, querystring: TenantOnlyQuery }, preHandler: editor }, async (request) =>
    catalog.archiveProduct(platformOf(request), request.params.id),
  );

  r.get('/categories', { schema: { tags, querystring: TenantOnlyQuery }, preHandler: reader }, async (request) => ({
    items: await catalog.listCategories(platformOf(request)),
  }));

  r.post('/categories', { schema: { tags, body: CreateCategoryBody, querystring: TenantOnlyQuery }, preHandler: editor }, async (request, reply) =>
    reply.status(201).send(await catalog.createCategory(platformOf(request), request.body)),
  );

  r.patch(
    '/categories/:id',
    { schema: { tags, params: CategoryParams, body: UpdateCategoryBody, querystring: TenantOnlyQuery }, preHandler: editor },
    async (request) => catalog.updateCategory(platformOf(request), request.params.id, request.body),
  );
}
