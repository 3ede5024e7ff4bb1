import type { ColumnType, Generated } from 'kysely';

/**
 * Row types of the tables, in camelCase (Kysely's CamelCasePlugin maps them to the snake_case
 * columns of the SQL migrations, which stay the source of truth for the schema).
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type LocalizedText = Record<string, string>;

export interface TenantSettings {
  domains: string[];
  currencies: string[];
  locales: string[];
  modules: string[];
  quotas: { requestsPerSecond: number; products: number };
  theme: { primaryColor: string; accentColor: string; logoUrl?: string | undefined };
}

export interface TenantsTable {
  id: string;
  slug: string;
  name: string;
  status: Generated<'active' | 'suspended'>;
  defaultCurrency: string;
  defaultLocale: string;
  settings: Json<TenantSettings>;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface TenantDomainsTable {
  domain: string;
  tenantId: string;
}

export interface CustomersTable {
  tenantId: string;
  id: string;
  email: string | null;
  phone: string | null;
  name: string | null;
  passwordHash: string;
  status: Generated<'active' | 'disabled'>;
  createdAt: Generated<Date>;
}

export type StaffRole = 'owner' | 'admin' | 'operator' | 'viewer';

export interface StaffTable {
  tenantId: string;
  id: string;
  email: string;
  name: string | null;
  passwordHash: string;
  role: StaffRole;
  status: Generated<'active' | 'disabled'>;
  createdAt: Generated<Date>;
}

export type SessionKind = 'customer' | 'staff' | 'api';

export interface SessionsTable {
  tenantId: string;
  id: string;
  tokenHash: string;
  kind: SessionKind;
  subjectId: string;
  label: string | null;
  createdAt: Generated<Date>;
  expiresAt: Timestamp | null;
  revokedAt: Timestamp | null;
  lastUsedAt: Timestamp | null;
}

export interface CategoriesTable {
  tenantId: string;
  id: string;
  parentId: string | null;
  slug: string;
  name: Json<LocalizedText>;
  position: Generated<number>;
  createdAt: Generated<Date>;
}

export type ProductStatus = 'draft' | 'active' | 'archived';

export interface ProductOption {
  name: LocalizedText;
  values: string[];
}

export interface ProductImage {
  url: string;
  alt?: string | undefined;
}

export interface ProductsTable {
  tenantId: string;
  id: string;
  slug: string;
  title: Json<LocalizedText>;
  description: Json<LocalizedText>;
  status: ProductStatus;
  categoryId: string | null;
  options: Json<ProductOption[]>;
  images: Json<ProductImage[]>;
  searchText: string;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface VariantsTable {
  tenantId: string;
  id: string;
  productId: string;
  sku: string;
  optionValues: Json<Record<string, string>>;
  position: number;
  createdAt: Generated<Date>;
}

export interface VariantPricesTable {
  tenantId: string;
  variantId: string;
  currency: string;
  amount: number;
}

export interface DB {
  tenants: TenantsTable;
  tenantDomains: TenantDomainsTable;
  customers: CustomersTable;
  staff: StaffTable;
  sessions: SessionsTable;
  categories: CategoriesTable;
  products: ProductsTable;
  variants: VariantsTable;
  variantPrices: VariantPricesTable;
}
