import type { Database, Tx } from '../../infra/db/database.ts';
import { appendEvent, eventsInsert } from '../../infra/outbox/outbox.ts';
import type { Clock } from '../../platform/clock.ts';
import { Conflict, NotFound, Unprocessable } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { reservedWarehouses } from '../inventory/index.ts';
import { findOrderForUpdate, recordFulfilment } from '../orders/index.ts';
import type { OrderStatus } from '../../infra/db/schema.ts';
import type { Platform } from '../tenants/platform.ts';
import type { Carrier } from './fulfillment-schema.ts';
import * as store from './fulfillment-store.ts';
import { proposeShipments, type ProposedShipment } from './shipment-proposal.ts';

export interface CarrierInput {
  carrier: Carrier;
  carrierName?: string | undefined;
  trackingNumber: string;
}

export interface CreateShipmentInput extends CarrierInput {
  lines?: { lineNo: number; quantity: number }[] | undefined;
  warehouseId?: string | undefined;
  shipped: boolean;
}

export interface ShipmentView {
  id: string;
  orderId: string;
  warehouseId: string | null;
  carrier: string;
  carrierName: string | null;
  trackingNumber: string;
  status: store.ShipmentStatus;
  createdAt: Date;
  shippedAt: Date | null;
  deliveredAt: Date | null;
  lines: { lineNo: number; sku: string; quantity: number }[];
}

/** The order's shipments, what each line has left to ship, and when the order was delivered. */
export interface OrderFulfillment {
  shipments: ShipmentView[];
  lines: { lineNo: number; sku: string; ordered: number; inShipments: number; shipped: number; remaining: number }[];
  /** When the last shipment was delivered, once every unit is in a delivered shipment; else null. */
  deliveredAt: Date | null;
}

export interface FulfillmentService {
  createShipment(platform: Platform, orderId: string, input: CreateShipmentInput): Promise<ShipmentView>;
  /** Everything still to ship, as one shipment, shipped now. */
  fulfilWholeOrder(platform: Platform, orderId: string, input: CarrierInput): Promise<ShipmentView>;
  markShipped(platform: Platform, shipmentId: string): Promise<ShipmentView>;
  correctTracking(platform: Platform, shipmentId: string, input: CarrierInput): Promise<ShipmentView>;
  markDelivered(platform: Platform, shipmentId: string): Promise<ShipmentView>;
  /** Another platform's order is not found; with `customerId`, neither is another customer's. */
  orderFulfillment(platform: Platform, orderId: string, customerId?: string): Promise<OrderFulfillment>;
  /** Shipments to suggest for what is left: one per warehouse the units were reserved from. */
  proposeShipments(platform: Platform, orderId: string): Promise<ProposedShipment[]>;
}

const SHIPPABLE: readonly OrderStatus[] = ['paid', 'partially_fulfilled', 'fulfilled', 'completed', 'partially_refunded'];

export function createFulfillmentService(deps: { db: Database; clock: Clock }): FulfillmentService {
  const { db, clock } = deps;

  /** The order, locked: every change to its shipments queues here, so the guards see each other's writes. */
  async function lockOrder(tx: Tx, orderId: string) {
    const order = await findOrderForUpdate(tx, orderId);
    if (!order) throw new NotFound('order_not_found', 'No such order.');
    return order;
  }

  async function lockShipment(tx: Tx, shipmentId: string) {
    const found = await store.findShipment(tx, shipmentId);
    if (!found) throw new NotFound('shipment_not_found', 'No such shipment.');
    // Order first, then the shipment: the order in which every writer takes them.
    await lockOrder(tx, found.orderId);
    return (await store.findShipment(tx, shipmentId, { lock: true }))!;
  }

  /** After units shipped: the order's status follows (partially fulfilled or fulfilled). */
  async function followShipped(tx: Tx, tenantId: string, orderId: string, trackingNumber: string, at: Date): Promise<void> {
    const progress = await store.lineProgress(tx, orderId);
    const orderedUnits = progress.reduce((sum, line) => sum + line.ordered, 0);
    const shippedUnits = progress.reduce((sum, line) => sum + line.shipped, 0);
    await recordFulfilment(tx, tenantId, orderId, { shippedUnits, orderedUnits, trackingNumber }, at);
  }

  async function createInTx(tx: Tx, platform: Platform, orderId: string, input: CreateShipmentInput): Promise<ShipmentView> {
    const order = await lockOrder(tx, orderId);
    // Paid and neither cancelled nor refunded in full; how much is left to ship is the guard's to say.
    if (!SHIPPABLE.includes(order.status)) {
      throw new Conflict('illegal_transition', `An order that is ${order.status.replaceAll('_', ' ')} cannot be shipped.`);
    }
    // An edit made the order dearer: what it added is paid for before anything leaves.
    if (Number(order.balanceDue) > 0) throw new Conflict('balance_due', `This order still owes ${order.balanceDue} since it was edited; it ships once that is paid.`);
    const progress = await store.lineProgress(tx, orderId);
    if (input.warehouseId && !(await store.warehouseExists(tx, input.warehouseId))) {
      throw new NotFound('warehouse_not_found', 'No such warehouse.');
    }
    const lines = input.lines ?? (await linesToShip(tx, orderId, progress, input.warehouseId));
    if (lines.length === 0) throw new Conflict('nothing_to_ship', 'Every unit of this order is in a shipment already.');
    const at = clock.now();
    const shipment: store.NewShipment = {
      tenantId: platform.id,
      id: newId('shp'),
      orderId,
      warehouseId: input.warehouseId ?? null,
      carrier: input.carrier,
      carrierName: input.carrierName ?? null,
      trackingNumber: input.trackingNumber,
      shippedAt: input.shipped ? at : null,
      at,
      lines,
    };
    const payload = { orderId, carrier: shipment.carrier, trackingNumber: shipment.trackingNumber, lines };
    const events = [
      { type: 'shipment.created', aggregateType: 'shipment', aggregateId: shipment.id, payload },
      ...(input.shipped ? [{ type: 'shipment.shipped', aggregateType: 'shipment', aggregateId: shipment.id, payload }] : []),
    ];
    const written = await store.insertShipment(tx, shipment, eventsInsert(tx, platform.id, events, at, store.SHIPMENT_WRITTEN));
    if (!written.written) throw refusal(written.lines);
    if (input.shipped) await followShipped(tx, platform.id, orderId, shipment.trackingNumber, at);
    const skus = new Map(progress.map((line) => [line.lineNo, line.sku]));
    return view({ ...shipment, status: input.shipped ? 'shipped' : 'created', createdAt: at, updatedAt: at, deliveredAt: null }, lines.map((line) => ({ ...line, sku: skus.get(line.lineNo)! })));
  }

  /** The shipment read back with its lines, for answers after a change. */
  async function shipmentView(tx: Tx, row: store.ShipmentRow): Promise<ShipmentView> {
    const { lines } = await store.listShipments(tx, row.orderId);
    const skus = new Map((await store.lineProgress(tx, row.orderId)).map((line) => [line.lineNo, line.sku]));
    return view(row, lines.filter((line) => line.shipmentId === row.id).map((line) => ({ lineNo: line.lineNo, quantity: line.quantity, sku: skus.get(line.lineNo)! })));
  }

  return {
    createShipment: (platform, orderId, input) => db.withTenant(platform.id, (tx) => createInTx(tx, platform, orderId, input)),

    fulfilWholeOrder: (platform, orderId, input) => db.withTenant(platform.id, (tx) => createInTx(tx, platform, orderId, { ...input, shipped: true })),

    markShipped: (platform, shipmentId) =>
      db.withTenant(platform.id, async (tx) => {
        const shipment = await lockShipment(tx, shipmentId);
        if (shipment.status !== 'created') throw new Conflict('illegal_shipment_transition', `This shipment is ${shipment.status} already.`);
        const at = clock.now();
        const updated = await store.updateShipment(tx, shipmentId, { status: 'shipped', shippedAt: at }, at);
        await appendEvent(tx, platform.id, { type: 'shipment.shipped', aggregateType: 'shipment', aggregateId: shipmentId, payload: { orderId: shipment.orderId, trackingNumber: shipment.trackingNumber } }, at);
        await followShipped(tx, platform.id, shipment.orderId, shipment.trackingNumber, at);
        return shipmentView(tx, updated);
      }),

    correctTracking: (platform, shipmentId, input) =>
      db.withTenant(platform.id, async (tx) => {
        const shipment = await lockShipment(tx, shipmentId);
        // Once delivered, the tracking is what the customer signed for: returns count from it.
        if (shipment.status === 'delivered') throw new Conflict('shipment_delivered', 'A delivered shipment keeps its tracking.');
        const at = clock.now();
        const changes = { carrier: input.carrier, carrierName: input.carrierName ?? null, trackingNumber: input.trackingNumber };
        const updated = await store.updateShipment(tx, shipmentId, changes, at);
        await appendEvent(
          tx,
          platform.id,
          { type: 'shipment.tracking_corrected', aggregateType: 'shipment', aggregateId: shipmentId, payload: { orderId: shipment.orderId, ...changes, was: shipment.trackingNumber } },
          at,
        );
        return shipmentView(tx, updated);
      }),

    markDelivered: (platform, shipmentId) =>
      db.withTenant(platform.id, async (tx) => {
        const shipment = await lockShipment(tx, shipmentId);
        if (shipment.status !== 'shipped') {
          throw new Conflict('illegal_shipment_transition', shipment.status === 'created' ? 'Mark the shipment shipped before delivered.' : 'This shipment is delivered already.');
        }
        const at = clock.now();
        const updated = await store.updateShipment(tx, shipmentId, { status: 'delivered', deliveredAt: at }, at);
        const fulfillment = fulfillmentOf(await store.lineProgress(tx, shipment.orderId), await store.listShipments(tx, shipment.orderId));
        await appendEvent(
          tx,
          platform.id,
          { type: 'shipment.delivered', aggregateType: 'shipment', aggregateId: shipmentId, payload: { orderId: shipment.orderId, orderDeliveredAt: fulfillment.deliveredAt } },
          at,
        );
        return fulfillment.shipments.find((one) => one.id === updated.id)!;
      }),

    orderFulfillment: (platform, orderId, customerId) =>
      db.withTenant(platform.id, async (tx) => {
        const owner = await store.findOrderCustomer(tx, orderId);
        if (owner === undefined || (customerId !== undefined && owner !== customerId)) throw new NotFound('order_not_found', 'No such order.');
        const shipments = await store.listShipments(tx, orderId);
        return fulfillmentOf(await store.lineProgress(tx, orderId), shipments);
      }),

    proposeShipments: (platform, orderId) =>
      db.withTenant(platform.id, async (tx) => {
        if ((await store.findOrderCustomer(tx, orderId)) === undefined) throw new NotFound('order_not_found', 'No such order.');
        return proposalFor(tx, orderId, await store.lineProgress(tx, orderId));
      }),
  };
}

async function proposalFor(tx: Tx, orderId: string, progress: store.LineProgress[]): Promise<ProposedShipment[]> {
  const { shipments, lines } = await store.listShipments(tx, orderId);
  const warehouseOf = new Map(shipments.map((shipment) => [shipment.id, shipment.warehouseId]));
  const shippedFrom = lines.flatMap((line) => {
    const warehouseId = warehouseOf.get(line.shipmentId);
    return warehouseId ? [{ warehouseId, lineNo: line.lineNo, quantity: line.quantity }] : [];
  });
  return proposeShipments({ lines: progress, reserved: await reservedWarehouses(tx, orderId), shippedFrom });
}

/** What a shipment carries when staff name a warehouse (its share) or nothing (all that is left). */
async function linesToShip(tx: Tx, orderId: string, progress: store.LineProgress[], warehouseId: string | undefined) {
  if (!warehouseId) return progress.filter((line) => line.ordered > line.inShipments).map((line) => ({ lineNo: line.lineNo, quantity: line.ordered - line.inShipments }));
  const share = (await proposalFor(tx, orderId, progress)).find((group) => group.warehouse?.id === warehouseId);
  return (share?.lines ?? []).map(({ lineNo, quantity }) => ({ lineNo, quantity }));
}

/** Why the guard refused: a line the order doesn't have (422), or more units than are left (409). */
function refusal(lines: store.CheckedLine[]) {
  const unknown = lines.filter((line) => line.remaining === null);
  if (unknown.length > 0) {
    return new Unprocessable('unknown_order_line', 'The order has no such line.', unknown.map((line) => ({ path: `body.lines.${line.lineNo}`, message: 'no such line' })));
  }
  const over = lines.filter((line) => line.remaining !== null && line.quantity > line.remaining);
  return new Conflict(
    'exceeds_unshipped',
    'More units than the order has left to ship.',
    over.map((line) => ({ path: `body.lines.${line.lineNo}`, message: `${line.remaining} left to ship, ${line.quantity} asked` })),
  );
}

function view(row: Omit<store.ShipmentRow, 'tenantId' | 'updatedAt'> & { updatedAt?: Date }, lines: ShipmentView['lines']): ShipmentView {
  return {
    id: row.id,
    orderId: row.orderId,
    warehouseId: row.warehouseId,
    carrier: row.carrier,
    carrierName: row.carrierName,
    trackingNumber: row.trackingNumber,
    status: row.status,
    createdAt: row.createdAt,
    shippedAt: row.shippedAt,
    deliveredAt: row.deliveredAt,
    lines,
  };
}

function fulfillmentOf(progress: store.LineProgress[], { shipments, lines }: { shipments: store.ShipmentRow[]; lines: store.ShipmentLineRow[] }): OrderFulfillment {
  const skus = new Map(progress.map((line) => [line.lineNo, line.sku]));
  const views = shipments.map((shipment) =>
    view(shipment, lines.filter((line) => line.shipmentId === shipment.id).map((line) => ({ lineNo: line.lineNo, quantity: line.quantity, sku: skus.get(line.lineNo)! }))),
  );
  const allInShipments = progress.length > 0 && progress.every((line) => line.inShipments >= line.ordered);
  const allDelivered = views.length > 0 && views.every((shipment) => shipment.deliveredAt !== null);
  const deliveredAt = allInShipments && allDelivered ? new Date(Math.max(...views.map((shipment) => shipment.deliveredAt!.getTime()))) : null;
  return {
    shipments: views,
    lines: progress.map((line) => ({ lineNo: line.lineNo, sku: line.sku, ordered: line.ordered, inShipments: line.inShipments, shipped: line.shipped, remaining: line.ordered - line.inShipments })),
    deliveredAt,
  };
}
