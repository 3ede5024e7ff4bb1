import { chineseProvinceCode } from './china-provinces.ts';

/**
 * Regions as keys that addresses and zones can both be reduced to. Shoppers write the same place
 * as "浙江省", "浙江" or "Zhejiang Province", so both sides drop case, spaces and the
 * administrative suffix before they are compared; a Chinese province becomes its ISO 3166-2 code,
 * so Chinese and pinyin names meet. A city is compared as written (after the same clean-up), so a
 * zone's cities should be named in the script the shop's customers use. '' stands for "any".
 */
const SUFFIXES = [
  '壮族自治区', '回族自治区', '维吾尔自治区', '特别行政区', '自治区', '自治州', '地区', '省', '市', '盟',
  ' province', ' city', ' municipality', ' autonomous region', ' special administrative region', ' sar', ' shi', ' sheng',
];

export function regionKey(name: string | null | undefined): string {
  if (!name) return '';
  let key = name.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
  for (const suffix of SUFFIXES) {
    if (key.length > suffix.length && key.endsWith(suffix)) {
      key = key.slice(0, -suffix.length);
      break;
    }
  }
  return key.replace(/[\s'-]/g, '');
}

export function provinceKey(country: string, name: string | null | undefined): string {
  const key = regionKey(name);
  return country === 'CN' ? (chineseProvinceCode(key) ?? key) : key;
}

export interface AddressRegion {
  country: string;
  provinceKey: string;
  cityKey: string;
}

export function regionOf(address: { country: string; province?: string | undefined; city?: string | undefined }): AddressRegion {
  return { country: address.country, provinceKey: provinceKey(address.country, address.province), cityKey: regionKey(address.city) };
}
