import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../infra/db/database.ts';
import { Unprocessable } from '../../platform/errors.ts';
import { regionOf, type AddressRegion } from '../shipping/regions.ts';
import { methodFromJson, methodsOfZone, shippingConfigured, zoneOfRegion } from '../shipping/shipping-store.ts';
import { shippingCharge, type ShippingMethod } from '../shipping/shipping-rates.ts';
import { ratesAt } from '../tax/tax-store.ts';
import type { TaxRate } from '../tax/tax-rules.ts';
import type { CartLineDetail } from './cart-lines.ts';
import { shippableOf, type Destination } from './cart-pricing.ts';

/** What the database says about an address: its zone's methods and the tax rates there. */
export interface DestinationRead {
  shippingConfigured: boolean;
  zoneId: string | null;
  methods: ShippingMethod[];
  taxRates: TaxRate[];
}

export interface AddressLike {
  country: string;
  province?: string | undefined;
  city?: string | undefined;
}

/** Columns that read a DestinationRead; checkout puts them in its one read statement. */
export function destinationColumns(region: AddressRegion, methodId: string | undefined): RawBuilder<unknown> {
  const zone = zoneOfRegion(region);
  return sql`${shippingConfigured} as shipping_configured, ${zone} as zone_id, ${methodsOfZone(zone, methodId)} as methods,
             ${ratesAt(region.country, region.provinceKey)} as tax_rates`;
}

export function toDestinationRead(row: { shippingConfigured: boolean; zoneId: string | null; methods: unknown[]; taxRates: TaxRate[] }): DestinationRead {
  return { shippingConfigured: row.shippingConfigured, zoneId: row.zoneId, methods: row.methods.map(methodFromJson), taxRates: row.taxRates };
}

export async function readDestination(tx: Tx, address: AddressLike, methodId?: string): Promise<DestinationRead> {
  const result = await sql<Parameters<typeof toDestinationRead>[0]>`select ${destinationColumns(regionOf(address), methodId)}`.execute(tx);
  return toDestinationRead(result.rows[0]!);
}

/** Whether any line for sale has to be shipped (digital goods don't). */
export function needsShipping(lines: CartLineDetail[]): boolean {
  return lines.some((line) => line.forSale && line.requiresShipping);
}

/**
 * The destination an order is priced for, with `methodId` as the shopper's choice; a refusal is
 * a 422 with a stable code. A platform without zones, or an order with nothing to ship, takes no
 * method and pays no shipping.
 */
export function chooseDestination(
  read: DestinationRead,
  address: AddressLike,
  lines: CartLineDetail[],
  choice: { methodId: string | undefined; currency: string; goodsTotal: number },
): Destination {
  const region = regionOf(address);
  const base = { provinceKey: region.provinceKey, taxRates: read.taxRates, shipping: null };
  if (!read.shippingConfigured || !needsShipping(lines)) return base;
  if (read.zoneId === null) throw new Unprocessable('shipping_unavailable', `This shop does not ship to ${describe(address)}.`, [{ path: 'body.shippingAddress', message: 'not shipped to' }]);
  if (!choice.methodId) throw new Unprocessable('shipping_method_required', 'Choose a shipping method.', [{ path: 'body.shippingMethodId', message: 'required' }]);
  const method = read.methods.find((m) => m.id === choice.methodId);
  if (!method) throw methodUnavailable(`it does not deliver to ${describe(address)}`);
  const charge = shippingCharge(method, lines.filter((line) => line.forSale).map(shippableOf), choice.goodsTotal, choice.currency);
  if (!charge.available) throw methodUnavailable(charge.reason === 'currency' ? `it charges in ${method.currency}` : `it does not carry goods of the ${charge.profile} profile`);
  return { ...base, shipping: method };
}

function methodUnavailable(why: string): Unprocessable {
  return new Unprocessable('shipping_method_unavailable', `That shipping method can't be used for this order: ${why}.`, [{ path: 'body.shippingMethodId', message: 'not available' }]);
}

function describe(address: AddressLike): string {
  return [address.city, address.province, address.country].filter(Boolean).join(', ');
}
