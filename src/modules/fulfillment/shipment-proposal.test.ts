import { describe, expect, it } from 'vitest';
import { proposeShipments } from './shipment-proposal.ts';

const wh = (id: string) => ({ warehouseId: id, warehouseCode: id, warehouseName: id.toUpperCase() });

describe('proposeShipments', () => {
  it('one parcel per warehouse, a variant split where its units were reserved', () => {
    const proposal = proposeShipments({
      lines: [
        { lineNo: 1, variantId: 'tea', sku: 'TEA', ordered: 5, inShipments: 0 },
        { lineNo: 2, variantId: 'mug', sku: 'MUG', ordered: 1, inShipments: 0 },
      ],
      reserved: [
        { ...wh('east'), variantId: 'tea', quantity: 3 },
        { ...wh('west'), variantId: 'tea', quantity: 2 },
        { ...wh('west'), variantId: 'mug', quantity: 1 },
      ],
      shippedFrom: [],
    });
    expect(proposal).toEqual([
      { warehouse: { id: 'east', code: 'east', name: 'EAST' }, lines: [{ lineNo: 1, sku: 'TEA', quantity: 3 }] },
      { warehouse: { id: 'west', code: 'west', name: 'WEST' }, lines: [{ lineNo: 1, sku: 'TEA', quantity: 2 }, { lineNo: 2, sku: 'MUG', quantity: 1 }] },
    ]);
  });

  it('leaves out what shipped, from its warehouse or line by line; units with no warehouse come last', () => {
    const proposal = proposeShipments({
      lines: [
        { lineNo: 1, variantId: 'tea', sku: 'TEA', ordered: 5, inShipments: 4 },
        { lineNo: 2, variantId: 'old', sku: 'OLD', ordered: 2, inShipments: 0 },
      ],
      reserved: [
        { ...wh('east'), variantId: 'tea', quantity: 3 },
        { ...wh('west'), variantId: 'tea', quantity: 2 },
      ],
      // 3 left from east; 1 more went in a parcel that named no warehouse.
      shippedFrom: [{ warehouseId: 'east', lineNo: 1, quantity: 3 }],
    });
    expect(proposal).toEqual([
      { warehouse: { id: 'west', code: 'west', name: 'WEST' }, lines: [{ lineNo: 1, sku: 'TEA', quantity: 1 }] },
      { warehouse: null, lines: [{ lineNo: 2, sku: 'OLD', quantity: 2 }] },
    ]);
  });

  it('nothing left, nothing proposed', () => {
    expect(proposeShipments({ lines: [{ lineNo: 1, variantId: 'tea', sku: 'TEA', ordered: 1, inShipments: 1 }], reserved: [{ ...wh('east'), variantId: 'tea', quantity: 1 }], shippedFrom: [] })).toEqual([]);
  });
});
