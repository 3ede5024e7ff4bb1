import { z } from 'zod';
import { currencyCode, email, id, localeCode, password, phone, text } from '../../platform/validation.ts';
import { ShippingAddressSchema } from '../orders/index.ts';

/** A saved address is checkout's shipping address, validated the same way. */
export const AddAddressBody = z.object({ address: ShippingAddressSchema, makeDefault: z.boolean().optional() }).strict();

/** Replaces the address as a whole (the fields checkout asks for, all of them). */
export const ReplaceAddressBody = z.object({ address: ShippingAddressSchema }).strict();

export const AddressParams = z.object({ id: id('adr') }).strict();

export const WishlistParams = z.object({ productId: id('prod') }).strict();

export const WishlistQuery = z
  .object({ locale: localeCode.optional(), currency: currencyCode.optional(), tenant: z.string().max(40).optional() })
  .strict();

/** null clears the name, or one of the two logins while the other stays. */
export const UpdateProfileBody = z
  .object({
    name: text(100).nullable().optional(),
    email: email.nullable().optional(),
    phone: phone.nullable().optional(),
    currentPassword: password.optional(),
  })
  .strict()
  .refine((body) => body.name !== undefined || body.email !== undefined || body.phone !== undefined, 'change at least one field')
  .refine((body) => (body.email === undefined && body.phone === undefined) || body.currentPassword !== undefined, {
    message: 'changing the email or phone needs the current password',
    path: ['currentPassword'],
  });
