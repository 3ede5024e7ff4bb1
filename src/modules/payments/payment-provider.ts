/**
 * The port every payment provider adapter implements (sandbox now; WeChat Pay, Alipay and
 * Stripe later). Providers confirm payments asynchronously through signed webhooks; nothing a
 * browser says about a payment is ever trusted.
 */
export interface PaymentSession {
  providerRef: string;
  /** Where the shopper completes the payment. */
  redirectUrl: string;
}

export interface ProviderRefund {
  providerRef: string;
  status: 'succeeded' | 'failed';
}

export type ProviderEventType = 'payment.succeeded' | 'payment.failed';

/** A webhook whose signature has been verified. */
export interface VerifiedProviderEvent {
  eventId: string;
  type: ProviderEventType;
  tenantId: string;
  providerRef: string;
  amount: number;
  currency: string;
  occurredAt: Date;
}

export interface PaymentProvider {
  readonly name: string;
  /**
   * True when `createSession` makes a session without a network call (a signed token, as the
   * sandbox does): checkout then opens the payment inside the order's transaction. A provider
   * whose sessions take a call to it leaves this unset, so that no transaction waits on it.
   */
  readonly localSessions?: boolean;
  createSession(payment: { paymentId: string; tenantId: string; orderId: string; amount: number; currency: string }): Promise<PaymentSession>;
  refund(request: { providerRef: string; amount: number; currency: string; refundId: string }): Promise<ProviderRefund>;
  /** Throws Invalid('invalid_signature') unless the body is signed by the provider and fresh. */
  verifyWebhook(rawBody: string, headers: Record<string, string | string[] | undefined>): VerifiedProviderEvent;
}
