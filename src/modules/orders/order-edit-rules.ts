/**
 * What an order comes to once its lines are edited, free of I/O. The rules:
 *
 * - A line keeps the unit price it was bought at; only its quantity changes.
 * - Units taken off a line give back their share of the line's discount (the discount scales
 *   with the quantity, rounded down, so the customer never keeps more discount than the units
 *   left earned). Units added to a line, and added lines, cost their unit price: the coupon was
 *   spread over what was bought, and an edit doesn't spend it again.
 * - Added lines are priced as the customer would pay now (catalog or price list), taxed at the
 *   rate of the order's address for their tax class.
 * - Shipping stays what was charged: the method was chosen and paid for as it was.
 * - Tax is recomputed per line by the one rule of `tax-rules.ts`; the order's tax is the sum of
 *   its lines' and shipping's.
 */
import type { OrderEditChange } from '../../infra/db/schema.ts';
import { assertWithinOrderLimit, orderTotalOf } from '../../platform/money.ts';
import { Unprocessable } from '../../platform/errors.ts';
import { taxOf } from '../tax/tax-rules.ts';
import type { OrderLineRow } from './order-store.ts';

export type EditedLine = Omit<OrderLineRow, 'tenantId' | 'orderId'>;

/** A line to add, priced and taxed for this order already. */
export type AddedLine = Omit<EditedLine, 'lineNo' | 'discount' | 'total' | 'tax'>;

export interface LineEdit {
  /** New quantities by line number; 0 removes the line. Lines not named keep theirs. */
  quantities: Map<number, number>;
  added: AddedLine[];
}

export interface EditedTotals {
  lines: EditedLine[];
  changes: OrderEditChange[];
  subtotal: number;
  discountTotal: number;
  taxTotal: number;
  total: number;
}

export function applyLineEdit(
  order: { lines: EditedLine[]; shippingTotal: number; shippingTax: number; pricesIncludeTax: boolean },
  edit: LineEdit,
  maxTotal: number,
): EditedTotals {
  const changes: OrderEditChange[] = [];
  const kept: EditedLine[] = [];
  for (const line of order.lines) {
    const quantity = edit.quantities.get(line.lineNo) ?? line.quantity;
    if (quantity !== line.quantity) changes.push({ lineNo: line.lineNo, variantId: line.variantId, sku: line.sku, from: line.quantity, to: quantity });
    if (quantity === 0) continue;
    const discount = quantity >= line.quantity ? Number(line.discount) : Number((BigInt(line.discount) * BigInt(quantity)) / BigInt(line.quantity));
    kept.push(priced({ ...line, quantity, discount }, order.pricesIncludeTax, maxTotal));
  }
  let lineNo = Math.max(0, ...order.lines.map((line) => line.lineNo));
  for (const added of edit.added) {
    lineNo += 1;
    changes.push({ lineNo, variantId: added.variantId, sku: added.sku, from: 0, to: added.quantity });
    kept.push(priced({ ...added, lineNo, discount: 0 }, order.pricesIncludeTax, maxTotal));
  }
  if (kept.length === 0) throw new Unprocessable('order_would_be_empty', 'An order keeps at least one line; cancel it instead.', [{ path: 'body.lines', message: 'removes every line' }]);

  const subtotal = orderTotalOf(kept, maxTotal);
  const discountTotal = kept.reduce((sum, line) => sum + Number(line.discount), 0);
  const taxTotal = kept.reduce((sum, line) => sum + Number(line.tax), order.shippingTax);
  const total = BigInt(subtotal - discountTotal) + BigInt(order.shippingTotal) + (order.pricesIncludeTax ? 0n : BigInt(taxTotal));
  assertWithinOrderLimit(total, maxTotal);
  return { lines: kept, changes, subtotal, discountTotal, taxTotal, total: Number(total) };
}

function priced(line: Omit<EditedLine, 'total' | 'tax'>, pricesIncludeTax: boolean, maxTotal: number): EditedLine {
  const gross = orderTotalOf([{ unitPrice: Number(line.unitPrice), quantity: line.quantity }], maxTotal);
  const total = gross - Number(line.discount);
  return { ...line, total, tax: taxOf(total, line.taxRateBp, pricesIncludeTax) };
}
