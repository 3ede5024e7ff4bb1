import { sql } from 'kysely';
import type { Database } from '../../infra/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { Conflict, Invalid, NotFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Platform } from '../tenants/platform.ts';
import { accountId, accountMovements, fingerprint, settleMovement, type AccountMovement } from './ledger-store.ts';
import { transferPlan } from './tender-store.ts';

export interface StoreCreditView {
  customerId: string;
  balances: { currency: string; balance: number }[];
  /** Newest first: grants (+), payments with it (−), releases and refunds (+). */
  history: AccountMovement[];
}

export interface GrantStoreCreditInput {
  amount: number;
  currency?: string | undefined;
  reason: string;
  idempotencyKey?: string | undefined;
}

export interface StoreCreditService {
  grant(platform: Platform, staffId: string, customerId: string, input: GrantStoreCreditInput): Promise<StoreCreditView & { replayed: boolean }>;
  view(platform: Platform, customerId: string): Promise<StoreCreditView>;
  /** The id of the customer named by id or e-mail address, or customer_not_found. */
  resolve(platform: Platform, customer: { id: string } | { email: string }): Promise<string>;
}

export function createStoreCreditService(deps: { db: Database; clock: Clock }): StoreCreditService {
  const { db, clock } = deps;

  const read = (platform: Platform, customerId: string) =>
    db.withTenant(platform.id, async (tx): Promise<StoreCreditView> => {
      const accounts = await tx.selectFrom('ledgerAccounts').select(['id', 'currency', 'balance']).where('kind', '=', 'store_credit').where('ownerId', '=', customerId).orderBy('currency').execute();
      return {
        customerId,
        balances: accounts.map(({ currency, balance }) => ({ currency, balance })),
        history: await accountMovements(tx, accounts.map((account) => account.id)),
      };
    });

  /** Another platform's customer is as unknown as one that never existed. */
  const resolve = async (platform: Platform, customer: { id: string } | { email: string }): Promise<string> => {
    const found = await db.withTenant(platform.id, (tx) =>
      tx.selectFrom('customers').select('id').where('id' in customer ? 'id' : 'email', '=', 'id' in customer ? customer.id : customer.email).executeTakeFirst(),
    );
    if (!found) throw new NotFound('customer_not_found', 'There is no such customer.');
    return found.id;
  };

  return {
    resolve,
    async grant(platform, staffId, customerId, input) {
      const currency = input.currency ?? platform.defaultCurrency;
      if (!platform.currencies.includes(currency)) throw new Invalid('invalid_store_credit', `${currency} is not a currency of this platform.`, [{ path: 'body.currency', message: 'not sold in' }]);
      const settled = await db.withTenant(platform.id, (tx) =>
        settleMovement(tx, {
          kind: 'store_credit.granted',
          idempotencyKey: `store_credit.grant:${input.idempotencyKey ?? newId('lop')}`,
          fingerprint: fingerprint({ kind: 'store_credit.granted', customerId, amount: input.amount, currency, reason: input.reason }),
          orderId: null,
          memo: { reason: input.reason, staffId },
          event: { aggregateType: 'customer', aggregateId: customerId, payload: { customerId, reason: input.reason } },
          at: clock.now(),
          plan: transferPlan({
            fromId: accountId('store_credit_issuance', '', currency),
            toId: accountId('store_credit', customerId, currency),
            amount: input.amount,
            currency,
            fromIsSource: true,
            allowed: sql`exists (select 1 from customers where id = ${customerId})`,
          }),
        }),
      );
      if (settled.outcome === 'key_reused') throw new Conflict('idempotency_key_reused', 'This Idempotency-Key was already used for another grant; send a new one.');
      if (settled.outcome !== 'moved') throw new NotFound('customer_not_found', 'There is no such customer.');
      return { ...(await read(platform, customerId)), replayed: settled.replayed };
    },

    async view(platform, customerId) {
      return read(platform, customerId);
    },
  };
}
