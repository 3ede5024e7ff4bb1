import { z } from 'zod';
import { id, text } from '../../platform/validation.ts';

/** Carriers a shipment may name; `other` with a name for anyone else. */
export const CARRIERS = ['sf', 'jd', 'yto', 'zto', 'sto', 'yunda', 'ems', 'ups', 'fedex', 'dhl', 'other'] as const;
export type Carrier = (typeof CARRIERS)[number];

/**
 * What carriers print on labels: 1-64 letters and digits, with - _ . / # or spaces between them.
 * Quotes, brackets and the like never occur in a tracking number, so they are refused.
 */
export const trackingNumber = z
  .string()
  .max(64)
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9 ._/#-]*[A-Za-z0-9])?$/, '1-64 letters and digits, with - _ . / # or spaces between them');

const carrierFields = {
  carrier: z.enum(CARRIERS),
  /** Shown instead of the code; the carrier's own name when it is `other`. */
  carrierName: text(100).optional(),
  trackingNumber,
};

export const CreateShipmentBody = z
  .object({
    ...carrierFields,
    /** The lines and units in the parcel; when left out, what the warehouse (or the order) still has to ship. */
    lines: z
      .array(z.object({ lineNo: z.number().int().min(1).max(1000), quantity: z.number().int().min(1).max(1_000_000) }).strict())
      .min(1)
      .max(100)
      .refine((lines) => new Set(lines.map((line) => line.lineNo)).size === lines.length, 'each line at most once')
      .optional(),
    warehouseId: id('wh').optional(),
    /** The parcel has left already: create it shipped. */
    shipped: z.boolean().default(false),
  })
  .strict();

export const CorrectTrackingBody = z.object(carrierFields).strict();

/** The one-click "fulfil whole order": everything still to ship, in one parcel, shipped now. */
export const FulfilBody = z
  .object({ trackingNumber, carrier: z.enum(CARRIERS).default('other'), carrierName: text(100).optional() })
  .strict();

export const OrderParams = z.object({ id: id('ord') }).strict();
export const ShipmentParams = z.object({ id: id('shp') }).strict();
