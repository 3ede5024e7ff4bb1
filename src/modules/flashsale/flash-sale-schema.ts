import { z } from 'zod';
import { currencyCode, id, minorUnits } from '../../platform/validation.ts';
import { IdempotencyHeaders, ShippingAddressSchema } from '../orders/order-schema.ts';

const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value));

export const CreateFlashSaleBody = z
  .object({
    variantId: id('var'),
    price: minorUnits,
    currency: currencyCode.optional(),
    quantity: z.number().int().min(1).max(1_000_000),
    perCustomerLimit: z.number().int().min(1).max(100).default(1),
    startsAt: instant,
    endsAt: instant,
    paymentMinutes: z.number().int().min(1).max(24 * 60).default(5),
  })
  .strict()
  .refine((body) => body.endsAt > body.startsAt, { message: 'must be after startsAt', path: ['endsAt'] });
export type CreateFlashSaleInput = z.output<typeof CreateFlashSaleBody>;

export const FlashSaleParams = z.object({ id: id('fs') }).strict();

export const AttemptBody = z
  .object({
    token: z.string().max(300).regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.\d{1,16}\.[A-Za-z0-9_-]+$/, 'a purchase token from /purchase-token'),
    shippingAddress: ShippingAddressSchema,
  })
  .strict();

export { IdempotencyHeaders };
