import type { ReturnsSettings, TenantSettings } from '../../infra/db/schema.ts';
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

export function hasModule(platform: Platform, module: PlatformModule): boolean {
  return platform.modules.includes(module);
}
