import { defineMessages } from './i18n.tsx';

/** Words more than one page shows: order states and staff roles. */
export const statusMessages = defineMessages({
  en: {
    pending_payment: 'Awaiting payment', paid: 'Paid', partially_fulfilled: 'Partly shipped', fulfilled: 'Shipped', completed: 'Completed', cancelled: 'Cancelled',
    refunded: 'Refunded', partially_refunded: 'Partly refunded', draft: 'Draft', active: 'Active', archived: 'Archived', disabled: 'Disabled',
    owner: 'Owner', admin: 'Admin', operator: 'Operator', viewer: 'Viewer',
  },
  'zh-CN': {
    pending_payment: '待支付', paid: '已支付', partially_fulfilled: '部分发货', fulfilled: '已发货', completed: '已完成', cancelled: '已取消',
    refunded: '已退款', partially_refunded: '部分退款', draft: '草稿', active: '在售', archived: '已归档', disabled: '已停用',
    owner: '所有者', admin: '管理员', operator: '运营', viewer: '只读',
  },
});
export type StatusKey = keyof (typeof statusMessages)['en'];
