import type { ApiError } from '../../../shared/http.ts';
import { TextField } from '../components/Field.tsx';
import { defineMessages, useMessages } from '../i18n.tsx';

const messages = defineMessages({
  en: {
    windowDays: 'Return window (days after delivery)', windowHint: 'Customers may ask for a return this long after the order was delivered',
    shipBackDays: 'Ship-back deadline (days)', shipBackHint: 'An approved return not sent back within this is closed',
    autoBelow: 'Approve refund-only requests up to (minor units)', autoHint: 'Refunded at once without review; 0 turns it off',
  },
  'zh-CN': {
    windowDays: '售后期限（签收后天数）', windowHint: '订单签收后这么多天内可以申请售后',
    shipBackDays: '寄回期限（天）', shipBackHint: '同意退货后超过这个时间未寄回的申请会被关闭',
    autoBelow: '仅退款自动同意金额上限（分）', autoHint: '不超过这个金额的仅退款申请立即退款；0 表示关闭',
  },
});

export interface ReturnsSettingsForm {
  windowDays: string;
  shipBackDays: string;
  autoApproveRefundOnlyBelow: string;
}

/** The platform's after-sales policy, as fields of the settings form. */
export function ReturnsSettingsFields({ values, onChange, error, disabled }: { values: ReturnsSettingsForm; onChange(values: ReturnsSettingsForm): void; error: ApiError | null; disabled: boolean }) {
  const t = useMessages(messages);
  const field = (name: keyof ReturnsSettingsForm) => ({
    id: `returns-${name}`,
    type: 'number',
    min: 0,
    value: values[name],
    onChange: (event: { target: { value: string } }) => onChange({ ...values, [name]: event.target.value }),
    error,
    errorPath: `returns.${name}`,
    disabled,
  });
  return (
    <>
      <TextField {...field('windowDays')} max={365} label={t('windowDays')} hint={t('windowHint')} />
      <TextField {...field('shipBackDays')} min={1} max={90} label={t('shipBackDays')} hint={t('shipBackHint')} />
      <TextField {...field('autoApproveRefundOnlyBelow')} label={t('autoBelow')} hint={t('autoHint')} />
    </>
  );
}

export function returnsSettingsForm(settings: { windowDays: number; shipBackDays: number; autoApproveRefundOnlyBelow: number }): ReturnsSettingsForm {
  return { windowDays: String(settings.windowDays), shipBackDays: String(settings.shipBackDays), autoApproveRefundOnlyBelow: String(settings.autoApproveRefundOnlyBelow) };
}

export function returnsSettingsBody(form: ReturnsSettingsForm) {
  return { windowDays: Number(form.windowDays), shipBackDays: Number(form.shipBackDays), autoApproveRefundOnlyBelow: Number(form.autoApproveRefundOnlyBelow) };
}
