import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';

const messages = {
  'zh-CN': {
    creditNav: '礼品卡与余额', creditTitle: '礼品卡与店铺余额', giftCardBalance: '查询礼品卡余额', giftCardCode: '礼品卡卡号', giftCardCheck: '查询',
    giftCardHas: '礼品卡 {code} 余额 {balance}。', giftCardExpires: '有效期至 {date}。', giftCardNotFound: '没有这张礼品卡，请核对卡号。',
    giftCardExpired: '这张礼品卡已过期。', giftCardDisabled: '这张礼品卡已停用。', giftCardThrottled: '查询太频繁，请稍后再试。',
    storeCredit: '我的店铺余额', storeCreditNone: '暂无余额', creditWhen: '时间', creditWhat: '事项', creditAmount: '金额',
    creditGranted: '商家赠送', creditSpent: '下单使用', creditReturned: '订单取消退回', creditRefunded: '退款', creditOther: '其他',
    home: '首页', categories: '分类', search: '搜索', searchPlaceholder: '搜索商品', cart: '购物车', orders: '我的订单',
    login: '登录', register: '注册', logout: '退出', featured: '精选商品', empty: '这里还没有商品', loading: '加载中…',
    addToCart: '加入购物车', added: '已加入购物车', outOfStock: '缺货', inStock: '有货', left: '剩余 {n} 件', quantity: '数量',
    subtotal: '小计', discount: '优惠', total: '合计', checkout: '去结算', cartEmpty: '购物车是空的', remove: '删除',
    coupon: '优惠券', apply: '使用', shipping: '收货地址', name: '姓名', phone: '手机号', country: '国家/地区', province: '省份',
    city: '城市', district: '区县', line1: '详细地址', postalCode: '邮编', placeOrder: '提交订单', pay: '去支付',
    orderPlaced: '订单已提交', orderStatus: '订单状态', exchangeFor: '换成', exchangeSame: '同款同规格', balanceOwed: '商家修改了订单，还需补款 {amount}，补款后发货。', payBalance: '补款 {amount}', payNow: '去支付 {amount}', email: '邮箱', password: '密码', noAccount: '还没有账号？',
    haveAccount: '已有账号？', noOrders: '还没有订单', language: 'English', status_pending_payment: '待支付', status_paid: '已支付',
    status_fulfilled: '已发货', status_completed: '已完成', status_cancelled: '已取消', status_refunded: '已退款',
    status_partially_refunded: '部分退款', results: '“{q}”的搜索结果', sortNewest: '最新', sortPriceAsc: '价格从低到高', sortPriceDesc: '价格从高到低', sortBestSelling: '销量最高', sortPosition: '推荐顺序',
    filters: '筛选', clearFilters: '清除筛选', productCount: '共 {n} 件商品', facet_price: '价格', facet_inStock: '库存', facet_inStockOnly: '仅看有货',
    option_colour: '颜色', option_color: '颜色', option_size: '尺码', priceFrom: '{min} 以上', brand: '品牌', collection: '专题',
    status_partially_fulfilled: '部分发货',
    shipments: '包裹', shipmentN: '包裹 {n}', trackingNumber: '物流单号', noShipments: '商家还没有发货', deliveredAt: '全部送达：{time}',
    shipment_created: '待发出', shipment_shipped: '运输中', shipment_delivered: '已送达', shippedAtLabel: '发出', deliveredAtLabel: '送达',
    carrier_sf: '顺丰速运', carrier_jd: '京东物流', carrier_yto: '圆通速递', carrier_zto: '中通快递', carrier_sto: '申通快递', carrier_yunda: '韵达快递',
    carrier_ems: 'EMS', carrier_ups: 'UPS', carrier_fedex: 'FedEx', carrier_dhl: 'DHL', carrier_other: '其他快递',
    more: '加载更多', notFound: '找不到这个页面',
    flashSales: '秒杀', flashNone: '现在没有秒杀活动', flashLive: '抢购中', flashUpcoming: '即将开始', flashPrice: '秒杀价',
    flashStartsIn: '距开始 {time}', flashEndsIn: '距结束 {time}', flashEnded: '已结束', flashSoldOut: '已抢光', flashQuantity: '限量 {n} 件',
    flashLimit: '每人限购 {n} 件', flashBuy: '立即抢购', flashSignIn: '登录后参与秒杀', flashAddressHint: '开抢前先填好收货地址，开抢时一键下单。地址只保存在这台设备上。',
    flashWaitForStart: '倒计时结束后即可抢购，无需刷新页面。', flashCheckAgain: '再看看', flashTrying: '正在抢购…',
    flashAdmitted: '抢到了！请在 {n} 分钟内付款', flashPayBy: '付款截止：{time}', flashOutSoldOut: '手慢了，已经抢光了',
    flashOutLimit: '你已达到每人限购数量，可在“我的订单”中查看', flashOutRateLimited: '尝试太频繁，请稍等一秒', flashOutEnded: '秒杀已结束',
    flashOutNotStarted: '还没开始，请稍候再试', flashOutAddress: '请先填写收货地址中带 * 的项目', flashOutFields: '请检查收货地址中标出的项目',
    flashOutNetwork: '网络出错，请再点一次（不会重复下单）', flashOutSignIn: '登录已过期，请重新登录', flashOutError: '出错了：{message}',
    flashRequired: '必填', flashPayFailed: '没能打开付款页面：{message}',
    forgotPassword: '忘记密码？', resetAskTitle: '重设密码', resetAsk: '发送重设链接', newPassword: '新密码',
    resetAsked: '如果这个邮箱注册过本店账号，重设密码的链接已经发出。链接 30 分钟内有效，只能用一次。',
    resetSetTitle: '设置新密码', resetSet: '设置密码', resetDone: '新密码已生效，这个账号在所有设备上的登录都已退出。请用新密码登录。',
    shippingMethod: '配送方式', shippingFee: '运费', freeShipping: '包邮', deliveryDays: '{min}–{max} 天送达', deliverySameDay: '{min} 天内送达',
    shippingNoOption: '这些商品暂时无法配送到这个地址', shippingEnterAddress: '填写城市后显示可选的配送方式和运费',
    taxIncluded: '其中税费', taxAdded: '税费', invoiceWanted: '开具发票', invoicePersonal: '个人', invoiceCompany: '单位',
    invoiceTitle: '发票抬头', invoiceTaxId: '纳税人识别号', invoiceEmail: '接收发票的邮箱', invoice: '发票', invoiceRequested: '已申请',
    invoiceIssued: '已开具（{number}）', shippedBy: '配送：{method}', specialPrice: '专享价',
    giftCardAndCredit: '礼品卡与余额', giftCard: '礼品卡卡号', giftCardApplied: '已使用礼品卡（余额 {balance}）', useStoreCredit: '使用账户余额（{balance}）',
    giftCardOtherCurrency: '这张礼品卡是其他币种的', paidWithTenders: '礼品卡/余额抵扣', toPay: '还需支付',
    account: '我的账户', profile: '个人资料', currentPassword: '当前密码', saveProfile: '保存资料', profileSaved: '资料已保存',
    addressBook: '收货地址簿', noAddresses: '还没有保存的地址', defaultAddress: '默认', makeDefault: '设为默认', edit: '编辑',
    addAddress: '新增地址', editAddress: '编辑地址', saveAddress: '保存地址', cancel: '取消', savedAddresses: '已保存的地址',
    newAddress: '使用新地址', saveToAddressBook: '把这个地址保存到地址簿', wishlist: '收藏夹', wishlistEmpty: '收藏夹还是空的',
    addToWishlist: '收藏', inWishlist: '已收藏', unavailable: '已下架',
    reviews: '商品评价', noReviews: '还没有评价', aCustomer: '顾客', reviewPhoto: '评价图片 {n}', ratingLabel: '{n} 星（满分 5 星）', reviewCount: '{n} 条评价', reviewCountOne: '1 条评价',
    writeReview: '写评价', yourRating: '评分', starsN: '{n} 星', reviewTitle: '标题', reviewBody: '评价内容', reviewPhotos: '图片（最多 {n} 张，JPEG/PNG/WebP）',
    submitReview: '提交评价', reviewThanks: '感谢评价！审核通过后会显示在这里。', tooManyPhotos: '最多上传 {n} 张图片', photoTooLarge: '图片太大了，请换一张小一点的',
    photoWrongType: '只能上传 JPEG、PNG 或 WebP 图片',
    returns: '售后', requestReturn: '申请售后', returnType: '售后类型', return_refund_only: '仅退款', return_return_and_refund: '退货退款', return_exchange: '换货',
    returnQuantity: '数量', returnReason: '原因', returnReasonText: '补充说明', returnPhotos: '凭证图片（最多 {n} 张）', submitReturn: '提交申请',
    reason_damaged: '商品破损', reason_wrong_item: '发错货', reason_not_as_described: '与描述不符', reason_quality_issue: '质量问题', reason_size_fit: '尺码不合适',
    reason_missing_parts: '少件/漏发', reason_changed_mind: '不想要了', reason_other: '其他',
    returnState_requested: '待审核', returnState_approved: '已同意', returnState_rejected: '已拒绝', returnState_awaiting_return: '待寄回', returnState_shipped_back: '已寄回',
    returnState_received: '已收货', returnState_refunding: '退款中', returnState_refunded: '已退款', returnState_exchanged: '已换货', returnState_cancelled: '已取消', returnState_expired: '已关闭（超时未寄回）',
    returnAmount: '退款金额', shipBackBy: '请在 {time} 前寄回', shipBack: '填写退货物流', carrier: '快递公司', submitShipBack: '提交物流', cancelReturn: '取消申请',
    rejectedBecause: '拒绝原因：{reason}', replacementOrder: '换货订单', noReturns: '暂无售后申请', returnPhoto: '凭证图片 {n}',
  },
  en: {
    creditNav: 'Gift cards & credit', creditTitle: 'Gift cards and store credit', giftCardBalance: 'Check a gift card balance', giftCardCode: 'Gift card code', giftCardCheck: 'Check',
    giftCardHas: 'Gift card {code} holds {balance}.', giftCardExpires: 'Valid until {date}.', giftCardNotFound: 'There is no gift card with this code; check it and try again.',
    giftCardExpired: 'This gift card has expired.', giftCardDisabled: 'This gift card has been disabled.', giftCardThrottled: 'Too many checks; try again later.',
    storeCredit: 'Your store credit', storeCreditNone: 'No store credit yet', creditWhen: 'When', creditWhat: 'What', creditAmount: 'Amount',
    creditGranted: 'Granted by the shop', creditSpent: 'Used on an order', creditReturned: 'Returned from a cancelled order', creditRefunded: 'Refund', creditOther: 'Other',
    home: 'Home', categories: 'Categories', search: 'Search', searchPlaceholder: 'Search products', cart: 'Cart', orders: 'My orders',
    login: 'Log in', register: 'Sign up', logout: 'Log out', featured: 'Featured', empty: 'Nothing here yet', loading: 'Loading…',
    addToCart: 'Add to cart', added: 'Added to cart', outOfStock: 'Out of stock', inStock: 'In stock', left: 'Only {n} left', quantity: 'Quantity',
    subtotal: 'Subtotal', discount: 'Discount', total: 'Total', checkout: 'Check out', cartEmpty: 'Your cart is empty', remove: 'Remove',
    coupon: 'Coupon', apply: 'Apply', shipping: 'Shipping address', name: 'Name', phone: 'Phone', country: 'Country', province: 'Province',
    city: 'City', district: 'District', line1: 'Address', postalCode: 'Postal code', placeOrder: 'Place order', pay: 'Pay now',
    orderPlaced: 'Order placed', orderStatus: 'Status', exchangeFor: 'Exchange for', exchangeSame: 'The same one again', balanceOwed: 'The shop changed this order: {amount} is still to pay, and it ships once paid.', payBalance: 'Pay {amount}', payNow: 'Pay {amount} now', email: 'Email', password: 'Password', noAccount: 'No account yet?',
    haveAccount: 'Have an account?', noOrders: 'No orders yet', language: '中文', status_pending_payment: 'Awaiting payment', status_paid: 'Paid',
    status_fulfilled: 'Shipped', status_completed: 'Completed', status_cancelled: 'Cancelled', status_refunded: 'Refunded',
    status_partially_refunded: 'Partly refunded', results: 'Results for “{q}”', sortNewest: 'Newest', sortPriceAsc: 'Price: low to high', sortPriceDesc: 'Price: high to low', sortBestSelling: 'Best-selling', sortPosition: 'Featured order',
    filters: 'Filters', clearFilters: 'Clear filters', productCount: '{n} products', facet_price: 'Price', facet_inStock: 'Availability', facet_inStockOnly: 'In stock only',
    option_colour: 'Colour', option_color: 'Colour', option_size: 'Size', priceFrom: '{min} and up', brand: 'Brand', collection: 'Collection',
    status_partially_fulfilled: 'Partly shipped',
    shipments: 'Parcels', shipmentN: 'Parcel {n}', trackingNumber: 'Tracking number', noShipments: 'Nothing has shipped yet', deliveredAt: 'All delivered: {time}',
    shipment_created: 'Being packed', shipment_shipped: 'On its way', shipment_delivered: 'Delivered', shippedAtLabel: 'Shipped', deliveredAtLabel: 'Delivered',
    carrier_sf: 'SF Express', carrier_jd: 'JD Logistics', carrier_yto: 'YTO Express', carrier_zto: 'ZTO Express', carrier_sto: 'STO Express', carrier_yunda: 'Yunda Express',
    carrier_ems: 'EMS', carrier_ups: 'UPS', carrier_fedex: 'FedEx', carrier_dhl: 'DHL', carrier_other: 'Other carrier',
    more: 'Load more', notFound: 'Page not found',
    flashSales: 'Flash sales', flashNone: 'No flash sales right now', flashLive: 'Live now', flashUpcoming: 'Coming up', flashPrice: 'Flash price',
    flashStartsIn: 'Starts in {time}', flashEndsIn: 'Ends in {time}', flashEnded: 'Ended', flashSoldOut: 'Sold out', flashQuantity: 'Quantity {n}',
    flashLimit: 'Limit {n} per customer', flashBuy: 'Buy now', flashSignIn: 'Log in to take part', flashAddressHint: 'Fill in your shipping address before the start, then buy with one tap. It is kept on this device only.',
    flashWaitForStart: 'The button turns on when the countdown ends; no need to reload.', flashCheckAgain: 'Check again', flashTrying: 'Trying…',
    flashAdmitted: 'You got it! Pay within {n} minutes', flashPayBy: 'Pay by {time}', flashOutSoldOut: 'Sorry, sold out',
    flashOutLimit: 'You have reached the limit per customer; see My orders', flashOutRateLimited: 'Too many tries, wait a second', flashOutEnded: 'The sale has ended',
    flashOutNotStarted: "It hasn't started yet; try again in a moment", flashOutAddress: 'Fill in the address fields marked * first', flashOutFields: 'Check the marked address fields',
    flashOutNetwork: "Couldn't reach the server; tap again (you won't buy twice)", flashOutSignIn: 'Your session has expired; log in again', flashOutError: 'Something went wrong: {message}',
    flashRequired: 'Required', flashPayFailed: "Couldn't open the payment: {message}",
    forgotPassword: 'Forgot your password?', resetAskTitle: 'Reset your password', resetAsk: 'Send me a link', newPassword: 'New password',
    resetAsked: 'If that email has an account here, a link to set a new password is on its way. It works once, for 30 minutes.',
    resetSetTitle: 'Set a new password', resetSet: 'Set password', resetDone: 'Your new password is set, and you are logged out on every device. Log in with it.',
    shippingMethod: 'Shipping method', shippingFee: 'Shipping', freeShipping: 'Free', deliveryDays: 'Arrives in {min}–{max} days', deliverySameDay: 'Arrives within {min} days',
    shippingNoOption: "These items can't be shipped to this address", shippingEnterAddress: 'Enter the city to see shipping methods and prices',
    taxIncluded: 'Incl. tax', taxAdded: 'Tax', invoiceWanted: 'I need an invoice', invoicePersonal: 'Personal', invoiceCompany: 'Company',
    invoiceTitle: 'Invoice title', invoiceTaxId: 'Tax ID', invoiceEmail: 'Email for the invoice', invoice: 'Invoice', invoiceRequested: 'Requested',
    invoiceIssued: 'Issued ({number})', shippedBy: 'Shipping: {method}', specialPrice: 'Your price',
    giftCardAndCredit: 'Gift card and store credit', giftCard: 'Gift card code', giftCardApplied: 'Gift card applied (balance {balance})', useStoreCredit: 'Use my store credit ({balance})',
    giftCardOtherCurrency: 'This gift card is in another currency', paidWithTenders: 'Gift card / credit', toPay: 'To pay',
    account: 'My account', profile: 'Profile', currentPassword: 'Current password', saveProfile: 'Save profile', profileSaved: 'Profile saved',
    addressBook: 'Address book', noAddresses: 'No saved addresses yet', defaultAddress: 'Default', makeDefault: 'Make default', edit: 'Edit',
    addAddress: 'Add an address', editAddress: 'Edit address', saveAddress: 'Save address', cancel: 'Cancel', savedAddresses: 'Saved addresses',
    newAddress: 'A new address', saveToAddressBook: 'Save this address to my address book', wishlist: 'Wishlist', wishlistEmpty: 'Your wishlist is empty',
    addToWishlist: 'Add to wishlist', inWishlist: 'In your wishlist', unavailable: 'no longer available',
    reviews: 'Reviews', noReviews: 'No reviews yet', aCustomer: 'A customer', reviewPhoto: 'Review photo {n}', ratingLabel: '{n} out of 5 stars', reviewCount: '{n} reviews', reviewCountOne: '1 review',
    writeReview: 'Write a review', yourRating: 'Your rating', starsN: '{n} stars', reviewTitle: 'Title', reviewBody: 'Your review', reviewPhotos: 'Photos (up to {n}, JPEG/PNG/WebP)',
    submitReview: 'Submit review', reviewThanks: 'Thank you! Your review appears here once it has been checked.', tooManyPhotos: 'Up to {n} photos', photoTooLarge: 'That photo is too large; pick a smaller one',
    photoWrongType: 'Photos must be JPEG, PNG or WebP images',
    returns: 'Returns', requestReturn: 'Request a return', returnType: 'What you want', return_refund_only: 'Refund only', return_return_and_refund: 'Return and refund', return_exchange: 'Exchange',
    returnQuantity: 'Quantity', returnReason: 'Reason', returnReasonText: 'Details', returnPhotos: 'Photos (up to {n})', submitReturn: 'Send request',
    reason_damaged: 'Arrived damaged', reason_wrong_item: 'Wrong item', reason_not_as_described: 'Not as described', reason_quality_issue: 'Quality problem', reason_size_fit: 'Size or fit',
    reason_missing_parts: 'Parts missing', reason_changed_mind: 'Changed my mind', reason_other: 'Other',
    returnState_requested: 'Waiting for review', returnState_approved: 'Approved', returnState_rejected: 'Rejected', returnState_awaiting_return: 'Send it back', returnState_shipped_back: 'On its way back',
    returnState_received: 'Received', returnState_refunding: 'Refunding', returnState_refunded: 'Refunded', returnState_exchanged: 'Exchanged', returnState_cancelled: 'Cancelled', returnState_expired: 'Closed (not sent back in time)',
    returnAmount: 'Refund', shipBackBy: 'Please send it back by {time}', shipBack: 'Return parcel', carrier: 'Carrier', submitShipBack: 'Send tracking', cancelReturn: 'Cancel request',
    rejectedBecause: 'Rejected: {reason}', replacementOrder: 'Replacement order', noReturns: 'No return requests yet', returnPhoto: 'Return photo {n}',
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
