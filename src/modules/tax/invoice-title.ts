import { z } from 'zod';
import { email, text } from '../../platform/validation.ts';

/**
 * A Chinese unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters whose last
 * is a check character over the first 17. Older 15- and 20-character taxpayer numbers are still
 * printed on invoices, so those pass on their shape alone.
 */
const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function isValidTaxId(value: string): boolean {
  if (/^[0-9A-Z]{15}$|^[0-9A-Z]{20}$/.test(value)) return true;
  if (value.length !== 18 || [...value].some((char) => !USCC_CHARSET.includes(char))) return false;
  const sum = USCC_WEIGHTS.reduce((total, weight, index) => total + USCC_CHARSET.indexOf(value[index]!) * weight, 0);
  return USCC_CHARSET[(31 - (sum % 31)) % 31] === value[17];
}

/** 发票抬头: what a shopper asks to be printed on the invoice. */
export const InvoiceRequestSchema = z
  .object({
    titleType: z.enum(['personal', 'company']),
    title: text(100),
    taxId: z
      .string()
      .transform((value) => value.trim().toUpperCase())
      .refine(isValidTaxId, 'a unified social credit code (18 characters) or a 15- or 20-character taxpayer number')
      .optional(),
    email: email.optional(),
  })
  .strict()
  .refine((invoice) => invoice.titleType === 'personal' || invoice.taxId !== undefined, { message: 'a company invoice needs the tax id', path: ['taxId'] });
export type InvoiceRequest = z.output<typeof InvoiceRequestSchema>;
