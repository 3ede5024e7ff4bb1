import { answerKey, type Admission, type AdmitRequest, type PendingAdmission, type SaleState, type StockTokens } from './stock-tokens.ts';

interface SaleCounters extends SaleState {
  pending: Map<string, PendingAdmission>;
  returned: Set<string>;
}

/**
 * Stock tokens in this process's memory, for the embedded size (one process). Every operation is
 * synchronous, so no two admissions interleave. After a crash the counters are rebuilt from the
 * database, which holds every admission that was answered.
 */
export function createMemoryStockTokens(): StockTokens {
  const sales = new Map<string, SaleCounters>();
  const loading = new Map<string, Promise<void>>();

  return {
    kind: 'memory',

    async prepare(saleId, load) {
      if (sales.has(saleId)) return;
      let pending = loading.get(saleId);
      if (!pending) {
        pending = load().then((state) => {
          sales.set(saleId, { ...state, pending: new Map(), returned: new Set() });
        });
        loading.set(saleId, pending);
        void pending.finally(() => loading.delete(saleId));
      }
      await pending;
    },

    async admit(request: AdmitRequest): Promise<Admission> {
      const sale = sales.get(request.saleId);
      if (!sale) return { outcome: 'unprepared' };
      const key = answerKey(request.customerId, request.idempotencyKey);
      const prior = sale.answers.get(key);
      if (prior) return { outcome: 'replayed', orderId: prior };
      if (sale.remaining <= 0) return { outcome: 'sold_out' };
      const held = sale.bought.get(request.customerId) ?? 0;
      if (held >= request.limit) return { outcome: 'limit_reached' };
      sale.remaining -= 1;
      sale.bought.set(request.customerId, held + 1);
      sale.answers.set(key, request.orderId);
      sale.pending.set(request.orderId, { orderId: request.orderId, customerId: request.customerId, idempotencyKey: request.idempotencyKey, at: request.at });
      return { outcome: 'admitted', orderId: request.orderId };
    },

    knownAnswer(saleId, customerId, idempotencyKey) {
      return sales.get(saleId)?.answers.get(answerKey(customerId, idempotencyKey));
    },

    async confirm(saleId, orderIds) {
      const sale = sales.get(saleId);
      for (const orderId of orderIds) sale?.pending.delete(orderId);
    },

    async revoke(saleId, admission, returnUnit) {
      const sale = sales.get(saleId);
      if (!sale || !sale.pending.delete(admission.orderId)) return;
      sale.answers.delete(answerKey(admission.customerId, admission.idempotencyKey));
      sale.bought.set(admission.customerId, Math.max(0, (sale.bought.get(admission.customerId) ?? 1) - 1));
      if (returnUnit) sale.remaining += 1;
    },

    async returnUnit(saleId, orderId, customerId) {
      const sale = sales.get(saleId);
      // Not loaded here: the next prepare() reads the returned unit from the database.
      if (!sale || sale.returned.has(orderId)) return false;
      sale.returned.add(orderId);
      sale.remaining += 1;
      sale.bought.set(customerId, Math.max(0, (sale.bought.get(customerId) ?? 1) - 1));
      return true;
    },

    async remaining(saleId) {
      return sales.get(saleId)?.remaining;
    },

    async stalePending(saleId, before) {
      return [...(sales.get(saleId)?.pending.values() ?? [])].filter((admission) => admission.at < before);
    },

    async close() {
      sales.clear();
    },
  };
}
