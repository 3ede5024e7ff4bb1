/**
 * China's provincial-level divisions with their ISO 3166-2:CN codes, so that an address written
 * "浙江省", "浙江", "Zhejiang" or "CN-ZJ" falls into the same zone. Names are as people write them,
 * before the administrative suffix (省, 市, 自治区 …) that `regionKey` drops.
 */
const PROVINCES: [code: string, zh: string, ...en: string[]][] = [
  ['AH', '安徽', 'anhui'],
  ['BJ', '北京', 'beijing'],
  ['CQ', '重庆', 'chongqing'],
  ['FJ', '福建', 'fujian'],
  ['GD', '广东', 'guangdong'],
  ['GS', '甘肃', 'gansu'],
  ['GX', '广西', 'guangxi'],
  ['GZ', '贵州', 'guizhou'],
  ['HA', '河南', 'henan'],
  ['HB', '湖北', 'hubei'],
  ['HE', '河北', 'hebei'],
  ['HI', '海南', 'hainan'],
  ['HK', '香港', 'hongkong'],
  ['HL', '黑龙江', 'heilongjiang'],
  ['HN', '湖南', 'hunan'],
  ['JL', '吉林', 'jilin'],
  ['JS', '江苏', 'jiangsu'],
  ['JX', '江西', 'jiangxi'],
  ['LN', '辽宁', 'liaoning'],
  ['MO', '澳门', 'macao', 'macau'],
  ['NM', '内蒙古', 'innermongolia', 'neimongol', 'neimenggu'],
  ['NX', '宁夏', 'ningxia'],
  ['QH', '青海', 'qinghai'],
  ['SC', '四川', 'sichuan'],
  ['SD', '山东', 'shandong'],
  ['SH', '上海', 'shanghai'],
  ['SN', '陕西', 'shaanxi'],
  ['SX', '山西', 'shanxi'],
  ['TJ', '天津', 'tianjin'],
  ['TW', '台湾', 'taiwan'],
  ['XJ', '新疆', 'xinjiang'],
  ['XZ', '西藏', 'tibet', 'xizang'],
  ['YN', '云南', 'yunnan'],
  ['ZJ', '浙江', 'zhejiang'],
];

const BY_NAME = new Map<string, string>(
  PROVINCES.flatMap(([code, ...names]) => [[code.toLowerCase(), code], [`cn${code.toLowerCase()}`, code], ...names.map((name) => [name, code] as [string, string])]),
);

/** The ISO 3166-2 subdivision code (e.g. `ZJ`) of a Chinese province key (hyphens dropped, so `cnzj`), if it names one. */
export function chineseProvinceCode(key: string): string | undefined {
  return BY_NAME.get(key);
}
