import { z } from 'zod';
import { id, pageLimit, text } from '../../platform/validation.ts';
import { CARRIERS, trackingNumber } from '../fulfillment/index.ts';
import { RETURN_STATES, RETURN_TYPES } from './returns-store.ts';

export const MAX_RETURN_PHOTOS = 6;

/** Why the customer asks; `other` with the free text. */
export const RETURN_REASONS = ['damaged', 'wrong_item', 'not_as_described', 'quality_issue', 'size_fit', 'missing_parts', 'changed_mind', 'other'] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

const tenant = z.string().max(40).optional();

export const OrderParams = z.object({ id: id('ord') }).strict();
export const ReturnParams = z.object({ id: id('ret') }).strict();

export const CreateReturnBody = z
  .object({
    type: z.enum(RETURN_TYPES),
    lines: z
      .array(
        z
          .object({
            lineNo: z.number().int().min(1).max(1000),
            quantity: z.number().int().min(1).max(1_000_000),
            // An exchange for another variant of the same product; without it, the same one again.
            exchangeFor: id('var').optional(),
          })
          .strict(),
      )
      .min(1)
      .max(100),
    reasonCode: z.enum(RETURN_REASONS),
    reasonText: text(1000).optional(),
    photoIds: z.array(id('file')).max(MAX_RETURN_PHOTOS).default([]),
  })
  .strict()
  .refine((body) => new Set(body.lines.map((line) => line.lineNo)).size === body.lines.length, { message: 'each line once', path: ['lines'] })
  .refine((body) => new Set(body.photoIds).size === body.photoIds.length, { message: 'each photo once', path: ['photoIds'] })
  .refine((body) => body.type === 'exchange' || body.lines.every((line) => line.exchangeFor === undefined), { message: 'only an exchange names a variant to send', path: ['lines'] });
export type CreateReturnInput = z.output<typeof CreateReturnBody>;

/** The parcel the customer sends back: the same carriers and tracking rules as outgoing shipments. */
export const ReturnShipmentBody = z.object({ carrier: z.enum(CARRIERS), carrierName: text(100).optional(), trackingNumber }).strict();
export type ReturnShipmentInput = z.output<typeof ReturnShipmentBody>;

export const RejectReturnBody = z.object({ reason: text(500) }).strict();

/** What staff found in the parcel: every returned unit of every line is restocked or written off. */
export const ReceiveReturnBody = z
  .object({
    lines: z
      .array(z.object({ lineNo: z.number().int().min(1).max(1000), restock: z.number().int().min(0).max(1_000_000), writeOff: z.number().int().min(0).max(1_000_000) }).strict())
      .min(1)
      .max(100),
  })
  .strict()
  .refine((body) => new Set(body.lines.map((line) => line.lineNo)).size === body.lines.length, { message: 'each line once', path: ['lines'] });
export type ReceiveReturnInput = z.output<typeof ReceiveReturnBody>;

export const MyReturnsQuery = z.object({ tenant, orderId: id('ord').optional(), limit: pageLimit, cursor: id('ret').optional() }).strict();

export const ReturnQueueQuery = z
  .object({ tenant, state: z.enum(RETURN_STATES).optional(), orderId: id('ord').optional(), limit: pageLimit, cursor: id('ret').optional() })
  .strict();
