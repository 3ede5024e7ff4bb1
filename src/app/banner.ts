import { maskToken, type OperatorToken } from './operator-token.ts';

/**
 * Lines of the start-up banner that carry a warning or a secret. The operator token is shown in
 * full only by the start that generated it (so it can be copied once); afterwards, and always
 * when it comes from the environment, it is masked and the banner says where to read it.
 */
export function operatorTokenLine(operatorToken: OperatorToken): string {
  const shown = operatorToken.generated ? operatorToken.token : maskToken(operatorToken.token);
  const where = operatorToken.generated ? `generated now, kept in ${operatorToken.source}` : `from ${operatorToken.source}`;
  return `  Operator token:  ${shown}  (${where})`;
}

export function paymentsLine(sandboxPayments: boolean): string {
  return sandboxPayments
    ? '  Payments:        SANDBOX ON: anyone can mark any order paid. Turn it off with BAZAAR_SANDBOX_PAYMENTS=0 (off by default with NODE_ENV=production).'
    : '  Payments:        sandbox off and no payment provider configured: checkout is refused (503 no_payment_provider).';
}
