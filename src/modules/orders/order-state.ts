import type { OrderStatus } from '../../infra/db/schema.ts';
import { Conflict } from '../../platform/errors.ts';

/**
 * Where an order may go from each status. Anything else is refused with 409, so no sequence of
 * requests (or re-ordered webhooks) can move an order backwards.
 */
const NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
  pending_payment: ['paid', 'cancelled'],
  paid: ['partially_fulfilled', 'fulfilled', 'partially_refunded', 'refunded'],
  // Some units shipped; each further shipment keeps it here until the last unit ships.
  partially_fulfilled: ['partially_fulfilled', 'fulfilled', 'partially_refunded', 'refunded'],
  fulfilled: ['completed', 'partially_refunded', 'refunded'],
  completed: ['partially_refunded', 'refunded'],
  partially_refunded: ['fulfilled', 'completed', 'partially_refunded', 'refunded'],
  cancelled: [],
  refunded: [],
};

export function canMove(from: OrderStatus, to: OrderStatus): boolean {
  return NEXT[from].includes(to);
}

export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canMove(from, to)) {
    throw new Conflict('illegal_transition', `An order that is ${from.replaceAll('_', ' ')} cannot become ${to.replaceAll('_', ' ')}.`);
  }
}
