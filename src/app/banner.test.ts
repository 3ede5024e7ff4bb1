import { describe, expect, it } from 'vitest';
import { operatorTokenLine, paymentsLine } from './banner.ts';

const TOKEN = 'bzo_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcdyz';

describe('the start-up banner', () => {
  it('shows the operator token in full only on the start that generated it', () => {
    expect(operatorTokenLine({ token: TOKEN, source: '/data/operator-token', generated: true })).toContain(TOKEN);
    const later = operatorTokenLine({ token: TOKEN, source: '/data/operator-token', generated: false });
    expect(later).not.toContain(TOKEN.slice(6, -2));
    expect(later).toContain('bzo_Ab…yz');
    expect(later).toContain('/data/operator-token');
  });

  it('always masks a token that comes from BAZAAR_OPERATOR_TOKEN', () => {
    const line = operatorTokenLine({ token: 'my-own-operator-token-0123456789', source: 'BAZAAR_OPERATOR_TOKEN', generated: false });
    expect(line).not.toContain('operator-token-0123456789');
    expect(line).toContain('my-own…89');
    expect(line).toContain('BAZAAR_OPERATOR_TOKEN');
  });

  it('says plainly when the sandbox payment provider is on, and how to turn it off', () => {
    expect(paymentsLine(true)).toMatch(/SANDBOX ON: anyone can mark any order paid.*BAZAAR_SANDBOX_PAYMENTS=0/);
    expect(paymentsLine(false)).toContain('no_payment_provider');
  });
});
