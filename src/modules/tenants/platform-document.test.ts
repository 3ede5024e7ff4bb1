import { describe, expect, it } from 'vitest';
import { PlatformDocumentSchema } from './platform-document.ts';

describe('the platform metadata document', () => {
  it('fills in defaults and always includes the default currency and locale', () => {
    const doc = PlatformDocumentSchema.parse({ slug: 'shop', name: 'Shop', defaultCurrency: 'USD', currencies: ['EUR'], defaultLocale: 'en' });
    expect(doc.currencies).toEqual(['USD', 'EUR']);
    expect(doc.locales).toEqual(['en']);
    expect(doc.modules).toContain('catalog');
    expect(doc.quotas).toEqual({ requestsPerSecond: 200, products: 10000 });
    expect(doc.theme.primaryColor).toMatch(/^#/);
  });

  it('lower-cases and de-duplicates domains', () => {
    const doc = PlatformDocumentSchema.parse({ slug: 's', name: 'S', defaultCurrency: 'CNY', domains: ['Shop.Example.COM', 'shop.example.com'] });
    expect(doc.domains).toEqual(['shop.example.com']);
  });

  it.each([
    [{ slug: '-bad', name: 'x', defaultCurrency: 'CNY' }, 'slug'],
    [{ slug: 'ok', name: 'x', defaultCurrency: 'ABC' }, 'defaultCurrency'],
    [{ slug: 'ok', name: 'x', defaultCurrency: 'CNY', domains: ['not a host'] }, 'domains'],
    [{ slug: 'ok', name: 'x', defaultCurrency: 'CNY', quotas: { requestsPerSecond: 0 } }, 'quotas'],
    [{ slug: 'ok', name: 'x', defaultCurrency: 'CNY', theme: { primaryColor: 'red' } }, 'theme'],
    [{ slug: 'ok', name: 'x', defaultCurrency: 'CNY', colour: 'blue' }, ''],
  ])('refuses %j at %s', (input, path) => {
    const result = PlatformDocumentSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path.join('.')).toContain(path);
  });
});
