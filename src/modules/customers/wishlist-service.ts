import type { Database } from '../../infra/db/database.ts';
import { appendEvent } from '../../infra/outbox/outbox.ts';
import type { Clock } from '../../platform/clock.ts';
import { NotFound, Unprocessable } from '../../platform/errors.ts';
import { pick, type CatalogService, type Presentation } from '../catalog/index.ts';
import type { Platform } from '../tenants/platform.ts';
import * as store from './wishlist-store.ts';

export const MAX_WISHLIST_ITEMS = 200;

export interface WishlistItem {
  productId: string;
  slug: string;
  title: string;
  image: { url: string; alt?: string | undefined } | null;
  priceRange: { min: number; max: number; currency: string } | null;
  /** False once the product is archived (or back in draft): it stays listed, without a price. */
  available: boolean;
  addedAt: Date;
}

export interface Wishlist {
  list(platform: Platform, customerId: string, view: Presentation): Promise<WishlistItem[]>;
  /** Adds an active product; adding one already there changes nothing. Says whether it was new. */
  add(platform: Platform, customerId: string, productId: string): Promise<{ productId: string; addedAt: Date; added: boolean }>;
  remove(platform: Platform, customerId: string, productId: string): Promise<void>;
}

export function createWishlist(deps: { db: Database; clock: Clock; catalog: Pick<CatalogService, 'getActiveProduct'> }): Wishlist {
  const { db, clock, catalog } = deps;
  const event = (type: string, customerId: string, productId: string) => ({
    type: `customer.${type}`,
    aggregateType: 'customer',
    aggregateId: customerId,
    payload: { productId },
  });

  return {
    async list(platform, customerId, view) {
      const rows = await db.withTenant(platform.id, (tx) => store.listItems(tx, customerId, view.currency));
      return rows.map((row) => {
        const available = row.status === 'active';
        return {
          productId: row.productId,
          slug: row.slug,
          title: pick(row.title, view.locale),
          image: row.images[0] ?? null,
          priceRange:
            available && row.minPrice !== null
              ? { min: Number(row.minPrice), max: Number(row.maxPrice ?? row.minPrice), currency: view.currency }
              : null,
          available,
          addedAt: row.addedAt,
        };
      });
    },

    async add(platform, customerId, productId) {
      // Only what a shopper can see may be wished for: unknown, draft and archived products are not found.
      await catalog.getActiveProduct(platform, productId);
      return db.withTenant(platform.id, async (tx) => {
        await store.lockWishlist(tx, platform.id, customerId);
        const present = await store.findItem(tx, customerId, productId);
        if (present) return { productId, addedAt: present.addedAt, added: false };
        if ((await store.countItems(tx, customerId)) >= MAX_WISHLIST_ITEMS) {
          throw new Unprocessable('wishlist_full', `A wishlist holds at most ${MAX_WISHLIST_ITEMS} products; remove one first.`);
        }
        const at = clock.now();
        await store.insertItem(tx, { tenantId: platform.id, customerId, productId, addedAt: at });
        await appendEvent(tx, platform.id, event('wishlist_item_added', customerId, productId), at);
        return { productId, addedAt: at, added: true };
      });
    },

    async remove(platform, customerId, productId) {
      await db.withTenant(platform.id, async (tx) => {
        if (!(await store.deleteItem(tx, customerId, productId))) {
          throw new NotFound('wishlist_item_not_found', 'This product is not in your wishlist.');
        }
        await appendEvent(tx, platform.id, event('wishlist_item_removed', customerId, productId), clock.now());
      });
    },
  };
}
