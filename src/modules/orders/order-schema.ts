import { z } from 'zod';
import { cursor, id, pageLimit, text } from '../../platform/validation.ts';
import { InvoiceRequestSchema } from '../tax/invoice-title.ts';
import { MAX_LINE_QUANTITY } from '../cart/cart-service.ts';

export const ShippingAddressSchema = z
  .object({
    name: text(100),
    phone: z.string().regex(/^\+?[0-9 -]{6,20}$/, 'a phone number'),
    country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 country code such as CN'),
    province: text(100).optional(),
    city: text(100),
    district: text(100).optional(),
    line1: text(200),
    line2: text(200).optional(),
    postalCode: z.string().regex(/^[A-Za-z0-9 -]{2,12}$/).optional(),
  })
  .strict();

/** Gift cards and the shopper's store credit, applied in this order before the payment provider. */
const TenderInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('gift_card'), code: z.string().regex(/^[A-Za-z0-9 -]{4,40}$/, 'a gift card code') }).strict(),
  z.object({ kind: z.literal('store_credit') }).strict(),
]);

export const CheckoutBody = z
  .object({
    shippingAddress: ShippingAddressSchema,
    shippingMethodId: id('shm').optional(),
    invoice: InvoiceRequestSchema.optional(),
    tenders: z.array(TenderInput).min(1).max(5).optional(),
  })
  .strict();

export const IdempotencyHeaders = z.object({
  'idempotency-key': z.string().regex(/^[A-Za-z0-9_.:-]{8,100}$/, '8-100 letters, digits, _ . : -'),
});

export const OrderParams = z.object({ id: id('ord') }).strict();
export const CartParams = z.object({ id: id('cart') }).strict();

const ORDER_STATUS = z.enum(['pending_payment', 'paid', 'partially_fulfilled', 'fulfilled', 'completed', 'cancelled', 'partially_refunded', 'refunded']);

export const OrderListQuery = z
  .object({ status: ORDER_STATUS.optional(), q: text(120).optional(), limit: pageLimit, cursor: cursor.optional(), tenant: z.string().max(40).optional() })
  .strict();

export const CancelBody = z.object({ reason: text(200) }).strict();
export const RefundBody = z
  .object({ amount: z.number().int().min(1).max(1_000_000_000_000), reason: text(200), to: z.enum(['original', 'store_credit']).default('original') })
  .strict();

const editQuantity = z.number().int().min(0).max(MAX_LINE_QUANTITY);
export const OrderEditBody = z
  .object({
    lines: z.array(z.object({ lineNo: z.number().int().min(1), quantity: editQuantity }).strict()).max(100).default([]),
    add: z.array(z.object({ variantId: id('var'), quantity: editQuantity.min(1) }).strict()).max(100).default([]),
  })
  .strict();
export const ApplyOrderEditBody = OrderEditBody.extend({ reason: text(200) }).strict();
