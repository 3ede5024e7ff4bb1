import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Database } from '../../infra/db/database.ts';
import { appendEvent } from '../../infra/outbox/outbox.ts';
import type { Clock } from '../../platform/clock.ts';
import { Conflict, Gone, Invalid, NotFound, RateLimited } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Platform } from '../tenants/platform.ts';
import { generateGiftCardCode, hashGiftCardCode, lastFour, maskGiftCardCode, normalizeGiftCardCode } from './gift-card-code.ts';
import * as cards from './gift-card-store.ts';
import { accountId, accountMovements, fingerprint, settleMovement, type AccountMovement } from './ledger-store.ts';
import { transferPlan } from './tender-store.ts';

export interface GiftCardView {
  id: string;
  /** Masked: only the last four characters. */
  code: string;
  currency: string;
  initialAmount: number;
  balance: number;
  status: 'active' | 'disabled' | 'expired';
  expiresAt: Date | null;
  note: string | null;
  createdAt: Date;
}

export interface IssueGiftCardInput {
  amount: number;
  currency?: string | undefined;
  expiresAt?: Date | undefined;
  note?: string | undefined;
  /** A retry with the same key and content returns the card issued first (its code no longer shown). */
  idempotencyKey?: string | undefined;
}

export interface GiftCardService {
  /** `code` is the full code, shown this once; null on a replay. */
  issue(platform: Platform, staffId: string, input: IssueGiftCardInput): Promise<{ giftCard: GiftCardView; code: string | null; replayed: boolean }>;
  list(platform: Platform, filter: { search?: string | undefined; status?: 'active' | 'disabled' | undefined; limit: number }): Promise<GiftCardView[]>;
  get(platform: Platform, id: string): Promise<GiftCardView & { movements: AccountMovement[] }>;
  setStatus(platform: Platform, id: string, status: 'active' | 'disabled'): Promise<GiftCardView>;
  /** A shopper's balance check. `client` is who asks (their address), for the throttle. */
  checkBalance(platform: Platform, code: string, client: string): Promise<Pick<GiftCardView, 'code' | 'currency' | 'balance' | 'expiresAt'>>;
}

export interface GiftCardServiceOptions {
  /** Wrong codes one address may try on a platform per 10 minutes (guessing needs many). */
  failedLookupsPerAddress?: number;
}

export function createGiftCardService(deps: { db: Database; clock: Clock } & GiftCardServiceOptions): GiftCardService {
  const { db, clock } = deps;
  const failedLookups = new RateLimiterMemory({ keyPrefix: 'gift-card-lookup', points: deps.failedLookupsPerAddress ?? 30, duration: 600 });

  const view = (row: cards.GiftCardRow): GiftCardView => ({
    id: row.id,
    code: maskGiftCardCode(row.codeLast4),
    currency: row.currency,
    initialAmount: row.initialAmount,
    balance: row.balance,
    status: row.status === 'active' && row.expiresAt && row.expiresAt <= clock.now() ? 'expired' : row.status,
    expiresAt: row.expiresAt,
    note: row.note,
    createdAt: row.createdAt,
  });

  return {
    async issue(platform, staffId, input) {
      const currency = input.currency ?? platform.defaultCurrency;
      if (!platform.currencies.includes(currency)) throw new Invalid('invalid_gift_card', `${currency} is not a currency of this platform.`, [{ path: 'body.currency', message: 'not sold in' }]);
      const now = clock.now();
      if (input.expiresAt && input.expiresAt <= now) throw new Invalid('invalid_gift_card', 'A gift card expires in the future.', [{ path: 'body.expiresAt', message: 'in the past' }]);
      const code = generateGiftCardCode();
      const normalized = normalizeGiftCardCode(code)!;
      const id = newId('gc');
      const account = accountId('gift_card', id, currency);
      const content = { amount: input.amount, currency, expiresAt: input.expiresAt?.toISOString() ?? null, note: input.note ?? null };
      const settled = await db.withTenant(platform.id, (tx) =>
        settleMovement(tx, {
          kind: 'giftcard.issued',
          idempotencyKey: input.idempotencyKey ? `giftcard.issue:${input.idempotencyKey}` : `giftcard.issue:${id}`,
          fingerprint: fingerprint({ kind: 'giftcard.issued', ...content }),
          orderId: null,
          memo: { giftCardId: id, staffId },
          event: { aggregateType: 'gift_card', aggregateId: id, payload: { giftCardId: id, expiresAt: content.expiresAt, code: maskGiftCardCode(lastFour(normalized)) } },
          at: now,
          plan: transferPlan({ fromId: accountId('gift_card_issuance', '', currency), toId: account, amount: input.amount, currency, fromIsSource: true }),
          alongside: cards.insertCardAlongside({
            id,
            codeHash: hashGiftCardCode(normalized),
            codeLast4: lastFour(normalized),
            currency,
            initialAmount: input.amount,
            accountId: account,
            status: 'active',
            expiresAt: input.expiresAt ?? null,
            note: input.note ?? null,
            issuedBy: staffId,
            createdAt: now,
          }),
        }),
      );
      if (settled.outcome === 'key_reused') throw new Conflict('idempotency_key_reused', 'This Idempotency-Key was already used for another gift card; send a new one.');
      if (settled.outcome !== 'moved') throw new Error(`issuing a gift card settled as ${settled.outcome}`);
      const issuedId = settled.replayed ? settled.legs[0]!.toId.split(':')[1]! : id;
      const row = await db.withTenant(platform.id, (tx) => cards.findCard(tx, issuedId));
      return { giftCard: view(row!), code: settled.replayed ? null : code, replayed: settled.replayed };
    },

    async list(platform, filter) {
      return (await db.withTenant(platform.id, (tx) => cards.listCards(tx, filter))).map(view);
    },

    async get(platform, id) {
      const found = await db.withTenant(platform.id, async (tx) => {
        const row = await cards.findCard(tx, id);
        return row && { row, movements: await accountMovements(tx, [row.accountId]) };
      });
      if (!found) throw new NotFound('gift_card_not_found', 'There is no such gift card.');
      return { ...view(found.row), movements: found.movements };
    },

    async setStatus(platform, id, status) {
      const row = await db.withTenant(platform.id, async (tx) => {
        if (await cards.setCardStatus(tx, id, status)) {
          await appendEvent(tx, platform.id, { type: status === 'disabled' ? 'giftcard.disabled' : 'giftcard.enabled', aggregateType: 'gift_card', aggregateId: id, payload: { giftCardId: id } }, clock.now());
        }
        return cards.findCard(tx, id);
      });
      if (!row) throw new NotFound('gift_card_not_found', 'There is no such gift card.');
      return view(row);
    },

    async checkBalance(platform, typed, client) {
      const throttleKey = `${platform.id}|${client}`;
      const failures = await failedLookups.get(throttleKey);
      if (failures && failures.consumedPoints >= (deps.failedLookupsPerAddress ?? 30)) {
        throw new RateLimited('gift_card_lookups_throttled', 'Too many unknown gift card codes from this address; try again later.', failures.msBeforeNext / 1000);
      }
      const normalized = normalizeGiftCardCode(typed);
      const row = normalized ? await db.withTenant(platform.id, (tx) => cards.findCardByHash(tx, hashGiftCardCode(normalized))) : undefined;
      if (!row) {
        await failedLookups.penalty(throttleKey, 1);
        throw new NotFound('gift_card_not_found', 'There is no gift card with this code.');
      }
      const card = view(row);
      if (card.status === 'disabled') throw new Gone('gift_card_disabled', 'This gift card has been disabled.');
      if (card.status === 'expired') throw new Gone('gift_card_expired', 'This gift card has expired.');
      return { code: card.code, currency: card.currency, balance: card.balance, expiresAt: card.expiresAt };
    },
  };
}
