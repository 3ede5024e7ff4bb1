import { createHash, randomBytes } from 'node:crypto';

/**
 * Gift card codes: 16 characters of Crockford's base32 (no I, L, O or U, so nothing reads as
 * another character or a word), in groups of four: 80 random bits, far past guessing at any rate
 * a shop answers. Only the code's hash is stored; a typed code is normalized first, so case,
 * spaces, dashes and the look-alikes O/0 and I/L/1 don't matter.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 16;

export function generateGiftCardCode(): string {
  // 32 divides 256, so the low five bits of a random byte pick a character uniformly.
  const chars = [...randomBytes(LENGTH)].map((byte) => ALPHABET[byte & 31]);
  return [0, 4, 8, 12].map((start) => chars.slice(start, start + 4).join('')).join('-');
}

/** The code as stored and compared, or null when it can't be a code at all. */
export function normalizeGiftCardCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return code.length === LENGTH && [...code].every((char) => ALPHABET.includes(char)) ? code : null;
}

export function hashGiftCardCode(normalized: string): string {
  return createHash('sha256').update(normalized).digest('hex');
}

export function lastFour(normalized: string): string {
  return normalized.slice(-4);
}

/** How a card is shown after it was issued: only its last four characters. */
export function maskGiftCardCode(last4: string): string {
  return `****-****-****-${last4}`;
}
