import type { Database, Tx } from '../../infra/db/database.ts';
import type { ShippingAddress } from '../../infra/db/schema.ts';
import { appendEvents, type DomainEvent } from '../../infra/outbox/outbox.ts';
import type { Clock } from '../../platform/clock.ts';
import { NotFound, Unprocessable } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Platform } from '../tenants/platform.ts';
import * as store from './address-book-store.ts';

export const MAX_ADDRESSES = 50;

export interface SavedAddress {
  id: string;
  address: ShippingAddress;
  isDefault: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * A customer's shipping addresses. While any exist exactly one is the default: the first one
 * added is, making another the default moves it, and removing the default hands it to the newest
 * address left. Another customer's address is not found.
 */
export interface AddressBook {
  list(platform: Platform, customerId: string): Promise<SavedAddress[]>;
  add(platform: Platform, customerId: string, input: { address: ShippingAddress; makeDefault?: boolean | undefined }): Promise<SavedAddress>;
  replace(platform: Platform, customerId: string, addressId: string, address: ShippingAddress): Promise<SavedAddress>;
  remove(platform: Platform, customerId: string, addressId: string): Promise<void>;
  makeDefault(platform: Platform, customerId: string, addressId: string): Promise<SavedAddress>;
}

export function createAddressBook(deps: { db: Database; clock: Clock }): AddressBook {
  const { db, clock } = deps;

  const event = (customerId: string, type: string, payload: Record<string, unknown>): DomainEvent => ({
    type: `customer.${type}`,
    aggregateType: 'customer',
    aggregateId: customerId,
    payload,
  });
  const defaultMoved = (customerId: string, addressId: string, previousAddressId: string | null) =>
    event(customerId, 'default_address_changed', { addressId, previousAddressId });

  async function mustFind(tx: Tx, customerId: string, addressId: string): Promise<store.AddressRow> {
    const row = await store.findAddress(tx, customerId, addressId);
    if (!row) throw notFound();
    return row;
  }

  return {
    async list(platform, customerId) {
      return (await db.withTenant(platform.id, (tx) => store.listAddresses(tx, customerId))).map(savedAddress);
    },

    async add(platform, customerId, input) {
      return db.withTenant(platform.id, async (tx) => {
        await store.lockAddressBook(tx, platform.id, customerId);
        const { count, defaultId } = await store.countAddresses(tx, customerId);
        if (count >= MAX_ADDRESSES) {
          throw new Unprocessable('address_book_full', `An address book holds at most ${MAX_ADDRESSES} addresses; remove one first.`);
        }
        const at = clock.now();
        const isDefault = defaultId === null || input.makeDefault === true;
        if (isDefault && defaultId !== null) await store.clearDefault(tx, customerId, at);
        const row = await store.insertAddress(tx, { tenantId: platform.id, id: newId('adr'), customerId, address: input.address, isDefault, at });
        const events = [event(customerId, 'address_added', { addressId: row.id, isDefault })];
        if (isDefault) events.push(defaultMoved(customerId, row.id, defaultId));
        await appendEvents(tx, platform.id, events, at);
        return savedAddress(row);
      });
    },

    async replace(platform, customerId, addressId, address) {
      return db.withTenant(platform.id, async (tx) => {
        const at = clock.now();
        const row = await store.replaceAddress(tx, customerId, addressId, address, at);
        if (!row) throw notFound();
        await appendEvents(tx, platform.id, [event(customerId, 'address_updated', { addressId })], at);
        return savedAddress(row);
      });
    },

    async remove(platform, customerId, addressId) {
      await db.withTenant(platform.id, async (tx) => {
        await store.lockAddressBook(tx, platform.id, customerId);
        const removed = await store.deleteAddress(tx, customerId, addressId);
        if (!removed) throw notFound();
        const at = clock.now();
        const events = [event(customerId, 'address_removed', { addressId, wasDefault: removed.isDefault })];
        if (removed.isDefault) {
          const next = await store.promoteNewest(tx, customerId, at);
          if (next) events.push(defaultMoved(customerId, next.id, addressId));
        }
        await appendEvents(tx, platform.id, events, at);
      });
    },

    async makeDefault(platform, customerId, addressId) {
      return db.withTenant(platform.id, async (tx) => {
        await store.lockAddressBook(tx, platform.id, customerId);
        const target = await mustFind(tx, customerId, addressId);
        if (target.isDefault) return savedAddress(target);
        const { defaultId } = await store.countAddresses(tx, customerId);
        const at = clock.now();
        await store.clearDefault(tx, customerId, at);
        const row = await store.setDefault(tx, customerId, addressId, at);
        await appendEvents(tx, platform.id, [defaultMoved(customerId, addressId, defaultId)], at);
        return savedAddress(row!);
      });
    },
  };
}

const notFound = () => new NotFound('address_not_found', 'No such address in your address book.');

function savedAddress(row: store.AddressRow): SavedAddress {
  return { id: row.id, address: row.address, isDefault: row.isDefault, createdAt: row.createdAt, updatedAt: row.updatedAt };
}
