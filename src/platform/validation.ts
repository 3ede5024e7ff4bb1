import { z } from 'zod';

/**
 * Building blocks for request schemas. Every string is length-limited and must be well-formed
 * Unicode without control characters (PostgreSQL text cannot hold NUL, and control characters
 * in names are never intended), so hostile input is refused at the edge with a 400.
 */
// Control characters other than tab, line feed and carriage return.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export function text(max: number, min = 1) {
  return z
    .string()
    .min(min)
    .max(max)
    .refine((value) => value.isWellFormed(), 'must be well-formed Unicode')
    .refine((value) => !CONTROL.test(value), 'must not contain control characters');
}

export const slug = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'lowercase letters, digits and inner hyphens only');

export const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as CNY or USD')
  .refine((code) => supportedCurrencies.has(code), 'not an ISO 4217 currency');

const supportedCurrencies = new Set(Intl.supportedValuesOf('currency'));

export const localeCode = z
  .string()
  .max(35)
  .regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'a BCP 47 tag such as zh-CN or en');

/** Text in several locales: `{ "en": "Tea", "zh-CN": "茶" }`. */
export function localized(max: number) {
  return z
    .record(localeCode, text(max))
    .refine((value) => Object.keys(value).length > 0, 'needs at least one locale')
    .refine((value) => Object.keys(value).length <= 10, 'at most 10 locales');
}

/** Money in integer minor units (fen, cents), never a float. */
export const minorUnits = z.number().int().min(0).max(1_000_000_000_000);

export const email = z.string().max(254).email().transform((value) => value.toLowerCase());

export const phone = z.string().regex(/^\+?[0-9]{6,20}$/, 'digits with an optional leading +');

export const password = text(200, 8);

/** IDs are TypeIDs: `prefix_` + 26 base32 characters. */
export function id(prefix: string) {
  return z.string().regex(new RegExp(`^${prefix}_[0-9a-z]{26}$`), `a ${prefix}_… id`);
}

export const pageLimit = z.coerce.number().int().min(1).max(100).default(20);

export const cursor = z.string().max(500).regex(/^[A-Za-z0-9_-]+$/, 'an opaque cursor from a previous page');
