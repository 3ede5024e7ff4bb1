import type { ReturnsSettings, TenantSettings } from '../../infra/db/schema.ts';
import { Invalid } from '../../platform/errors.ts';
import type { PlatformModule } from './platform-document.ts';

/** A platform (tenant) as the rest of the code sees it. */
export interface Platform {
  id: string;
  slug: string;
  name: string;
  status: 'active' | 'suspended';
  defaultCurrency: string;
  defaultLocale: string;
  domains: string[];
  currencies: string[];
  locales: string[];
  modules: PlatformModule[];
  quotas: TenantSettings['quotas'];
  theme: TenantSettings['theme'];
  checkout: { paymentTimeoutMinutes: number };
  tax: { pricesIncludeTax: boolean };
  returns: ReturnsSettings;
  createdAt: Date;
}

/** 400 `unsupported_currency` unless the platform sells in `currency`. */
export function assertSellsIn(platform: Platform, currency: string): void {
  if (!platform.currencies.includes(currency)) {
    throw new Invalid('unsupported_currency', `This platform sells in ${platform.currencies.join(', ')}.`, [{ path: 'body.currency', message: 'not sold in' }]);
  }
}

export function hasModule(platform: Platform, module: PlatformModule): boolean {
  return platform.modules.includes(module);
}
