import { formatMoney, useI18n } from '../i18n.tsx';

export interface ShippingOption {
  id: string;
  name: Record<string, string>;
  carrier: string | null;
  minDays: number;
  maxDays: number;
  amount: number;
  free: boolean;
}

const pick = (text: Record<string, string>, locale: string) => text[locale] ?? Object.values(text)[0] ?? '';

/** The methods that can ship this cart to the address, with their prices and delivery estimates. */
export function ShippingOptions(props: { options: ShippingOption[]; selected: string | undefined; currency: string; onSelect(id: string): void }) {
  const { t, locale } = useI18n();
  if (props.options.length === 0) return <p role="alert">{t('shippingNoOption')}</p>;
  return (
    <fieldset className="shipping-options">
      <legend>{t('shippingMethod')}</legend>
      {props.options.map((option) => (
        <label key={option.id} className="option">
          <input type="radio" name="shippingMethod" value={option.id} checked={props.selected === option.id} onChange={() => props.onSelect(option.id)} />
          <span>{pick(option.name, locale)}</span>
          <span className="muted">{t(option.minDays === option.maxDays ? 'deliverySameDay' : 'deliveryDays', { min: option.minDays, max: option.maxDays })}</span>
          <strong>{option.free || option.amount === 0 ? t('freeShipping') : formatMoney(option.amount, props.currency, locale)}</strong>
        </label>
      ))}
    </fieldset>
  );
}
