import { formatMoney, useI18n, type MessageKey } from '../i18n.tsx';

export interface FacetGroup {
  key: string;
  kind: 'attribute' | 'option' | 'price' | 'inStock';
  code: string;
  name: string;
  values: { value: string; label: string; count: number; selected: boolean }[];
}

interface Props {
  groups: FacetGroup[];
  currency: string;
  /** Turns one value of a facet on or off. */
  onToggle(key: string, value: string): void;
  onClear(): void;
  /** From the URL, so a box ticks as soon as it is clicked, before the new counts arrive. */
  isSelected(key: string, value: string): boolean;
  anySelected: boolean;
}

/** Facets with counts; each group is a set of checkboxes (values of one facet are ORed). */
export function FacetSidebar({ groups, currency, onToggle, onClear, isSelected, anySelected }: Props) {
  const { t, locale } = useI18n();
  const title = (group: FacetGroup) => {
    if (group.kind === 'price') return t('facet_price');
    if (group.kind === 'inStock') return t('facet_inStock');
    if (group.kind === 'option') {
      const key = `option_${group.code}` as MessageKey;
      // Options are named per product; the common ones have a name here, the rest show their code.
      return (t(key) as string | undefined) || group.code;
    }
    return group.name;
  };
  const label = (group: FacetGroup, value: FacetGroup['values'][number]) => {
    if (group.kind === 'inStock') return t('facet_inStockOnly');
    if (group.kind !== 'price') return value.label;
    const [min, max] = value.value.split('-').map((part) => (part ? formatMoney(Number(part), currency, locale) : ''));
    return max ? `${min} – ${max}` : t('priceFrom', { min: min! });
  };
  return (
    <aside className="facets" aria-label={t('filters')}>
      <h2>{t('filters')}</h2>
      {anySelected && <button type="button" className="link" onClick={onClear}>{t('clearFilters')}</button>}
      {groups.map((group) => (
        <fieldset key={group.key} data-facet={group.key}>
          <legend>{title(group)}</legend>
          {group.values.map((value) => {
            const selected = isSelected(group.key, value.value);
            return (
              <label key={value.value} className={value.count === 0 && !selected ? 'muted' : undefined}>
                <input type="checkbox" checked={selected} disabled={value.count === 0 && !selected} onChange={() => onToggle(group.key, value.value)} />
                {label(group, value)} <span className="count">({value.count})</span>
              </label>
            );
          })}
        </fieldset>
      ))}
    </aside>
  );
}
