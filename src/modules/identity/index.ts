export { createIdentityService, type IdentityService, type CustomerView, type StaffView } from './identity-service.ts';
export { createLoginThrottle, type LoginThrottle } from './login-throttle.ts';
export { createPasswordHasher, scryptWork, type PasswordHasher, type PasswordHasherOptions } from './password-hasher.ts';
export { createRegistrationLimits, DEFAULT_REGISTRATION_LIMITS, type RegistrationLimitSettings } from './registration-limits.ts';
export { createAuthGuards, customerOf, staffOf, type AuthGuards } from './auth-guards.ts';
export { customerAuthRoutes, staffRoutes } from './identity-routes.ts';
export type { Principal } from './principal.ts';
export { createPasswordResets, type PasswordResets } from './password-reset-service.ts';
export { createCustomerProfiles, type CustomerProfiles, type ProfileChanges } from './customer-profile-service.ts';
