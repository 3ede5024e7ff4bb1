import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';

const messages = {
  'zh-CN': {
    home: '首页', categories: '分类', search: '搜索', searchPlaceholder: '搜索商品', cart: '购物车', orders: '我的订单',
    login: '登录', register: '注册', logout: '退出', featured: '精选商品', empty: '这里还没有商品', loading: '加载中…',
    addToCart: '加入购物车', added: '已加入购物车', outOfStock: '缺货', inStock: '有货', left: '剩余 {n} 件', quantity: '数量',
    subtotal: '小计', discount: '优惠', total: '合计', checkout: '去结算', cartEmpty: '购物车是空的', remove: '删除',
    coupon: '优惠券', apply: '使用', shipping: '收货地址', name: '姓名', phone: '手机号', country: '国家/地区', province: '省份',
    city: '城市', district: '区县', line1: '详细地址', postalCode: '邮编', placeOrder: '提交订单', pay: '去支付',
    orderPlaced: '订单已提交', orderStatus: '订单状态', email: '邮箱', password: '密码', noAccount: '还没有账号？',
    haveAccount: '已有账号？', noOrders: '还没有订单', language: 'English', status_pending_payment: '待支付', status_paid: '已支付',
    status_fulfilled: '已发货', status_completed: '已完成', status_cancelled: '已取消', status_refunded: '已退款',
    status_partially_refunded: '部分退款', results: '“{q}”的搜索结果', sortNewest: '最新', sortPriceAsc: '价格从低到高', sortPriceDesc: '价格从高到低',
    more: '加载更多', notFound: '找不到这个页面',
  },
  en: {
    home: 'Home', categories: 'Categories', search: 'Search', searchPlaceholder: 'Search products', cart: 'Cart', orders: 'My orders',
    login: 'Log in', register: 'Sign up', logout: 'Log out', featured: 'Featured', empty: 'Nothing here yet', loading: 'Loading…',
    addToCart: 'Add to cart', added: 'Added to cart', outOfStock: 'Out of stock', inStock: 'In stock', left: 'Only {n} left', quantity: 'Quantity',
    subtotal: 'Subtotal', discount: 'Discount', total: 'Total', checkout: 'Check out', cartEmpty: 'Your cart is empty', remove: 'Remove',
    coupon: 'Coupon', apply: 'Apply', shipping: 'Shipping address', name: 'Name', phone: 'Phone', country: 'Country', province: 'Province',
    city: 'City', district: 'District', line1: 'Address', postalCode: 'Postal code', placeOrder: 'Place order', pay: 'Pay now',
    orderPlaced: 'Order placed', orderStatus: 'Status', email: 'Email', password: 'Password', noAccount: 'No account yet?',
    haveAccount: 'Have an account?', noOrders: 'No orders yet', language: '中文', status_pending_payment: 'Awaiting payment', status_paid: 'Paid',
    status_fulfilled: 'Shipped', status_completed: 'Completed', status_cancelled: 'Cancelled', status_refunded: 'Refunded',
    status_partially_refunded: 'Partly refunded', results: 'Results for “{q}”', sortNewest: 'Newest', sortPriceAsc: 'Price: low to high', sortPriceDesc: 'Price: high to low',
    more: 'Load more', notFound: 'Page not found',
  },
} as const;

export type Locale = keyof typeof messages;
export type MessageKey = keyof (typeof messages)['en'];

interface I18n {
  locale: Locale;
  setLocale(locale: Locale): void;
  t(key: MessageKey, values?: Record<string, string | number>): string;
}

const Context = createContext<I18n | null>(null);

export function I18nProvider({ initial, children }: { initial: Locale; children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(() => (localStorage.getItem('bazaar.locale') as Locale | null) ?? initial);
  const value = useMemo<I18n>(
    () => ({
      locale,
      setLocale(next) {
        localStorage.setItem('bazaar.locale', next);
        document.documentElement.lang = next;
        setLocaleState(next);
      },
      t: (key, values) => Object.entries(values ?? {}).reduce<string>((text, [name, v]) => text.replace(`{${name}}`, String(v)), messages[locale][key]),
    }),
    [locale],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(Context);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

export { formatMoney } from '../../shared/money.ts';
