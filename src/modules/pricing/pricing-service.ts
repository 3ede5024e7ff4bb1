import type { Database, Tx } from '../../infra/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { Conflict, Invalid, NotFound, Unprocessable } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { assertSellsIn, type Platform } from '../tenants/platform.ts';
import * as store from './pricing-store.ts';

export interface PriceEntryInput {
  variantId: string;
  minQuantity: number;
  amount: number;
  compareAt?: number | null | undefined;
}

export interface PriceListInput {
  name: string;
  groupId?: string | null | undefined;
  currency: string;
  startsAt?: Date | null | undefined;
  endsAt?: Date | null | undefined;
  status?: 'active' | 'disabled' | undefined;
  prices: PriceEntryInput[];
}

export interface PriceListView {
  id: string;
  name: string;
  groupId: string | null;
  currency: string;
  startsAt: Date | null;
  endsAt: Date | null;
  status: 'active' | 'disabled';
  prices: { variantId: string; sku: string; minQuantity: number; amount: number; compareAt: number | null }[];
}

export interface PricingService {
  listGroups(platform: Platform): Promise<(store.GroupRow & { members: number })[]>;
  createGroup(platform: Platform, input: { code: string; name: Record<string, string> }): Promise<store.GroupRow>;
  deleteGroup(platform: Platform, groupId: string): Promise<void>;
  listMembers(platform: Platform, groupId: string): ReturnType<typeof store.listMembers>;
  addMembers(platform: Platform, groupId: string, who: { customerIds: string[]; emails: string[] }): Promise<{ added: number }>;
  removeMember(platform: Platform, groupId: string, customerId: string): Promise<void>;
  groupsOf(platform: Platform, customerId: string): Promise<store.GroupRow[]>;
  listPriceLists(platform: Platform): ReturnType<typeof store.listPriceLists>;
  getPriceList(platform: Platform, priceListId: string): Promise<PriceListView>;
  createPriceList(platform: Platform, input: PriceListInput): Promise<PriceListView>;
  updatePriceList(platform: Platform, priceListId: string, input: Partial<PriceListInput>): Promise<PriceListView>;
  deletePriceList(platform: Platform, priceListId: string): Promise<void>;
  /** What this shopper (null: a guest) pays for each variant now, one unit. */
  effectivePrices(platform: Platform, customerId: string | null, variantIds: string[], currency: string): ReturnType<typeof store.effectivePrices>;
  /** Per product, the lowest price this shopper pays, where a list makes it lower than the catalog's. */
  effectiveProductPrices(platform: Platform, customerId: string | null, productIds: string[], currency: string): ReturnType<typeof store.effectiveProductPrices>;
}

/** Customer groups and the price lists that give them (or everyone, for a while) other prices. */
export function createPricingService(deps: { db: Database; clock: Clock }): PricingService {
  const { db, clock } = deps;

  async function view(tx: Tx, priceListId: string): Promise<PriceListView> {
    const list = await store.findPriceList(tx, priceListId);
    if (!list) throw new NotFound('price_list_not_found', 'No such price list.');
    const prices = await store.pricesOf(tx, priceListId);
    return {
      id: list.id,
      name: list.name,
      groupId: list.groupId,
      currency: list.currency,
      startsAt: list.startsAt,
      endsAt: list.endsAt,
      status: list.status,
      prices: prices.map((p) => ({ variantId: p.variantId, sku: p.sku, minQuantity: p.minQuantity, amount: Number(p.amount), compareAt: p.compareAt === null ? null : Number(p.compareAt) })),
    };
  }

  /** Every rule a list's entries must keep; then the entries replace the list's. */
  async function writePrices(tx: Tx, platform: Platform, list: store.PriceListRow, prices: PriceEntryInput[]): Promise<void> {
    const keys = prices.map((p) => `${p.variantId}/${p.minQuantity}`);
    if (new Set(keys).size !== keys.length) throw new Invalid('duplicate_price', 'Each variant has one price per minimum quantity in a list.', [{ path: 'body.prices', message: 'duplicate variant and minQuantity' }]);
    const priced = await store.pricedVariants(tx, [...new Set(prices.map((p) => p.variantId))], list.currency);
    const unknown = prices.map((p, index) => ({ p, index })).filter(({ p }) => !priced.has(p.variantId));
    if (unknown.length > 0) {
      throw new Unprocessable(
        'variant_not_found',
        `No variant with a ${list.currency} catalog price: ${unknown.map(({ p }) => p.variantId).join(', ')}.`,
        unknown.map(({ index }) => ({ path: `body.prices.${index}.variantId`, message: 'no such variant with a price in this currency' })),
      );
    }
    if (list.status === 'active') {
      const overlaps = await store.overlappingEntries(tx, list, prices);
      if (overlaps.length > 0) {
        const first = overlaps[0]!;
        throw new Conflict('price_list_overlap', `Price list "${first.name}" prices the same variant for the same customers at the same time (${first.variantId}, from ${first.minQuantity}); change its window or drop the entry.`);
      }
    }
    await store.replacePrices(tx, platform.id, list.id, prices.map((p) => ({ variantId: p.variantId, minQuantity: p.minQuantity, amount: p.amount, compareAt: p.compareAt ?? null })));
  }

  function assertWindow(startsAt: Date | null | undefined, endsAt: Date | null | undefined): void {
    if (startsAt && endsAt && endsAt <= startsAt) throw new Invalid('invalid_window', 'A price list ends after it starts.', [{ path: 'body.endsAt', message: 'not after startsAt' }]);
  }

  return {
    listGroups: (platform) => db.withTenant(platform.id, store.listGroups),

    createGroup: (platform, input) =>
      db.withTenant(platform.id, async (tx) => {
        const row = await store.insertGroup(tx, { tenantId: platform.id, id: newId('cgr'), code: input.code, name: input.name, createdAt: clock.now() });
        if (!row) throw new Conflict('group_code_taken', `A customer group ${input.code} exists already.`);
        return row;
      }),

    deleteGroup: (platform, groupId) =>
      db.withTenant(platform.id, async (tx) => {
        if (!(await store.deleteGroup(tx, groupId))) throw new NotFound('customer_group_not_found', 'No such customer group.');
      }),

    listMembers: (platform, groupId) =>
      db.withTenant(platform.id, async (tx) => {
        if (!(await store.findGroup(tx, groupId))) throw new NotFound('customer_group_not_found', 'No such customer group.');
        return store.listMembers(tx, groupId, 500);
      }),

    addMembers: (platform, groupId, who) =>
      db.withTenant(platform.id, async (tx) => {
        if (!(await store.findGroup(tx, groupId))) throw new NotFound('customer_group_not_found', 'No such customer group.');
        const found = await store.existingCustomers(tx, who.customerIds);
        const byEmail = await store.customersByEmail(tx, who.emails);
        const missing = [...who.customerIds.filter((id) => !found.has(id)), ...who.emails.filter((email) => !byEmail.has(email.toLowerCase()))];
        if (missing.length > 0) throw new Unprocessable('customer_not_found', `No customer ${missing.join(', ')} on this platform.`, [{ path: 'body', message: 'unknown customer' }]);
        const ids = [...new Set([...who.customerIds, ...byEmail.values()])];
        return { added: await store.addMembers(tx, platform.id, groupId, ids, clock.now()) };
      }),

    removeMember: (platform, groupId, customerId) =>
      db.withTenant(platform.id, async (tx) => {
        if (!(await store.removeMember(tx, groupId, customerId))) throw new NotFound('member_not_found', 'That customer is not in this group.');
      }),

    groupsOf: (platform, customerId) => db.withTenant(platform.id, (tx) => store.groupsOf(tx, customerId)),

    listPriceLists: (platform) => db.withTenant(platform.id, store.listPriceLists),

    getPriceList: (platform, priceListId) => db.withTenant(platform.id, (tx) => view(tx, priceListId)),

    createPriceList: (platform, input) =>
      db.withTenant(platform.id, async (tx) => {
        assertSellsIn(platform, input.currency);
        assertWindow(input.startsAt, input.endsAt);
        if (input.groupId && !(await store.findGroup(tx, input.groupId))) {
          throw new Unprocessable('customer_group_not_found', 'No such customer group.', [{ path: 'body.groupId', message: 'unknown group' }]);
        }
        await store.lockPriceLists(tx, platform.id);
        const at = clock.now();
        const list: store.PriceListRow = {
          tenantId: platform.id,
          id: newId('prl'),
          name: input.name,
          groupId: input.groupId ?? null,
          currency: input.currency,
          startsAt: input.startsAt ?? null,
          endsAt: input.endsAt ?? null,
          status: input.status ?? 'active',
          createdAt: at,
          updatedAt: at,
        };
        await store.insertPriceList(tx, list);
        await writePrices(tx, platform, list, input.prices);
        return view(tx, list.id);
      }),

    updatePriceList: (platform, priceListId, input) =>
      db.withTenant(platform.id, async (tx) => {
        await store.lockPriceLists(tx, platform.id);
        const current = await store.findPriceList(tx, priceListId, { lock: true });
        if (!current) throw new NotFound('price_list_not_found', 'No such price list.');
        const merged = {
          ...current,
          name: input.name ?? current.name,
          startsAt: input.startsAt === undefined ? current.startsAt : input.startsAt,
          endsAt: input.endsAt === undefined ? current.endsAt : input.endsAt,
          status: input.status ?? current.status,
        };
        assertWindow(merged.startsAt, merged.endsAt);
        const updated = await store.updatePriceList(tx, priceListId, { name: merged.name, startsAt: merged.startsAt, endsAt: merged.endsAt, status: merged.status }, clock.now());
        const prices = input.prices ?? (await view(tx, priceListId)).prices;
        await writePrices(tx, platform, updated, prices);
        return view(tx, priceListId);
      }),

    deletePriceList: (platform, priceListId) =>
      db.withTenant(platform.id, async (tx) => {
        if (!(await store.deletePriceList(tx, priceListId))) throw new NotFound('price_list_not_found', 'No such price list.');
      }),

    effectivePrices: (platform, customerId, variantIds, currency) =>
      db.withTenant(platform.id, (tx) => store.effectivePrices(tx, variantIds, currency, { customerId, at: clock.now() })),
    effectiveProductPrices: (platform, customerId, productIds, currency) =>
      db.withTenant(platform.id, (tx) => store.effectiveProductPrices(tx, productIds, currency, { customerId, at: clock.now() })),
  };
}
