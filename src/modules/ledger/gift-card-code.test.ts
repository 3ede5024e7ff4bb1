import { describe, expect, it } from 'vitest';
import { generateGiftCardCode, hashGiftCardCode, maskGiftCardCode, normalizeGiftCardCode } from './gift-card-code.ts';

describe('gift card codes', () => {
  it('are four groups of four unambiguous characters, and differ every time', () => {
    const codes = new Set(Array.from({ length: 1000 }, generateGiftCardCode));
    expect(codes.size).toBe(1000);
    for (const code of codes) expect(code).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){3}[0-9A-HJKMNP-TV-Z]{4}$/);
  });

  it('are found however they are typed', () => {
    const code = generateGiftCardCode();
    const typed = ` ${code.toLowerCase().replaceAll('-', ' ')} `;
    expect(normalizeGiftCardCode(typed)).toBe(code.replaceAll('-', ''));
    expect(normalizeGiftCardCode('0OIL-1111-2222-3333')).toBe('0011111122223333');
    expect(hashGiftCardCode(normalizeGiftCardCode(typed)!)).toBe(hashGiftCardCode(code.replaceAll('-', '')));
  });

  it('refuse what cannot be a code', () => {
    for (const typed of ['', 'ABCD', 'ABCD-ABCD-ABCD-ABCU', 'ABCD-ABCD-ABCD-ABCD-A', '🎁🎁🎁🎁-ABCD-ABCD-ABCD']) expect(normalizeGiftCardCode(typed)).toBeNull();
  });

  it('are shown masked after issue', () => {
    expect(maskGiftCardCode('AB12')).toBe('****-****-****-AB12');
  });
});
