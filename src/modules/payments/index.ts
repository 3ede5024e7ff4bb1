export { createPaymentService, noPaymentProvider, type PaymentService, type PaymentView } from './payment-service.ts';
export { createSandboxProvider, SIGNATURE_HEADER, type SandboxProvider } from './sandbox-provider.ts';
export { paymentProviderRoutes } from './payment-routes.ts';
export type { PaymentProvider } from './payment-provider.ts';
