import { z } from 'zod';
import { currencyCode, email, id, text } from '../../platform/validation.ts';

const amount = z.number().int().min(1).max(1_000_000_000);
const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value));

/** Optional here (a key is made up when none is sent), and the same form as checkout's. */
export const OptionalIdempotencyHeaders = z.object({
  'idempotency-key': z.string().regex(/^[A-Za-z0-9_.:-]{8,100}$/, '8-100 letters, digits, _ . : -').optional(),
});

export const IssueGiftCardBody = z.object({ amount, currency: currencyCode.optional(), expiresAt: instant.optional(), note: text(200).optional() }).strict();

export const GiftCardParams = z.object({ id: id('gc') }).strict();

export const GiftCardListQuery = z
  .object({ q: text(100).optional(), status: z.enum(['active', 'disabled']).optional(), limit: z.coerce.number().int().min(1).max(200).default(50), tenant: z.string().max(40).optional() })
  .strict();

export const GiftCardStatusBody = z.object({ status: z.enum(['active', 'disabled']) }).strict();

export const GiftCardBalanceQuery = z.object({ code: z.string().min(1).max(40), tenant: z.string().max(40).optional() }).strict();

export const CustomerParams = z.object({ id: id('cus') }).strict();

/** Staff find a customer's credit by their e-mail address (the admin has no customer list). */
export const StoreCreditLookupQuery = z.object({ email, tenant: z.string().max(40).optional() }).strict();

export const GrantStoreCreditBody = z.object({ amount, currency: currencyCode.optional(), reason: text(200) }).strict();
