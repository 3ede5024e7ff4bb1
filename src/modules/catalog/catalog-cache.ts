import { LRUCache } from 'lru-cache';
import type { Platform } from '../tenants/platform.ts';

/**
 * The per-platform cache of catalog reads, shared by the catalog's services so that any catalog
 * write (product, category, attribute, collection, sales counter) retires every cached read of
 * that platform at once on this node: a write moves the platform's generation on. The TTL bounds
 * how long another node can serve what it cached before a write elsewhere.
 */
export interface CatalogCache {
  cached<T>(platform: Platform, key: string, load: () => Promise<T>): Promise<T>;
  invalidate(tenantId: string): void;
}

const CACHE_TTL_MS = 5_000;

export function createCatalogCache(): CatalogCache {
  const generations = new Map<string, number>();
  const cache = new LRUCache<string, { value: unknown }>({ max: 20_000, ttl: CACHE_TTL_MS });
  const generationOf = (tenantId: string) => generations.get(tenantId) ?? 0;
  return {
    async cached<T>(platform: Platform, key: string, load: () => Promise<T>): Promise<T> {
      const fullKey = `${platform.id}:${generationOf(platform.id)}:${key}`;
      const hit = cache.get(fullKey);
      if (hit) return hit.value as T;
      const value = await load();
      cache.set(fullKey, { value });
      return value;
    },
    invalidate: (tenantId) => void generations.set(tenantId, generationOf(tenantId) + 1),
  };
}
