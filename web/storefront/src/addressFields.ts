import type { MessageKey } from './i18n.tsx';

/** The shipping address form, as checkout and the flash-sale page both ask for it. */
export const ADDRESS_FIELDS: { name: string; label: MessageKey; required: boolean; autoComplete: string }[] = [
  { name: 'name', label: 'name', required: true, autoComplete: 'name' },
  { name: 'phone', label: 'phone', required: true, autoComplete: 'tel' },
  { name: 'country', label: 'country', required: true, autoComplete: 'country' },
  { name: 'province', label: 'province', required: false, autoComplete: 'address-level1' },
  { name: 'city', label: 'city', required: true, autoComplete: 'address-level2' },
  { name: 'district', label: 'district', required: false, autoComplete: 'address-level3' },
  { name: 'line1', label: 'line1', required: true, autoComplete: 'street-address' },
  { name: 'postalCode', label: 'postalCode', required: false, autoComplete: 'postal-code' },
];
