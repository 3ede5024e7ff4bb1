import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { answerKey, type Admission, type AdmitRequest, type PendingAdmission, type SaleState, type StockTokens } from './stock-tokens.ts';

// Each script runs atomically in Redis: one round trip decides an admission for every node.
// All keys of a sale share the hash tag {saleId}, so they live in one slot of a Redis Cluster.

const INIT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
for customer, n in pairs(cjson.decode(ARGV[2])) do redis.call('HSET', KEYS[2], customer, n) end
for key, order in pairs(cjson.decode(ARGV[3])) do redis.call('HSET', KEYS[3], key, order) end
for i = 1, 5 do redis.call('PEXPIREAT', KEYS[i], ARGV[4]) end
return 1`;

const ADMIT = `
local prior = redis.call('HGET', KEYS[3], ARGV[2])
if prior then return {'replayed', prior} end
local stock = redis.call('GET', KEYS[1])
if not stock then return {'unprepared'} end
if tonumber(stock) <= 0 then return {'sold_out'} end
local held = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if held >= tonumber(ARGV[4]) then return {'limit_reached'} end
redis.call('DECR', KEYS[1])
redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
redis.call('HSET', KEYS[3], ARGV[2], ARGV[3])
redis.call('HSET', KEYS[4], ARGV[3], ARGV[5])
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then for i = 2, 4 do redis.call('PEXPIRE', KEYS[i], ttl) end end
return {'admitted', ARGV[3]}`;

const REVOKE = `
if redis.call('HDEL', KEYS[4], ARGV[1]) == 0 then return 0 end
redis.call('HDEL', KEYS[3], ARGV[3])
if tonumber(redis.call('HINCRBY', KEYS[2], ARGV[2], -1)) < 0 then redis.call('HSET', KEYS[2], ARGV[2], 0) end
if ARGV[4] == '1' then redis.call('INCR', KEYS[1]) end
return 1`;

const RETURN_UNIT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('SADD', KEYS[5], ARGV[1]) == 0 then return 0 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('PEXPIRE', KEYS[5], ttl) end
redis.call('INCR', KEYS[1])
if tonumber(redis.call('HINCRBY', KEYS[2], ARGV[2], -1)) < 0 then redis.call('HSET', KEYS[2], ARGV[2], 0) end
return 1`;

interface Scripts {
  flashInit(...args: (string | number)[]): Promise<number>;
  flashAdmit(...args: (string | number)[]): Promise<[string, string?]>;
  flashRevoke(...args: (string | number)[]): Promise<number>;
  flashReturnUnit(...args: (string | number)[]): Promise<number>;
}

function keys(saleId: string): string[] {
  const tag = `bazaar:flash:{${saleId}}`;
  return [`${tag}:stock`, `${tag}:bought`, `${tag}:answers`, `${tag}:pending`, `${tag}:returned`];
}

/** Stock tokens in Redis, shared by every app node of the server size. */
export function createRedisStockTokens(url: string): StockTokens {
  const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2, enableAutoPipelining: true }) as Redis & Scripts;
  redis.defineCommand('flashInit', { numberOfKeys: 5, lua: INIT });
  redis.defineCommand('flashAdmit', { numberOfKeys: 5, lua: ADMIT });
  redis.defineCommand('flashRevoke', { numberOfKeys: 5, lua: REVOKE });
  redis.defineCommand('flashReturnUnit', { numberOfKeys: 5, lua: RETURN_UNIT });
  const prepared = new Set<string>();
  // Answers this node gave: enough for a retry that comes back to the same node after the sale
  // sold out (the shared record in Redis is one round trip away, which sold-out answers avoid).
  const answered = new LRUCache<string, string>({ max: 200_000 });

  return {
    kind: 'redis',

    async prepare(saleId, load, expiresAt) {
      if (prepared.has(saleId)) return;
      if ((await redis.exists(keys(saleId)[0]!)) === 0) {
        const state: SaleState = await load();
        await redis.flashInit(...keys(saleId), state.remaining, JSON.stringify(Object.fromEntries(state.bought)), JSON.stringify(Object.fromEntries(state.answers)), expiresAt.getTime());
      }
      prepared.add(saleId);
    },

    async admit(request: AdmitRequest): Promise<Admission> {
      const pending = JSON.stringify({ customerId: request.customerId, idempotencyKey: request.idempotencyKey, at: request.at });
      const [outcome, orderId] = await redis.flashAdmit(
        ...keys(request.saleId),
        request.customerId,
        answerKey(request.customerId, request.idempotencyKey),
        request.orderId,
        request.limit,
        pending,
      );
      if (outcome === 'admitted' || outcome === 'replayed') {
        answered.set(`${request.saleId}/${answerKey(request.customerId, request.idempotencyKey)}`, orderId!);
        return { outcome, orderId: orderId! };
      }
      if (outcome === 'unprepared') prepared.delete(request.saleId);
      return { outcome: outcome as 'sold_out' | 'limit_reached' | 'unprepared' };
    },

    knownAnswer(saleId, customerId, idempotencyKey) {
      return answered.get(`${saleId}/${answerKey(customerId, idempotencyKey)}`);
    },

    async confirm(saleId, orderIds) {
      if (orderIds.length > 0) await redis.hdel(keys(saleId)[3]!, ...orderIds);
    },

    async revoke(saleId, admission, returnUnit) {
      answered.delete(`${saleId}/${answerKey(admission.customerId, admission.idempotencyKey)}`);
      await redis.flashRevoke(...keys(saleId), admission.orderId, admission.customerId, answerKey(admission.customerId, admission.idempotencyKey), returnUnit ? '1' : '0');
    },

    async returnUnit(saleId, orderId, customerId) {
      return (await redis.flashReturnUnit(...keys(saleId), orderId, customerId)) === 1;
    },

    async remaining(saleId) {
      const value = await redis.get(keys(saleId)[0]!);
      return value === null ? undefined : Number(value);
    },

    async stalePending(saleId, before) {
      const entries = await redis.hgetall(keys(saleId)[3]!);
      return Object.entries(entries)
        .map(([orderId, json]) => ({ orderId, ...(JSON.parse(json) as Omit<PendingAdmission, 'orderId'>) }))
        .filter((admission) => admission.at < before);
    },

    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
