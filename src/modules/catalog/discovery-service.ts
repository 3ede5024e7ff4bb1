import type { Database } from '../../infra/db/database.ts';
import { markProcessed } from '../../infra/outbox/outbox-dispatcher.ts';
import { appendEvent } from '../../infra/outbox/outbox.ts';
import type { Clock } from '../../platform/clock.ts';
import { Conflict, Invalid, NotFound, Unprocessable, type FieldError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Platform } from '../tenants/platform.ts';
import type { CatalogCache } from './catalog-cache.ts';
import type { CreateAttributeInput, CreateCollectionInput, StoreListingInput, UpdateAttributeInput, UpdateCollectionInput } from './discovery-schema.ts';
import * as store from './discovery-store.ts';
import type { AttributeRecord, CollectionRecord } from './discovery-store.ts';
import { listFacetedProducts, type FacetedPage, type FacetFilters, type ListingSort } from './faceted-listing.ts';

export interface StoreListingRequest extends StoreListingInput {
  currency: string;
}

export interface DiscoveryService {
  listAttributes(platform: Platform): Promise<AttributeRecord[]>;
  createAttribute(platform: Platform, input: CreateAttributeInput): Promise<AttributeRecord>;
  updateAttribute(platform: Platform, attributeId: string, input: UpdateAttributeInput): Promise<AttributeRecord>;
  listCollections(platform: Platform): Promise<CollectionRecord[]>;
  getCollection(platform: Platform, idOrSlug: string): Promise<CollectionRecord>;
  createCollection(platform: Platform, input: CreateCollectionInput): Promise<CollectionRecord>;
  updateCollection(platform: Platform, collectionId: string, input: UpdateCollectionInput): Promise<CollectionRecord>;
  deleteCollection(platform: Platform, collectionId: string): Promise<void>;
  /** A brand (a choice of the `brand` attribute), for its page. */
  getBrand(platform: Platform, value: string): Promise<{ value: string; name: Record<string, string> }>;
  /** Active products with facets, in one statement (the store's route caches what it sends). */
  listStoreProducts(platform: Platform, request: StoreListingRequest): Promise<FacetedPage & { filters: FacetFilters }>;
  /** Adds a paid order's units to the best-selling counters, once per event. */
  countPaidOrder(tenantId: string, eventId: string, orderId: string): Promise<void>;
}

const MAX_FACET_FILTERS = 20;

/** Two writers that both saw a code or slug free: the unique key refuses the second, with the same code as the check. */
async function unlessTaken<T>(conflict: () => Conflict, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if ((error as { code?: unknown }).code === '23505') throw conflict();
    throw error;
  }
}
const FACET_KEY = /^(attr|option)\.([a-z][a-z0-9_]{0,31})$/;

export function createDiscoveryService(deps: { db: Database; clock: Clock; cache: CatalogCache }): DiscoveryService {
  const { db, clock, cache } = deps;
  const attributesOf = (platform: Platform) => cache.cached(platform, 'attributes', () => db.withTenant(platform.id, store.listAttributes));

  async function mustFindCollection(platform: Platform, idOrSlug: string): Promise<CollectionRecord> {
    const collection = await db.withTenant(platform.id, (tx) => store.findCollection(tx, idOrSlug));
    if (!collection) throw new NotFound('collection_not_found', 'No such collection.');
    return collection;
  }

  async function checkCollectionContent(platform: Platform, collection: Omit<CollectionRecord, 'updatedAt'>): Promise<void> {
    const errors: FieldError[] = [];
    if (new Set(collection.productIds).size !== collection.productIds.length) errors.push({ path: 'body.productIds', message: 'each product once' });
    const rule = collection.rule;
    if (rule?.attribute && !(await attributesOf(platform)).some((attribute) => attribute.code === rule.attribute!.code)) {
      errors.push({ path: 'body.rule.attribute.code', message: 'no such attribute' });
    }
    if (rule?.priceBelow && !platform.currencies.includes(rule.priceBelow.currency)) {
      errors.push({ path: 'body.rule.priceBelow.currency', message: 'not a currency of this platform' });
    }
    if (errors.length > 0) throw new Invalid('invalid_collection', 'The collection does not fit this platform.', errors);
  }

  async function saveCollection(platform: Platform, collection: Omit<CollectionRecord, 'updatedAt'>, isNew: boolean): Promise<CollectionRecord> {
    await checkCollectionContent(platform, collection);
    const slugTaken = () => new Conflict('slug_taken', `Another collection already uses slug "${collection.slug}".`);
    const saved = await unlessTaken(slugTaken, () => db.withTenant(platform.id, async (tx) => {
      if (await store.collectionSlugTaken(tx, collection.slug, collection.id)) {
        throw slugTaken();
      }
      if (collection.rule?.categoryId && !(await store.categoryExists(tx, collection.rule.categoryId))) {
        throw new Unprocessable('category_not_found', 'The rule names a category that does not exist.', [{ path: 'body.rule.categoryId', message: 'no such category' }]);
      }
      const found = await store.existingProductIds(tx, collection.productIds);
      const missing = collection.productIds.flatMap((productId, index) => (found.has(productId) ? [] : [{ path: `body.productIds.${index}`, message: `no such product ${productId}` }]));
      if (missing.length > 0) throw new Unprocessable('product_not_found', 'The collection names products that do not exist.', missing);
      const at = clock.now();
      await store.saveCollection(tx, platform.id, collection, at, isNew);
      await appendEvent(
        tx,
        platform.id,
        { type: isNew ? 'collection.created' : 'collection.updated', aggregateType: 'collection', aggregateId: collection.id, payload: { slug: collection.slug, kind: collection.kind } },
        at,
      );
      return (await store.findCollection(tx, collection.id))!;
    }));
    cache.invalidate(platform.id);
    return saved;
  }

  async function facetFilters(platform: Platform, request: StoreListingRequest): Promise<FacetFilters> {
    const filters: FacetFilters = { options: {}, attributes: {}, priceRanges: request.price ?? [], inStock: request.inStock ?? false };
    const extra = Object.entries(request.facetParams);
    if (extra.length === 0) return filters;
    const codes = new Set((await attributesOf(platform)).map((attribute) => attribute.code));
    const unknown: FieldError[] = [];
    for (const [key, raw] of extra) {
      const match = FACET_KEY.exec(key);
      if (!match || (match[1] === 'attr' && !codes.has(match[2]!))) {
        unknown.push({ path: `querystring.${key}`, message: 'not a facet of this platform' });
        continue;
      }
      const values = [raw as string | string[]].flat().flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean);
      if (values.length === 0) continue;
      (match[1] === 'attr' ? filters.attributes : filters.options)[match[2]!] = [...new Set(values)];
    }
    if (unknown.length > 0) throw new Invalid('unknown_facet', 'The listing was asked to filter by a facet that does not exist.', unknown);
    if (Object.keys(filters.options).length + Object.keys(filters.attributes).length > MAX_FACET_FILTERS) {
      throw new Invalid('too_many_filters', `Filter by at most ${MAX_FACET_FILTERS} facets at once.`);
    }
    return filters;
  }

  return {
    listAttributes: attributesOf,

    async createAttribute(platform, input) {
      const attribute: AttributeRecord = { id: newId('attr'), code: input.code, name: input.name, kind: input.kind, choices: input.choices, position: input.position };
      const codeTaken = () => new Conflict('attribute_code_taken', `Attribute code ${attribute.code} exists already.`);
      await unlessTaken(codeTaken, () =>
        db.withTenant(platform.id, async (tx) => {
          if (await store.attributeCodeTaken(tx, attribute.code)) throw codeTaken();
          const at = clock.now();
          await store.insertAttribute(tx, platform.id, attribute, at);
          await appendEvent(tx, platform.id, { type: 'attribute.created', aggregateType: 'attribute', aggregateId: attribute.id, payload: { code: attribute.code, kind: attribute.kind } }, at);
        }),
      );
      cache.invalidate(platform.id);
      return attribute;
    },

    async updateAttribute(platform, attributeId, input) {
      const updated = await db.withTenant(platform.id, async (tx) => {
        const current = (await store.listAttributes(tx)).find((attribute) => attribute.id === attributeId);
        if (!current) throw new NotFound('attribute_not_found', 'No such attribute.');
        if (input.choices !== undefined && current.kind === 'number') {
          throw new Invalid('invalid_attribute', 'A number attribute has no choices.', [{ path: 'body.choices', message: 'not for a number attribute' }]);
        }
        if (input.choices !== undefined) {
          if (input.choices.length === 0) throw new Invalid('invalid_attribute', 'A choice attribute needs at least one choice.', [{ path: 'body.choices', message: 'empty' }]);
          const kept = new Set(input.choices.map((choice) => choice.value));
          const removedInUse = (await store.choiceValuesInUse(tx, attributeId)).filter((value) => !kept.has(value));
          if (removedInUse.length > 0) throw new Conflict('attribute_choice_in_use', `Products still have ${removedInUse.join(', ')}; change them first.`);
        }
        const next: AttributeRecord = { ...current, name: input.name ?? current.name, choices: input.choices ?? current.choices, position: input.position ?? current.position };
        const at = clock.now();
        await store.updateAttribute(tx, next, at);
        await appendEvent(tx, platform.id, { type: 'attribute.updated', aggregateType: 'attribute', aggregateId: next.id, payload: { code: next.code } }, at);
        return next;
      });
      cache.invalidate(platform.id);
      return updated;
    },

    listCollections: (platform) => db.withTenant(platform.id, store.listCollections),

    getCollection: (platform, idOrSlug) => mustFindCollection(platform, idOrSlug),

    createCollection: (platform, input) =>
      saveCollection(
        platform,
        {
          id: newId('col'),
          slug: input.slug,
          title: input.title,
          description: input.description ?? {},
          kind: input.kind,
          rule: input.kind === 'rule' ? input.rule! : null,
          productIds: input.productIds ?? [],
        },
        true,
      ),

    async updateCollection(platform, collectionId, input) {
      const current = await mustFindCollection(platform, collectionId);
      if (current.kind === 'manual' && input.rule !== undefined) {
        throw new Invalid('invalid_collection', 'A manual collection has no rule.', [{ path: 'body.rule', message: 'manual collection' }]);
      }
      if (current.kind === 'rule' && input.productIds !== undefined) {
        throw new Invalid('invalid_collection', 'A rule collection picks its own products.', [{ path: 'body.productIds', message: 'rule collection' }]);
      }
      return saveCollection(
        platform,
        {
          id: current.id,
          slug: input.slug ?? current.slug,
          title: input.title ?? current.title,
          description: input.description ?? current.description,
          kind: current.kind,
          rule: input.rule ?? current.rule,
          productIds: input.productIds ?? current.productIds,
        },
        false,
      );
    },

    async deleteCollection(platform, collectionId) {
      await db.withTenant(platform.id, async (tx) => {
        if (!(await store.deleteCollection(tx, collectionId))) throw new NotFound('collection_not_found', 'No such collection.');
        await appendEvent(tx, platform.id, { type: 'collection.deleted', aggregateType: 'collection', aggregateId: collectionId, payload: {} }, clock.now());
      });
      cache.invalidate(platform.id);
    },

    async getBrand(platform, value) {
      const brand = (await attributesOf(platform)).find((attribute) => attribute.code === 'brand');
      const choice = brand?.choices.find((candidate) => candidate.value === value);
      if (!choice) throw new NotFound('brand_not_found', 'No such brand.');
      return choice;
    },

    async listStoreProducts(platform, request) {
      const filters = await facetFilters(platform, request);
      const collection = request.collection
        ? await cache.cached(platform, `collection:${request.collection}`, () => db.withTenant(platform.id, (tx) => store.findCollection(tx, request.collection!)))
        : undefined;
      if (request.collection && !collection) throw new NotFound('collection_not_found', 'No such collection.');
      const sort: ListingSort = request.sort ?? (request.q ? 'relevance' : collection?.kind === 'manual' ? 'position' : 'newest');
      const page = await db.withTenant(platform.id, (tx) =>
        listFacetedProducts(tx, {
          statuses: ['active'],
          category: request.category,
          search: request.q,
          collection,
          brand: request.brand,
          filters,
          sort,
          currency: request.currency,
          limit: request.limit,
          cursor: request.cursor,
          withFacets: request.facets ?? false,
        }),
      );
      return { ...page, filters };
    },

    async countPaidOrder(tenantId, eventId, orderId) {
      await db.withTenant(tenantId, async (tx) => {
        if (await markProcessed(tx, tenantId, 'catalog.best-selling', eventId)) await store.countPaidOrder(tx, orderId);
      });
      cache.invalidate(tenantId);
    },
  };
}
