import type { StaffRole } from '../../infra/db/schema.ts';

/** Who a verified bearer token speaks for. */
export type Principal =
  | { kind: 'customer'; customerId: string; sessionId: string }
  | { kind: 'staff' | 'api'; staffId: string; role: StaffRole; sessionId: string };

/** Roles in ascending power: each can do everything the roles before it can. */
export const STAFF_ROLES: readonly StaffRole[] = ['viewer', 'operator', 'admin', 'owner'];

export function roleAtLeast(role: StaffRole, minimum: StaffRole): boolean {
  return STAFF_ROLES.indexOf(role) >= STAFF_ROLES.indexOf(minimum);
}
