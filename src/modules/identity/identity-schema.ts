import { z } from 'zod';
import { email, id, password, phone, text } from '../../platform/validation.ts';

const STAFF_ROLE = z.enum(['owner', 'admin', 'operator', 'viewer']);

export const RegisterCustomerBody = z
  .object({ email: email.optional(), phone: phone.optional(), password, name: text(100).optional() })
  .strict()
  .refine((body) => body.email || body.phone, { message: 'give an email or a phone number', path: ['email'] });

export const CustomerLoginBody = z
  .object({ email: email.optional(), phone: phone.optional(), password: text(200), cartId: id('cart').optional() })
  .strict()
  .refine((body) => body.email || body.phone, { message: 'give an email or a phone number', path: ['email'] });

export const StaffLoginBody = z.object({ email, password: text(200) }).strict();

export const CreateStaffBody = z
  .object({ email, password, name: text(100).optional(), role: STAFF_ROLE })
  .strict();

export const UpdateStaffBody = z
  .object({ role: STAFF_ROLE.optional(), status: z.enum(['active', 'disabled']).optional(), name: text(100).optional() })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'change at least one field');

export const StaffParams = z.object({ id: id('stf') }).strict();

export const CreateApiTokenBody = z
  .object({ label: text(100), expiresInDays: z.number().int().min(1).max(3650).optional() })
  .strict();

export const ApiTokenParams = z.object({ id: id('ses') }).strict();

export const ChangePasswordBody = z.object({ currentPassword: text(200), newPassword: password }).strict();

export const CustomerResetRequestBody = z
  .object({ email: email.optional(), phone: phone.optional() })
  .strict()
  .refine((body) => body.email || body.phone, { message: 'give an email or a phone number', path: ['email'] });

export const StaffResetRequestBody = z.object({ email }).strict();

export const CompleteResetBody = z
  .object({ token: z.string().regex(/^bzr_[A-Za-z0-9_-]{43}$/, 'the token from the password-reset link'), newPassword: password })
  .strict();
