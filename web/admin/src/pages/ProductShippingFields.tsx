import type { ApiError } from '../../../shared/http.ts';
import { useFetch } from '../../../shared/useFetch.ts';
import { SelectField, TextField } from '../components/Field.tsx';
import { defineMessages, pickText, useLocale, useMessages } from '../i18n.tsx';
import { useSession } from '../session.tsx';
import './shipping-tax.css';

/* The product editor's shipping and tax fields: its shipping profile, tax class and each
   variant's weight. Apart from the editor so that the page keeps to the product's own fields. */

const messages = defineMessages({
  en: {
    heading: 'Shipping and tax', profile: 'Shipping profile', general: 'General goods', profileHint: 'Which shipping methods carry it and what they add per unit',
    taxClass: 'Tax class', taxClassHint: 'Empty for standard; the classes of the tax rates are suggested', weights: 'Weight per variant (grams)',
    weight: 'Weight of {sku} (g)', variant: 'variant {n}', gramsInvalid: 'Whole grams, e.g. 350',
  },
  'zh-CN': {
    heading: '配送与税费', profile: '运费模板', general: '普通商品', profileHint: '决定哪些配送方式可以配送以及每件附加费',
    taxClass: '税类', taxClassHint: '不填即 standard；可从已有税率的税类中选择', weights: '各规格重量（克）',
    weight: '{sku} 的重量（克）', variant: '规格 {n}', gramsInvalid: '整数克，例如 350',
  },
});

/** As typed; weights by the variant row's key, so they follow rows that move or are regenerated. */
export interface ShippingDraft {
  shippingProfile: string;
  taxClass: string;
  weights: Record<string, string>;
}

const GENERAL = '';

export function shippingDraftOf(product: { shippingProfile?: string | null; taxClass?: string | null; variants: { weightGrams?: number }[] } | null, rowKeys: string[]): ShippingDraft {
  return {
    shippingProfile: product?.shippingProfile ?? GENERAL,
    taxClass: product?.taxClass ?? '',
    // The variants come back in the order the rows were made from them.
    weights: Object.fromEntries(rowKeys.map((key, index) => [key, String(product?.variants[index]?.weightGrams ?? '')])),
  };
}

type FieldProblem = { path: string; message: string };

/**
 * Adds the draft to the editor's product body: the profile and class, and every variant's
 * weight (variants are replaced as a list, so a weight left out would become 0).
 */
export function useWithShipping() {
  const t = useMessages(messages);
  return <B extends { variants: object[] }, R extends { body: B; problems: FieldProblem[] }>(built: R, draft: ShippingDraft, rows: { key: string }[]) => {
    const problems: FieldProblem[] = [];
    const weights = rows.map((row, index) => {
      const text = (draft.weights[row.key] ?? '').trim();
      if (text === '') return 0;
      if (!/^\d{1,8}$/.test(text)) problems.push({ path: `variants.${index}.weightGrams`, message: t('gramsInvalid') });
      return Number(text);
    });
    const body = {
      ...built.body,
      shippingProfile: draft.shippingProfile || null,
      taxClass: draft.taxClass.trim() || null,
      variants: built.body.variants.map((variant, index) => ({ ...variant, weightGrams: weights[index] ?? 0 })),
    };
    return { ...built, body, problems: [...built.problems, ...problems] };
  };
}

/** Paths whose messages these fields show. */
export function shippingPaths(rowCount: number): string[] {
  return ['shippingProfile', 'taxClass', ...Array.from({ length: rowCount }, (_, index) => `variants.${index}.weightGrams`)];
}

interface Props {
  draft: ShippingDraft;
  variants: { key: string; sku: string }[];
  error: ApiError | null;
  onEdit(draft: ShippingDraft): void;
}

export function ProductShippingFields({ draft, variants, error, onEdit }: Props) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const { api } = useSession();
  const choices = useFetch(async () => {
    const [profiles, rates] = await Promise.all([
      api<{ items: { code: string; name: Record<string, string> }[] }>('GET', '/api/admin/shipping/profiles'),
      api<{ items: { taxClass: string }[] }>('GET', '/api/admin/tax/rates'),
    ]);
    return { profiles: profiles.items, classes: [...new Set(rates.items.map((rate) => rate.taxClass))] };
  }, [api]);
  const profiles = choices.data?.profiles ?? [];
  // A saved profile shows even before (or without) the list, so the select never drops it.
  const known = draft.shippingProfile === GENERAL || profiles.some((profile) => profile.code === draft.shippingProfile);

  return (
    <section className="card product-section" aria-labelledby="product-shipping-heading">
      <h2 id="product-shipping-heading">{t('heading')}</h2>
      <div className="field-grid">
        <SelectField id="product-shipping-profile" name="shippingProfile" label={t('profile')} hint={t('profileHint')} value={draft.shippingProfile} error={error}
          onChange={(event) => onEdit({ ...draft, shippingProfile: event.target.value })}>
          <option value={GENERAL}>{t('general')}</option>
          {!known && <option value={draft.shippingProfile}>{draft.shippingProfile}</option>}
          {profiles.map((profile) => <option key={profile.code} value={profile.code}>{pickText(profile.name, locale)} ({profile.code})</option>)}
        </SelectField>
        <TextField id="product-tax-class" name="taxClass" label={t('taxClass')} hint={t('taxClassHint')} value={draft.taxClass} list="product-tax-classes" maxLength={32} autoComplete="off" spellCheck={false} error={error}
          onChange={(event) => onEdit({ ...draft, taxClass: event.target.value })} />
        <datalist id="product-tax-classes">
          {(choices.data?.classes ?? []).map((taxClass) => <option key={taxClass} value={taxClass} />)}
        </datalist>
      </div>
      <h3>{t('weights')}</h3>
      <div className="field-grid">
        {variants.map((variant, index) => (
          <TextField key={variant.key} id={`variant-${variant.key}-weight`} name={`variants.${index}.weightGrams`} label={t('weight', { sku: variant.sku.trim() || t('variant', { n: index + 1 }) })}
            value={draft.weights[variant.key] ?? ''} placeholder="0" inputMode="numeric" autoComplete="off" error={error}
            onChange={(event) => onEdit({ ...draft, weights: { ...draft.weights, [variant.key]: event.target.value } })} />
        ))}
      </div>
    </section>
  );
}
