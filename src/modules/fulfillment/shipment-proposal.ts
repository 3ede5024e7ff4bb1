/**
 * Suggests shipments for what is left to ship: one per warehouse the order's units were reserved
 * from, so each parcel leaves from where its units are. Units with no warehouse left to take them
 * from (reservations of old orders, or shipments staff made line by line) come as a group of
 * their own, with no warehouse.
 */
export interface ProposalInput {
  lines: { lineNo: number; variantId: string; sku: string; ordered: number; inShipments: number }[];
  /** Units reserved per warehouse and variant, in the order warehouses should be proposed. */
  reserved: { warehouseId: string; warehouseCode: string; warehouseName: string; variantId: string; quantity: number }[];
  /** Units already in shipments that left from a named warehouse. */
  shippedFrom: { warehouseId: string; lineNo: number; quantity: number }[];
}

export interface ProposedShipment {
  warehouse: { id: string; code: string; name: string } | null;
  lines: { lineNo: number; sku: string; quantity: number }[];
}

export function proposeShipments(input: ProposalInput): ProposedShipment[] {
  // What each warehouse still holds for each variant, after the shipments that left from it.
  const held = new Map<string, number>();
  const key = (warehouseId: string, variantId: string) => `${warehouseId}\u0000${variantId}`;
  for (const row of input.reserved) held.set(key(row.warehouseId, row.variantId), (held.get(key(row.warehouseId, row.variantId)) ?? 0) + row.quantity);
  const variantOf = new Map(input.lines.map((line) => [line.lineNo, line.variantId]));
  for (const shipped of input.shippedFrom) {
    const variantId = variantOf.get(shipped.lineNo);
    if (!variantId) continue;
    const k = key(shipped.warehouseId, variantId);
    if (held.has(k)) held.set(k, Math.max(0, held.get(k)! - shipped.quantity));
  }

  const warehouses = new Map<string, ProposedShipment>();
  const unassigned: ProposedShipment = { warehouse: null, lines: [] };
  for (const line of input.lines) {
    let remaining = line.ordered - line.inShipments;
    for (const row of input.reserved) {
      if (remaining <= 0) break;
      if (row.variantId !== line.variantId) continue;
      const k = key(row.warehouseId, row.variantId);
      const take = Math.min(remaining, held.get(k) ?? 0);
      if (take <= 0) continue;
      held.set(k, held.get(k)! - take);
      remaining -= take;
      let group = warehouses.get(row.warehouseId);
      if (!group) {
        group = { warehouse: { id: row.warehouseId, code: row.warehouseCode, name: row.warehouseName }, lines: [] };
        warehouses.set(row.warehouseId, group);
      }
      addLine(group, line.lineNo, line.sku, take);
    }
    if (remaining > 0) addLine(unassigned, line.lineNo, line.sku, remaining);
  }
  return [...warehouses.values(), ...(unassigned.lines.length > 0 ? [unassigned] : [])];
}

function addLine(group: ProposedShipment, lineNo: number, sku: string, quantity: number): void {
  const existing = group.lines.find((line) => line.lineNo === lineNo);
  if (existing) existing.quantity += quantity;
  else group.lines.push({ lineNo, sku, quantity });
}
