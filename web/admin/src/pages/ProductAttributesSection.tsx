import type { ApiError } from '../../../shared/http.ts';
import { SelectField, TextField } from '../components/Field.tsx';
import { defineMessages, useLocale, useMessages } from '../i18n.tsx';

const messages = defineMessages({
  en: { attributes: 'Attributes and tags', hint: 'Shoppers filter listings by these; attributes are defined on the Attributes page.', none: '—', tags: 'Tags', tagsHint: 'Comma-separated, e.g. new, gift (rule collections select by tag)', number: 'A whole number' },
  'zh-CN': { attributes: '属性与标签', hint: '顾客可以按这些筛选商品；属性在“商品属性”页面定义。', none: '—', tags: '标签', tagsHint: '用逗号分隔，例如 new, gift（规则专题按标签选品）', number: '整数' },
});

export interface AttributeDefinition {
  id: string;
  code: string;
  name: Record<string, string>;
  kind: 'choice' | 'number';
  choices: { value: string; name: Record<string, string> }[];
}

interface Props {
  attributes: AttributeDefinition[];
  /** Values as typed, by attribute code; '' for none. */
  values: Record<string, string>;
  tags: string;
  error: ApiError | null;
  onEdit(change: { attributes?: Record<string, string>; tags?: string }): void;
}

/** The product editor's attribute values (one field per attribute) and tags. */
export function ProductAttributesSection({ attributes, values, tags, error, onEdit }: Props) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const named = (text: Record<string, string>) => text[locale] ?? Object.values(text)[0] ?? '';
  const set = (code: string, value: string) => onEdit({ attributes: { ...values, [code]: value } });
  return (
    <section className="card product-section" aria-labelledby="product-attributes-heading">
      <h2 id="product-attributes-heading">{t('attributes')}</h2>
      <p className="hint">{t('hint')}</p>
      <div className="product-grid">
        {attributes.map((attribute) =>
          attribute.kind === 'choice' ? (
            <SelectField key={attribute.id} id={`attribute-${attribute.code}`} errorPath={`attributes.${attribute.code}`} label={named(attribute.name)} value={values[attribute.code] ?? ''} error={error} onChange={(e) => set(attribute.code, e.target.value)}>
              <option value="">{t('none')}</option>
              {attribute.choices.map((choice) => <option key={choice.value} value={choice.value}>{named(choice.name)}</option>)}
            </SelectField>
          ) : (
            <TextField key={attribute.id} id={`attribute-${attribute.code}`} errorPath={`attributes.${attribute.code}`} label={named(attribute.name)} hint={t('number')} inputMode="numeric" value={values[attribute.code] ?? ''} error={error} onChange={(e) => set(attribute.code, e.target.value)} />
          ),
        )}
        <TextField id="tags" label={t('tags')} hint={t('tagsHint')} value={tags} error={error} autoComplete="off" spellCheck={false} onChange={(e) => onEdit({ tags: e.target.value })} />
      </div>
    </section>
  );
}

/** The body's `attributes` and `tags` from what was typed: empty fields are left out, numbers sent as numbers. */
export function attributesBody(attributes: AttributeDefinition[], values: Record<string, string>, tags: string) {
  const kinds = new Map(attributes.map((attribute) => [attribute.code, attribute.kind]));
  const chosen = Object.entries(values).filter(([, value]) => value.trim() !== '');
  return {
    attributes: Object.fromEntries(chosen.map(([code, value]) => [code, kinds.get(code) === 'number' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value.trim()])),
    tags: [...new Set(tags.split(/[,，]/).map((tag) => tag.trim().toLowerCase()).filter(Boolean))],
  };
}
