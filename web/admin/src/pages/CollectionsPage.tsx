import { useState, type FormEvent } from 'react';
import { asApiError, type ApiError } from '../../../shared/http.ts';
import { moneyInput, parseMoney } from '../../../shared/money.ts';
import { useFetch } from '../../../shared/useFetch.ts';
import { FormError, SelectField, TextField } from '../components/Field.tsx';
import { Loaded } from '../components/States.tsx';
import { defineMessages, pickText, useLocale, useMessages } from '../i18n.tsx';
import { useSession } from '../session.tsx';
import type { AttributeDefinition } from './ProductAttributesSection.tsx';

const messages = defineMessages({
  en: {
    title: 'Collections', slug: 'Slug', name: 'Title', kind: 'Kind', content: 'Products', actions: 'Actions',
    manual: 'Chosen by hand', rule: 'By rule', none: 'No collections yet.', products: '{n} products', edit: 'Edit', remove: 'Delete',
    newCollection: 'New collection', editCollection: 'Edit collection {slug}', create: 'Create collection', save: 'Save', cancel: 'Cancel',
    createdOk: 'Collection {slug} created.', savedOk: 'Collection {slug} saved.', removedOk: 'Collection {slug} deleted.',
    titleEn: 'Title (English)', titleZh: 'Title (Chinese)', pick: 'Products, in the order shown', add: 'Add a product', up: 'Move up', down: 'Move down', drop: 'Remove',
    ruleTag: 'Has tag', ruleAttribute: 'Attribute', ruleValues: 'Attribute values', ruleValuesHint: 'Comma-separated, e.g. acme, zen', rulePrice: 'Price below ({currency})',
    ruleCategory: 'In category', any: 'Any', open: 'Open in store', badAmount: 'Enter an amount such as 50.00',
  },
  'zh-CN': {
    title: '专题', slug: '路径', name: '标题', kind: '方式', content: '商品', actions: '操作',
    manual: '手动挑选', rule: '按规则', none: '还没有专题。', products: '{n} 件商品', edit: '编辑', remove: '删除',
    newCollection: '新建专题', editCollection: '编辑专题 {slug}', create: '创建专题', save: '保存', cancel: '取消',
    createdOk: '专题 {slug} 已创建。', savedOk: '专题 {slug} 已保存。', removedOk: '专题 {slug} 已删除。',
    titleEn: '标题（英文）', titleZh: '标题（中文）', pick: '商品（按显示顺序）', add: '添加商品', up: '上移', down: '下移', drop: '移除',
    ruleTag: '带有标签', ruleAttribute: '属性', ruleValues: '属性值', ruleValuesHint: '用逗号分隔，例如 acme, zen', rulePrice: '价格低于（{currency}）',
    ruleCategory: '所属分类', any: '不限', open: '在商店中查看', badAmount: '请输入金额，例如 50.00',
  },
});

interface Rule {
  tags?: string[];
  attribute?: { code: string; values: string[] };
  priceBelow?: { currency: string; amount: number };
  categoryId?: string;
}
interface Collection { id: string; slug: string; title: Record<string, string>; kind: 'manual' | 'rule'; rule: Rule | null; productIds: string[] }
interface Product { id: string; title: Record<string, string> }
interface Category { id: string; name: Record<string, string> }
interface Setup { products: Product[]; attributes: AttributeDefinition[]; categories: Category[]; currency: string }

/** Collections: a hand-picked, ordered list of products, or a rule the store evaluates on every read. */
export function CollectionsPage() {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const { api, can } = useSession();
  const collections = useFetch(() => api<{ items: Collection[] }>('GET', '/api/admin/collections'), []);
  const setup = useFetch(async (): Promise<Setup> => {
    const [products, attributes, categories, platform] = await Promise.all([
      api<{ items: Product[] }>('GET', '/api/admin/products?limit=100&status=active'),
      api<{ items: AttributeDefinition[] }>('GET', '/api/admin/attributes'),
      api<{ items: Category[] }>('GET', '/api/admin/categories'),
      api<{ defaultCurrency: string }>('GET', '/api/store/platform'),
    ]);
    return { products: products.items, attributes: attributes.items, categories: categories.items, currency: platform.defaultCurrency };
  }, []);
  const [notice, setNotice] = useState('');
  const [editing, setEditing] = useState<Collection | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const changed = (message: string) => {
    setNotice(message);
    setEditing(null);
    collections.reload();
  };
  async function remove(collection: Collection) {
    try {
      await api('DELETE', `/api/admin/collections/${collection.id}`);
      changed(t('removedOk', { slug: collection.slug }));
    } catch (problem) {
      setError(asApiError(problem));
    }
  }

  return (
    <section>
      <h1>{t('title')}</h1>
      <p role="status" className="notice">{notice}</p>
      <FormError error={error} />
      <Loaded fetched={collections} isEmpty={(data) => data.items.length === 0} empty={t('none')}>
        {(data) => (
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('slug')}</th>
                  <th scope="col">{t('name')}</th>
                  <th scope="col">{t('kind')}</th>
                  <th scope="col">{t('content')}</th>
                  {can('operator') && <th scope="col">{t('actions')}</th>}
                </tr>
              </thead>
              <tbody>
                {data.items.map((collection) => (
                  <tr key={collection.id}>
                    <td><a href={`/collection/${collection.slug}`} target="_blank" rel="noreferrer" title={t('open')}>{collection.slug}</a></td>
                    <td>{pickText(collection.title, locale)}</td>
                    <td>{t(collection.kind)}</td>
                    <td>{collection.kind === 'manual' ? t('products', { n: collection.productIds.length }) : <code>{JSON.stringify(collection.rule)}</code>}</td>
                    {can('operator') && (
                      <td>
                        <button type="button" className="link" onClick={() => setEditing(collection)}>{t('edit')}</button>{' '}
                        <button type="button" className="link danger" onClick={() => void remove(collection)}>{t('remove')}</button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
      {can('operator') && (
        <Loaded fetched={setup}>
          {(found) => (
            <>
              <h2>{editing ? t('editCollection', { slug: editing.slug }) : t('newCollection')}</h2>
              <CollectionForm
                key={editing?.id ?? 'new'}
                collection={editing}
                setup={found}
                onSaved={(slug) => changed(t(editing ? 'savedOk' : 'createdOk', { slug }))}
                onCancel={() => setEditing(null)}
              />
            </>
          )}
        </Loaded>
      )}
    </section>
  );
}

function CollectionForm({ collection, setup, onSaved, onCancel }: { collection: Collection | null; setup: Setup; onSaved(slug: string): void; onCancel(): void }) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const { api } = useSession();
  const rule = collection?.rule ?? {};
  const [form, setForm] = useState({
    slug: collection?.slug ?? '',
    en: collection?.title.en ?? '',
    zh: collection?.title['zh-CN'] ?? '',
    kind: collection?.kind ?? ('manual' as 'manual' | 'rule'),
    productIds: collection?.productIds ?? [],
    tag: rule.tags?.join(', ') ?? '',
    attribute: rule.attribute?.code ?? '',
    values: rule.attribute?.values.join(', ') ?? '',
    priceBelow: rule.priceBelow ? moneyInput(rule.priceBelow.amount, rule.priceBelow.currency) : '',
    categoryId: rule.categoryId ?? '',
  });
  const [error, setError] = useState<ApiError | null>(null);
  const [localProblem, setLocalProblem] = useState('');
  const edit = (change: Partial<typeof form>) => setForm((current) => ({ ...current, ...change }));
  const titleOf = (id: string) => pickText(setup.products.find((product) => product.id === id)?.title, locale) || id;
  const move = (index: number, by: number) => {
    const next = [...form.productIds];
    const [item] = next.splice(index, 1);
    next.splice(index + by, 0, item!);
    edit({ productIds: next });
  };
  const list = (text: string) => [...new Set(text.split(/[,，]/).map((part) => part.trim()).filter(Boolean))];

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setLocalProblem('');
    const price = form.priceBelow.trim() ? parseMoney(form.priceBelow, setup.currency) : undefined;
    if (Number.isNaN(price)) return setLocalProblem(t('badAmount'));
    const ruleBody: Rule = {
      ...(list(form.tag).length > 0 ? { tags: list(form.tag) } : {}),
      ...(form.attribute && list(form.values).length > 0 ? { attribute: { code: form.attribute, values: list(form.values) } } : {}),
      ...(price !== undefined ? { priceBelow: { currency: setup.currency, amount: price } } : {}),
      ...(form.categoryId ? { categoryId: form.categoryId } : {}),
    };
    const title = { ...(form.en.trim() ? { en: form.en.trim() } : {}), ...(form.zh.trim() ? { 'zh-CN': form.zh.trim() } : {}) };
    const content = form.kind === 'manual' ? { productIds: form.productIds } : { rule: ruleBody };
    try {
      if (collection) await api('PATCH', `/api/admin/collections/${collection.id}`, { slug: form.slug.trim(), title, ...content });
      else await api('POST', '/api/admin/collections', { slug: form.slug.trim(), title, kind: form.kind, ...content });
      onSaved(form.slug.trim());
    } catch (problem) {
      setError(asApiError(problem));
    }
  }

  return (
    <form className="card" onSubmit={(event) => void submit(event)} noValidate>
      <FormError error={error} />
      {localProblem && <p role="alert" className="error">{localProblem}</p>}
      <TextField id="collection-slug" label={t('slug')} errorPath="slug" value={form.slug} error={error} autoComplete="off" spellCheck={false} onChange={(e) => edit({ slug: e.target.value })} />
      <TextField id="collection-title-en" label={t('titleEn')} errorPath="title" value={form.en} error={error} onChange={(e) => edit({ en: e.target.value })} />
      <TextField id="collection-title-zh" label={t('titleZh')} value={form.zh} onChange={(e) => edit({ zh: e.target.value })} />
      <SelectField id="collection-kind" label={t('kind')} value={form.kind} disabled={collection !== null} onChange={(e) => edit({ kind: e.target.value as 'manual' | 'rule' })}>
        <option value="manual">{t('manual')}</option>
        <option value="rule">{t('rule')}</option>
      </SelectField>
      {form.kind === 'manual' ? (
        <fieldset>
          <legend>{t('pick')}</legend>
          <ol>
            {form.productIds.map((id, index) => (
              <li key={id}>
                {titleOf(id)}{' '}
                <button type="button" className="link" disabled={index === 0} onClick={() => move(index, -1)}>{t('up')}</button>{' '}
                <button type="button" className="link" disabled={index === form.productIds.length - 1} onClick={() => move(index, 1)}>{t('down')}</button>{' '}
                <button type="button" className="link danger" onClick={() => edit({ productIds: form.productIds.filter((other) => other !== id) })}>{t('drop')}</button>
              </li>
            ))}
          </ol>
          <SelectField id="collection-add" label={t('add')} value="" onChange={(e) => e.target.value && edit({ productIds: [...form.productIds, e.target.value] })}>
            <option value="">—</option>
            {setup.products.filter((product) => !form.productIds.includes(product.id)).map((product) => (
              <option key={product.id} value={product.id}>{pickText(product.title, locale)}</option>
            ))}
          </SelectField>
        </fieldset>
      ) : (
        <fieldset>
          <legend>{t('rule')}</legend>
          <TextField id="rule-tag" label={t('ruleTag')} errorPath="rule.tags" value={form.tag} error={error} onChange={(e) => edit({ tag: e.target.value })} />
          <SelectField id="rule-attribute" label={t('ruleAttribute')} errorPath="rule.attribute.code" value={form.attribute} error={error} onChange={(e) => edit({ attribute: e.target.value })}>
            <option value="">{t('any')}</option>
            {setup.attributes.map((attribute) => <option key={attribute.id} value={attribute.code}>{pickText(attribute.name, locale)}</option>)}
          </SelectField>
          {form.attribute && <TextField id="rule-values" label={t('ruleValues')} hint={t('ruleValuesHint')} value={form.values} onChange={(e) => edit({ values: e.target.value })} />}
          <TextField id="rule-price" label={t('rulePrice', { currency: setup.currency })} inputMode="decimal" value={form.priceBelow} onChange={(e) => edit({ priceBelow: e.target.value })} />
          <SelectField id="rule-category" label={t('ruleCategory')} errorPath="rule.categoryId" value={form.categoryId} error={error} onChange={(e) => edit({ categoryId: e.target.value })}>
            <option value="">{t('any')}</option>
            {setup.categories.map((category) => <option key={category.id} value={category.id}>{pickText(category.name, locale)}</option>)}
          </SelectField>
        </fieldset>
      )}
      <button type="submit" className="primary">{collection ? t('save') : t('create')}</button>
      {collection && <> <button type="button" className="secondary" onClick={onCancel}>{t('cancel')}</button></>}
    </form>
  );
}
