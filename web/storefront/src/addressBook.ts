import { api } from './api.ts';

/** A shipping address as checkout takes it; optional fields are left out when empty. */
export type ShippingAddress = Record<string, string>;

export interface SavedAddress {
  id: string;
  address: ShippingAddress;
  isDefault: boolean;
}

export const listAddresses = async () => (await api<{ items: SavedAddress[] }>('GET', '/api/store/account/addresses')).items;
export const addAddress = (address: ShippingAddress, makeDefault = false) =>
  api<SavedAddress>('POST', '/api/store/account/addresses', { address, ...(makeDefault ? { makeDefault } : {}) });
export const replaceAddress = (id: string, address: ShippingAddress) => api<SavedAddress>('PATCH', `/api/store/account/addresses/${id}`, { address });
export const removeAddress = (id: string) => api<void>('DELETE', `/api/store/account/addresses/${id}`);
export const makeDefaultAddress = (id: string) => api<SavedAddress>('POST', `/api/store/account/addresses/${id}/default`);

/** The form's values as the API takes them: blank optional fields are left out. */
export function filledIn(form: Record<string, string>): ShippingAddress {
  return Object.fromEntries(Object.entries(form).filter(([, value]) => value.trim() !== ''));
}

/** One line a shopper recognises an address by. */
export function addressLine(address: ShippingAddress): string {
  return [address.name, address.phone, address.province, address.city, address.district, address.line1, address.line2].filter(Boolean).join(' ');
}

export function sameAddress(a: ShippingAddress, b: ShippingAddress): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => (a[key] ?? '') === (b[key] ?? ''));
}
