import { z } from 'zod';
import { currencyCode, id, localized, minorUnits, text } from '../../platform/validation.ts';
import { GENERAL_PROFILE } from './shipping-rates.ts';

/** Profile codes: lowercase and hyphens (they are JSON keys of surcharges, read back unchanged). */
export const profileCode = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}$/, 'lowercase letters, digits and - (e.g. bulky)')
  .refine((code) => code !== GENERAL_PROFILE, `${GENERAL_PROFILE} is the profile of products without one`);

export const ProfileBody = z.object({ code: profileCode, name: localized(60), requiresShipping: z.boolean().default(true) }).strict();
export const ProfileUpdateBody = z
  .object({ name: localized(60).optional(), requiresShipping: z.boolean().optional() })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'change at least one field');
export const ProfileParams = z.object({ code: profileCode }).strict();

const RegionInput = z
  .object({ country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 country code such as CN'), province: text(100).optional(), city: text(100).optional() })
  .strict();

export const ZoneBody = z.object({ name: text(100), regions: z.array(RegionInput).min(1).max(500) }).strict();
export const ZoneUpdateBody = z
  .object({ name: text(100).optional(), regions: z.array(RegionInput).min(1).max(500).optional() })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'change at least one field');
export const ZoneParams = z.object({ id: id('shz') }).strict();
export const MethodParams = z.object({ id: id('shm') }).strict();

const grams = z.number().int().min(1).max(10_000_000);

export const RateInput = z.discriminatedUnion('type', [
  z.object({ type: z.literal('flat'), amount: minorUnits }).strict(),
  z.object({ type: z.literal('weight'), firstGrams: grams, firstAmount: minorUnits, stepGrams: grams, stepAmount: minorUnits }).strict(),
  z.object({ type: z.literal('item_count'), firstAmount: minorUnits, additionalAmount: minorUnits }).strict(),
]);

const days = z.number().int().min(0).max(365);

const methodFields = {
  name: localized(100),
  kind: z.enum(['standard', 'express', 'carrier', 'pickup']),
  carrier: text(60).nullable(),
  currency: currencyCode,
  rate: RateInput,
  freeOver: minorUnits.nullable(),
  profiles: z.array(z.union([profileCode, z.literal(GENERAL_PROFILE)])).min(1).max(50).nullable(),
  surcharges: z.record(z.union([profileCode, z.literal(GENERAL_PROFILE)]), minorUnits),
  minDays: days,
  maxDays: days,
  status: z.enum(['active', 'disabled']),
  position: z.number().int().min(0).max(100_000),
};

const daysInOrder = (body: { minDays?: number | undefined; maxDays?: number | undefined }) =>
  body.minDays === undefined || body.maxDays === undefined || body.maxDays >= body.minDays;

export const MethodBody = z
  .object({
    ...methodFields,
    carrier: methodFields.carrier.default(null),
    freeOver: methodFields.freeOver.default(null),
    profiles: methodFields.profiles.default(null),
    surcharges: methodFields.surcharges.default({}),
    status: methodFields.status.default('active'),
    position: methodFields.position.default(0),
  })
  .strict()
  .refine(daysInOrder, { message: 'maxDays is at least minDays', path: ['maxDays'] })
  .refine((body) => body.kind !== 'carrier' || body.carrier !== null, { message: 'a carrier method names its carrier', path: ['carrier'] });
export type MethodInput = z.output<typeof MethodBody>;

export const MethodUpdateBody = z
  .object(Object.fromEntries(Object.entries(methodFields).map(([key, schema]) => [key, schema.optional()])) as { [K in keyof typeof methodFields]: z.ZodOptional<(typeof methodFields)[K]> })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'change at least one field')
  .refine(daysInOrder, { message: 'maxDays is at least minDays', path: ['maxDays'] });
export type MethodUpdate = z.output<typeof MethodUpdateBody>;

export type ZoneInput = z.output<typeof ZoneBody>;
