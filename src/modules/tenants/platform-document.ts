import { z } from 'zod';
import { currencyCode, email, localeCode, password, slug, text } from '../../platform/validation.ts';

/** Modules a platform may enable; identity and the operator API are always on. */
export const PLATFORM_MODULES = [
  'catalog',
  'cart',
  'orders',
  'payments',
  'flashsale',
  'live',
  'risk',
  'messaging',
  'releases',
  'migration',
] as const;
export type PlatformModule = (typeof PLATFORM_MODULES)[number];

const hostname = z
  .string()
  .max(253)
  .transform((value) => value.toLowerCase())
  .pipe(z.string().regex(/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'a host name such as shop.example.com'));

const hexColour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour such as #e4393c');

const ThemeSchema = z
  .object({
    primaryColor: hexColour.default('#e4393c'),
    accentColor: hexColour.default('#ff9f1a'),
    logoUrl: z.url({ protocol: /^https?$/ }).max(2000).optional(),
  })
  .strict();

const CheckoutSettingsSchema = z
  .object({ paymentTimeoutMinutes: z.number().int().min(1).max(7 * 24 * 60).default(15) })
  .strict()
  .describe('How long an unpaid order holds its stock.');

const TaxSettingsSchema = z
  .object({ pricesIncludeTax: z.boolean().default(true) })
  .strict()
  .describe('Whether catalog prices include tax (usual in China) or have it added at checkout.');

const ReturnsSettingsSchema = z
  .object({
    windowDays: z.number().int().min(0).max(365).default(7),
    shipBackDays: z.number().int().min(1).max(90).default(7),
    /** Refund-only requests for at most this amount (minor units) are approved and refunded at once; 0 turns it off. */
    autoApproveRefundOnlyBelow: z.number().int().min(0).max(100_000_000).default(0),
  })
  .strict()
  .describe('After-sales: how many days after delivery a return may be asked, how long the customer has to ship it back, and the automatic approval of small refund-only requests.');

export const DEFAULT_RETURNS_SETTINGS = { windowDays: 7, shipBackDays: 7, autoApproveRefundOnlyBelow: 0 } as const;

/**
 * The metadata document a platform is created from, by API (JSON) or CLI (YAML). Everything but
 * slug, name and default currency has a sensible default.
 */
export const PlatformDocumentSchema = z
  .object({
    slug: slug.max(40),
    name: text(100),
    domains: z.array(hostname).max(20).default([]),
    defaultCurrency: currencyCode,
    currencies: z.array(currencyCode).max(20).optional(),
    defaultLocale: localeCode.default('zh-CN'),
    locales: z.array(localeCode).max(10).optional(),
    modules: z.array(z.enum(PLATFORM_MODULES)).max(PLATFORM_MODULES.length).default([...PLATFORM_MODULES]),
    quotas: z
      .object({
        requestsPerSecond: z.number().int().min(1).max(1_000_000).default(200),
        products: z.number().int().min(1).max(10_000_000).default(10_000),
      })
      .strict()
      .default({ requestsPerSecond: 200, products: 10_000 }),
    theme: ThemeSchema.default({ primaryColor: '#e4393c', accentColor: '#ff9f1a' }),
    checkout: CheckoutSettingsSchema.default({ paymentTimeoutMinutes: 15 }),
    tax: TaxSettingsSchema.default({ pricesIncludeTax: true }),
    returns: ReturnsSettingsSchema.default({ ...DEFAULT_RETURNS_SETTINGS }),
    owner: z
      .object({ email, password, name: text(100).optional() })
      .strict()
      .optional()
      .describe('The first staff account, with the owner role.'),
  })
  .strict()
  .transform((doc) => ({
    ...doc,
    domains: [...new Set(doc.domains)],
    currencies: unique([doc.defaultCurrency, ...(doc.currencies ?? [])]),
    locales: unique([doc.defaultLocale, ...(doc.locales ?? [])]),
    modules: unique(doc.modules),
  }));

/** What a platform's own admins may change later: its name, look, checkout policy and tax basis. */
export const PlatformSettingsSchema = z
  .object({
    name: text(100).optional(),
    theme: ThemeSchema.optional(),
    checkout: CheckoutSettingsSchema.optional(),
    tax: TaxSettingsSchema.optional(),
    returns: ReturnsSettingsSchema.optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'change at least one setting');
export type PlatformSettingsChange = z.output<typeof PlatformSettingsSchema>;

export type PlatformDocumentInput = z.input<typeof PlatformDocumentSchema>;
export type PlatformDocument = z.output<typeof PlatformDocumentSchema>;

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
