/**
 * The demo store's catalog: a category tree and 50 products with Chinese and English text,
 * option variants, and CNY and USD prices in minor units. Written compactly as rows that
 * `expand` turns into the catalog's input shape.
 */
export interface DemoCategory {
  slug: string;
  parentSlug?: string;
  name: { en: string; 'zh-CN': string };
}

export interface DemoProduct {
  slug: string;
  categorySlug: string;
  title: { en: string; 'zh-CN': string };
  description: { en: string; 'zh-CN': string };
  options: Array<{ code: string; name: { en: string; 'zh-CN': string }; values: string[] }>;
  images: Array<{ url: string; alt: string }>;
  variants: Array<{ sku: string; optionValues: Record<string, string>; weightGrams: number; prices: Array<{ currency: 'CNY' | 'USD'; amount: number }> }>;
}

export const demoCategories: DemoCategory[] = [
  { slug: 'apparel', name: { en: 'Apparel', 'zh-CN': '服饰' } },
  { slug: 'dresses', parentSlug: 'apparel', name: { en: 'Dresses', 'zh-CN': '连衣裙' } },
  { slug: 'tops', parentSlug: 'apparel', name: { en: 'Tops', 'zh-CN': '上衣' } },
  { slug: 'electronics', name: { en: 'Electronics', 'zh-CN': '数码电子' } },
  { slug: 'audio', parentSlug: 'electronics', name: { en: 'Audio', 'zh-CN': '影音' } },
  { slug: 'phone-accessories', parentSlug: 'electronics', name: { en: 'Phone accessories', 'zh-CN': '手机配件' } },
  { slug: 'home', name: { en: 'Home & Kitchen', 'zh-CN': '家居厨房' } },
  { slug: 'kitchen', parentSlug: 'home', name: { en: 'Kitchen', 'zh-CN': '厨具' } },
  { slug: 'beauty', name: { en: 'Beauty', 'zh-CN': '美妆个护' } },
  { slug: 'food', name: { en: 'Food & Drinks', 'zh-CN': '食品饮料' } },
  { slug: 'tea', parentSlug: 'food', name: { en: 'Tea', 'zh-CN': '茶叶' } },
  { slug: 'snacks', parentSlug: 'food', name: { en: 'Snacks', 'zh-CN': '零食' } },
  { slug: 'sports', name: { en: 'Sports & Outdoors', 'zh-CN': '运动户外' } },
];

type OptionSet = 'none' | 'colourSize' | 'colour' | 'capacity' | 'weight';

const OPTION_SETS: Record<OptionSet, DemoProduct['options']> = {
  none: [],
  colourSize: [
    { code: 'colour', name: { en: 'Colour', 'zh-CN': '颜色' }, values: ['Red', 'Black'] },
    { code: 'size', name: { en: 'Size', 'zh-CN': '尺码' }, values: ['S', 'M', 'L'] },
  ],
  colour: [{ code: 'colour', name: { en: 'Colour', 'zh-CN': '颜色' }, values: ['White', 'Black', 'Blue'] }],
  capacity: [{ code: 'capacity', name: { en: 'Capacity', 'zh-CN': '容量' }, values: ['128GB', '256GB'] }],
  weight: [{ code: 'weight', name: { en: 'Weight', 'zh-CN': '规格' }, values: ['250g', '500g'] }],
};

// slug, category, English title, Chinese title, English description, Chinese description, CNY fen, options
type Row = [string, string, string, string, string, string, number, OptionSet];

const ROWS: Row[] = [
  ['floral-summer-dress', 'dresses', 'Floral Summer Dress', '碎花夏季连衣裙', 'A light cotton dress for hot days.', '轻薄纯棉，适合炎热夏日。', 19900, 'colourSize'],
  ['silk-qipao-dress', 'dresses', 'Silk Qipao Dress', '真丝旗袍连衣裙', 'A modern cut of the classic qipao.', '经典旗袍的现代剪裁。', 89900, 'colourSize'],
  ['knit-midi-dress', 'dresses', 'Knit Midi Dress', '针织中长款连衣裙', 'Soft knit that keeps its shape.', '柔软针织，久穿不变形。', 25900, 'colourSize'],
  ['linen-shirt-dress', 'dresses', 'Linen Shirt Dress', '亚麻衬衫式连衣裙', 'Breathable linen with a relaxed fit.', '透气亚麻，宽松版型。', 32900, 'colourSize'],
  ['pleated-chiffon-dress', 'dresses', 'Pleated Chiffon Dress', '百褶雪纺连衣裙', 'Flowing pleats for special occasions.', '飘逸百褶，适合重要场合。', 45900, 'colourSize'],
  ['cotton-crew-tee', 'tops', 'Cotton Crew T-shirt', '纯棉圆领T恤', 'Everyday tee in heavyweight cotton.', '厚实纯棉，日常百搭。', 7900, 'colourSize'],
  ['oxford-shirt', 'tops', 'Oxford Button-down Shirt', '牛津纺衬衫', 'A crisp shirt for work and weekends.', '挺括有型，通勤周末皆宜。', 19900, 'colourSize'],
  ['down-vest', 'tops', 'Lightweight Down Vest', '轻薄羽绒马甲', 'Packable warmth for cool mornings.', '轻便保暖，可收纳。', 39900, 'colourSize'],
  ['cashmere-sweater', 'tops', 'Cashmere Sweater', '羊绒毛衣', 'Pure cashmere, soft and warm.', '纯羊绒，柔软温暖。', 129900, 'colourSize'],
  ['hooded-sweatshirt', 'apparel', 'Hooded Sweatshirt', '连帽卫衣', 'Fleece-lined hoodie for lazy days.', '加绒内里，舒适休闲。', 15900, 'colourSize'],
  ['wireless-earbuds', 'audio', 'Wireless Earbuds Pro', '无线降噪耳机 Pro', 'Active noise cancelling, 30-hour battery.', '主动降噪，30小时续航。', 99900, 'colour'],
  ['over-ear-headphones', 'audio', 'Over-ear Headphones', '头戴式蓝牙耳机', 'Big sound with soft ear cushions.', '澎湃音质，柔软耳罩。', 59900, 'colour'],
  ['sport-earphones', 'audio', 'Sport Earphones', '运动蓝牙耳机', 'Sweat-proof and secure for running.', '防汗防掉，跑步无忧。', 19900, 'colour'],
  ['smart-speaker', 'audio', 'Smart Speaker', '智能音箱', 'Voice assistant with room-filling sound.', '语音助手，声音饱满。', 29900, 'colour'],
  ['portable-speaker', 'audio', 'Portable Bluetooth Speaker', '便携蓝牙音箱', 'Waterproof speaker for the outdoors.', '防水设计，户外必备。', 24900, 'colour'],
  ['fast-charger', 'phone-accessories', '65W Fast Charger', '65W 快速充电器', 'Charges a laptop and a phone at once.', '笔记本与手机同时快充。', 14900, 'none'],
  ['power-bank', 'phone-accessories', '20000mAh Power Bank', '20000毫安充电宝', 'Two full phone charges in your bag.', '随身携带，可充满手机两次。', 12900, 'colour'],
  ['phone-case', 'phone-accessories', 'Shockproof Phone Case', '防摔手机壳', 'Slim case with reinforced corners.', '轻薄机身，四角加固。', 4900, 'colour'],
  ['usb-c-cable', 'phone-accessories', 'Braided USB-C Cable', '编织 USB-C 数据线', 'Tough braided cable, two metres.', '耐用编织线身，两米长。', 3900, 'none'],
  ['memory-card', 'phone-accessories', 'microSD Memory Card', 'microSD 存储卡', 'Fast card for photos and video.', '高速读写，存照片和视频。', 8900, 'capacity'],
  ['tablet', 'electronics', '11-inch Tablet', '11英寸平板电脑', 'A bright screen for reading and video.', '明亮屏幕，阅读观影皆宜。', 249900, 'capacity'],
  ['ceramic-teapot', 'kitchen', 'Ceramic Teapot', '陶瓷茶壶', 'Hand-glazed teapot with infuser.', '手工釉彩，内置滤网。', 16800, 'colour'],
  ['rice-cooker', 'kitchen', 'Smart Rice Cooker', '智能电饭煲', 'Perfect rice with one button.', '一键煮出香软米饭。', 39900, 'none'],
  ['cast-iron-wok', 'kitchen', 'Cast Iron Wok', '铸铁炒锅', 'Seasoned wok for high-heat cooking.', '开锅即用，适合猛火爆炒。', 28900, 'none'],
  ['chef-knife', 'kitchen', 'Chef Knife', '主厨刀', 'Sharp stainless steel blade.', '不锈钢刀身，锋利耐用。', 19900, 'none'],
  ['glass-tea-cups', 'kitchen', 'Double-wall Glass Tea Cups', '双层玻璃茶杯', 'Set of four heat-proof cups.', '四只装，隔热不烫手。', 9900, 'none'],
  ['bamboo-steamer', 'kitchen', 'Bamboo Steamer', '竹制蒸笼', 'Two tiers for dumplings and buns.', '两层设计，蒸饺子包子。', 6900, 'none'],
  ['cotton-bed-sheets', 'home', 'Cotton Bed Sheet Set', '纯棉床单四件套', 'Soft sateen weave, queen size.', '柔软贡缎，双人尺寸。', 49900, 'colour'],
  ['aroma-diffuser', 'home', 'Aroma Diffuser', '香薰加湿器', 'Quiet diffuser with night light.', '静音运行，带小夜灯。', 15900, 'colour'],
  ['sheet-masks', 'beauty', 'Hydrating Sheet Masks (10)', '补水面膜（10片）', 'Ten masks for glowing skin.', '十片装，肌肤水润透亮。', 9900, 'none'],
  ['sunscreen', 'beauty', 'Daily Sunscreen SPF50', '日常防晒霜 SPF50', 'Light, non-greasy protection.', '清爽不油腻的防护。', 12900, 'none'],
  ['lipstick', 'beauty', 'Velvet Lipstick', '丝绒口红', 'Rich colour that lasts all day.', '饱满显色，持久不脱。', 22000, 'colour'],
  ['electric-toothbrush', 'beauty', 'Sonic Electric Toothbrush', '声波电动牙刷', 'Gentle clean, 60-day battery.', '温和洁净，续航60天。', 29900, 'colour'],
  ['face-cleanser', 'beauty', 'Amino Acid Face Cleanser', '氨基酸洗面奶', 'Mild cleanser for sensitive skin.', '温和洁面，敏感肌可用。', 6900, 'none'],
  ['longjing-tea', 'tea', 'West Lake Longjing Green Tea', '西湖龙井绿茶', 'Spring-picked green tea from Hangzhou.', '杭州明前春茶。', 58800, 'weight'],
  ['puer-tea-cake', 'tea', 'Aged Pu-erh Tea Cake', '陈年普洱茶饼', 'Ten-year aged tea from Yunnan.', '云南十年陈普洱。', 39800, 'none'],
  ['jasmine-tea', 'tea', 'Jasmine Green Tea', '茉莉花茶', 'Fragrant tea scented with jasmine.', '茉莉窨制，花香浓郁。', 12800, 'weight'],
  ['oolong-tea', 'tea', 'Tieguanyin Oolong Tea', '铁观音乌龙茶', 'Floral oolong from Anxi.', '安溪铁观音，兰花香。', 26800, 'weight'],
  ['black-tea', 'tea', 'Keemun Black Tea', '祁门红茶', 'Smooth black tea with a honey note.', '醇厚红茶，带蜜香。', 19800, 'weight'],
  ['white-tea', 'tea', 'Silver Needle White Tea', '白毫银针白茶', 'Delicate buds from Fujian.', '福建白茶，芽头肥壮。', 46800, 'none'],
  ['dried-mango', 'snacks', 'Dried Mango', '芒果干', 'Sweet and chewy, no added sugar.', '香甜有嚼劲，无额外添加糖。', 2990, 'weight'],
  ['spicy-beef-jerky', 'snacks', 'Spicy Beef Jerky', '麻辣牛肉干', 'Sichuan-style jerky with chilli.', '川味麻辣，香辣过瘾。', 5990, 'weight'],
  ['mixed-nuts', 'snacks', 'Daily Mixed Nuts (30 packs)', '每日坚果（30包）', 'One pack of nuts a day.', '每天一包，营养均衡。', 12900, 'none'],
  ['mooncakes', 'snacks', 'Lotus Seed Mooncakes', '莲蓉月饼', 'Gift box of six mooncakes.', '礼盒装六枚。', 16800, 'none'],
  ['instant-noodles', 'food', 'Braised Beef Noodles (12)', '红烧牛肉面（12袋）', 'A pantry classic.', '经典口味，囤货必备。', 3990, 'none'],
  ['yoga-mat', 'sports', 'Non-slip Yoga Mat', '防滑瑜伽垫', 'Thick mat with a grippy surface.', '加厚垫面，防滑稳固。', 12900, 'colour'],
  ['running-shoes', 'sports', 'Cushioned Running Shoes', '缓震跑步鞋', 'Light shoes with responsive foam.', '轻量回弹，缓震舒适。', 49900, 'colourSize'],
  ['camping-tent', 'sports', 'Two-person Camping Tent', '双人露营帐篷', 'Sets up in three minutes.', '三分钟快速搭建。', 39900, 'none'],
  ['badminton-racket', 'sports', 'Carbon Badminton Racket', '碳纤维羽毛球拍', 'Light racket for fast play.', '轻盈拍身，进攻迅速。', 25900, 'none'],
  ['insulated-bottle', 'sports', 'Insulated Water Bottle', '保温运动水杯', 'Keeps drinks cold for 24 hours.', '24小时保冷。', 9900, 'colour'],
];

/** Shipping weights in grams, so the demo's by-weight shipping rates have something to weigh. */
function demoWeight(categorySlug: string, optionValues: Record<string, string>): number {
  if (optionValues.weight) return Number.parseInt(optionValues.weight, 10) + 50;
  if (categorySlug === 'sports') return 1500;
  return 400;
}

const TOP_LEVEL = new Map(demoCategories.map((category) => [category.slug, category.parentSlug ?? category.slug]));

function combinations(options: DemoProduct['options']): Record<string, string>[] {
  return options.reduce<Record<string, string>[]>(
    (acc, option) => acc.flatMap((combo) => option.values.map((value) => ({ ...combo, [option.code]: value }))),
    [{}],
  );
}

function expand([slug, categorySlug, en, zh, descriptionEn, descriptionZh, cny, optionSet]: Row): DemoProduct {
  const options = OPTION_SETS[optionSet];
  const skuBase = slug.toUpperCase().replace(/[^A-Z0-9]+/g, '-');
  const variants = combinations(options).map((optionValues, index) => {
    // Larger sizes and capacities cost a little more, so variants show different prices.
    const amount = cny + index * (optionSet === 'capacity' || optionSet === 'weight' ? Math.round(cny * 0.6) : 0);
    return {
      sku: [skuBase, ...Object.values(optionValues).map((value) => value.toUpperCase())].join('-'),
      optionValues,
      weightGrams: demoWeight(categorySlug, optionValues),
      prices: [
        { currency: 'CNY' as const, amount },
        { currency: 'USD' as const, amount: Math.max(99, Math.round(amount / 7.1)) },
      ],
    };
  });
  return {
    slug,
    categorySlug,
    title: { en, 'zh-CN': zh },
    description: { en: descriptionEn, 'zh-CN': descriptionZh },
    options,
    images: [{ url: `/static/demo/${TOP_LEVEL.get(categorySlug)}.svg`, alt: en }],
    variants,
  };
}

export const demoProducts: DemoProduct[] = ROWS.map(expand);
