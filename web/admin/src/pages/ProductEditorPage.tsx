import { useEffect, useRef, useState, type FormEvent, type InputHTMLAttributes, type ReactNode, type Ref, type SelectHTMLAttributes } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ApiError, messageOf, type Problem } from '../../../shared/http.ts';
import { moneyInput, parseMoney } from '../../../shared/money.ts';
import { useFetch } from '../../../shared/useFetch.ts';
import { FormError, SelectField, TextAreaField, TextField } from '../components/Field.tsx';
import { Loaded } from '../components/States.tsx';
import { defineMessages, pickText, useLocale, useMessages, type Locale } from '../i18n.tsx';
import { statusMessages } from '../labels.ts';
import { useSession } from '../session.tsx';
import { ProductShippingFields, shippingDraftOf, shippingPaths, useWithShipping, type ShippingDraft } from './ProductShippingFields.tsx';
import './products.css';
import { attributesBody, ProductAttributesSection, type AttributeDefinition } from './ProductAttributesSection.tsx';

const messages = defineMessages({
  en: {
    newTitle: 'New product', editTitle: 'Edit product: {title}', back: 'Back to products', untitled: 'Untitled product',
    details: 'Details', title: 'Title', description: 'Description', inChinese: 'Chinese (中文)', inEnglish: 'English',
    slug: 'Slug (optional)', slugHint: 'Lowercase letters, digits and hyphens. Left empty, one is made from the English title.',
    category: 'Category', noCategory: 'No category', status: 'Status',
    images: 'Images', image: 'Image {n}', imageUrl: 'URL', imageUrlHint: 'An http(s) URL or a path on this server, e.g. /static/shoe.jpg',
    imageAlt: 'Alt text', imageAltHint: 'Describes the picture for people who cannot see it.', addImage: 'Add image', removeImage: 'Remove image {n}', noImages: 'No images yet.',
    options: 'Options', optionsHint: 'What shoppers choose between, such as colour or size. At most 5.', option: 'Option {n}',
    optionCode: 'Code', optionCodeHint: 'Lowercase letters, digits and _, e.g. colour', optionName: 'Name',
    optionValues: 'Values', optionValuesHint: 'Separated by commas, e.g. Red, Blue', addOption: 'Add option', removeOption: 'Remove option {n}',
    noOptions: 'No options: the product is sold as a single variant.',
    variants: 'Variants', variantsHint: 'One row per combination of option values. Prices as decimals such as {example}; a {currency} price is required.',
    sku: 'SKU', priceIn: 'Price ({currency})', cell: '{column}, variant {n}', choose: 'Choose…', actions: 'Actions',
    remove: 'Remove', removeVariant: 'Remove variant {n}', addVariant: 'Add variant', generate: 'Generate variants',
    needsValues: 'Give every option at least one value first.', tooMany: '{n} combinations: a product has at most 100 variants.',
    confirmGenerate: 'Variant rows that match no combination of the option values will be removed ({n}). Continue?', generated: '{n} variant rows made from the option values.',
    save: 'Save', create: 'Create product', saving: 'Saving…', saved: 'Saved', archive: 'Archive', archived: 'Archived',
    confirmArchive: 'Archive this product? Shoppers will no longer see it.', readOnly: 'Your role can view products but not change them.',
    badAmount: 'Enter an amount such as {example}', checkFields: 'Some fields need attention: see the messages next to them.',
    stock: 'Stock', stockHint: 'Stock of the saved variants. Save new variants before adjusting their stock.', noStock: 'This product has no saved variants yet.',
    onHand: 'On hand', reserved: 'Reserved', available: 'Available', adjust: 'Adjust stock', adjustFor: 'Adjust stock of {sku}',
    delta: 'Change (+/−)', reason: 'Reason', adjustButton: 'Adjust', badDelta: 'A whole number other than 0, such as 10 or -3', required: 'Required',
    adjusted: 'Stock of {sku} updated: {onHand} on hand.',
  },
  'zh-CN': {
    newTitle: '新建商品', editTitle: '编辑商品：{title}', back: '返回商品列表', untitled: '未命名商品',
    details: '基本信息', title: '标题', description: '描述', inChinese: '中文', inEnglish: '英文（English）',
    slug: '链接标识（可选）', slugHint: '小写字母、数字和连字符。留空则根据英文标题生成。',
    category: '分类', noCategory: '不分类', status: '状态',
    images: '图片', image: '图片 {n}', imageUrl: '地址', imageUrlHint: 'http(s) 地址或本站路径，如 /static/shoe.jpg',
    imageAlt: '替代文字', imageAltHint: '为看不到图片的人描述图片内容。', addImage: '添加图片', removeImage: '删除图片 {n}', noImages: '还没有图片。',
    options: '选项', optionsHint: '顾客可以选择的属性，如颜色、尺码。最多 5 个。', option: '选项 {n}',
    optionCode: '代码', optionCodeHint: '小写字母、数字和下划线，如 colour', optionName: '名称',
    optionValues: '可选值', optionValuesHint: '用逗号分隔，如 红色, 蓝色', addOption: '添加选项', removeOption: '删除选项 {n}',
    noOptions: '没有选项：商品只有一个规格。',
    variants: '规格', variantsHint: '每种选项组合一行。价格填写小数，如 {example}；{currency} 价格必填。',
    sku: 'SKU', priceIn: '价格（{currency}）', cell: '{column}，规格 {n}', choose: '请选择…', actions: '操作',
    remove: '删除', removeVariant: '删除规格 {n}', addVariant: '添加规格', generate: '生成规格',
    needsValues: '请先为每个选项填写至少一个值。', tooMany: '共 {n} 种组合：一个商品最多 100 个规格。',
    confirmGenerate: '有 {n} 行规格不匹配任何选项组合，将被删除。继续吗？', generated: '已根据选项生成 {n} 行规格。',
    save: '保存', create: '创建商品', saving: '保存中…', saved: '已保存', archive: '归档', archived: '已归档',
    confirmArchive: '确定归档这个商品吗？顾客将看不到它。', readOnly: '你的角色只能查看商品，不能修改。',
    badAmount: '请输入金额，如 {example}', checkFields: '部分字段需要修改，请查看旁边的提示。',
    stock: '库存', stockHint: '已保存规格的库存。新规格需先保存才能调整库存。', noStock: '这个商品还没有已保存的规格。',
    onHand: '在库', reserved: '已预留', available: '可售', adjust: '调整库存', adjustFor: '调整 {sku} 的库存',
    delta: '增减数量（+/−）', reason: '原因', adjustButton: '调整', badDelta: '请输入非零整数，如 10 或 -3', required: '必填',
    adjusted: '{sku} 的库存已更新：在库 {onHand}。',
  },
});
type Translate = (key: keyof (typeof messages)['en'], values?: Record<string, string | number>) => string;

// The console edits these two languages; texts in any other locale are kept as they are.
const LOCALES: Locale[] = ['zh-CN', 'en'];
const STATUSES = ['draft', 'active', 'archived'] as const;
const MAX_OPTIONS = 5;
const MAX_VARIANTS = 100;
const MAX_IMAGES = 20;

type ProductStatus = (typeof STATUSES)[number];
type LocalizedText = Record<string, string>;

interface ProductRecord {
  id: string;
  slug: string;
  title: LocalizedText;
  description: LocalizedText;
  status: ProductStatus;
  categoryId: string | null;
  options: { code: string; name: LocalizedText; values: string[] }[];
  images: { url: string; alt?: string }[];
  tags: string[];
  attributes: Record<string, string | number>;
  variants: { id: string; sku: string; optionValues: Record<string, string>; prices: { currency: string; amount: number }[]; weightGrams?: number }[];
  shippingProfile?: string | null;
  taxClass?: string | null;
}

interface StockedProduct extends ProductRecord {
  variants: (ProductRecord['variants'][number] & { stock: { onHand: number; reserved: number; available: number } })[];
}

interface Category {
  id: string;
  name: LocalizedText;
  parentId: string | null;
}

interface Currencies {
  /** Required on every variant; listed first. */
  primary: string;
  all: string[];
}

/* The form's own state: text as typed. Rows carry a key for React and for ids, since their
   index changes when rows are removed. */
interface ImageRow { key: string; url: string; alt: string }
interface OptionRow { key: string; code: string; name: LocalizedText; values: string }
/** `values` by option row key, so renaming an option's code keeps the variants' choices. */
interface VariantRow { key: string; sku: string; values: Record<string, string>; prices: Record<string, string> }
interface Draft {
  title: LocalizedText;
  description: LocalizedText;
  slug: string;
  categoryId: string;
  status: ProductStatus;
  images: ImageRow[];
  options: OptionRow[];
  variants: VariantRow[];
  /** Attribute values as typed, by code, and tags as typed (comma-separated). */
  attributes: Record<string, string>;
  tags: string;
  shipping: ShippingDraft;
}

let lastKey = 0;
const newKey = () => `row${++lastKey}`;

/** Create (`/products/new`) and edit (`/products/:id`) a product, and adjust its stock. */
export function ProductEditorPage() {
  const { id } = useParams();
  const { api } = useSession();
  const setup = useFetch(async () => {
    const [platform, categories, attributes, product] = await Promise.all([
      api<{ defaultCurrency: string; currencies: string[] }>('GET', '/api/store/platform'),
      api<{ items: Category[] }>('GET', '/api/admin/categories'),
      api<{ items: AttributeDefinition[] }>('GET', '/api/admin/attributes'),
      id ? api<ProductRecord>('GET', `/api/admin/products/${id}`) : Promise.resolve(null),
    ]);
    const currencies = { primary: platform.defaultCurrency, all: [platform.defaultCurrency, ...platform.currencies.filter((c) => c !== platform.defaultCurrency)] };
    return { currencies, categories: categories.items, attributes: attributes.items, product };
  }, [api, id]);
  return (
    <div className="product-editor">
      <Loaded fetched={setup}>
        {/* Keyed by the loaded product: after "create" the form starts over from what the server saved. */}
        {(data) => <ProductEditor key={data.product?.id ?? 'new'} product={data.product} categories={data.categories} attributes={data.attributes} currencies={data.currencies} />}
      </Loaded>
    </div>
  );
}

function ProductEditor({ product, categories, attributes, currencies }: { product: ProductRecord | null; categories: Category[]; attributes: AttributeDefinition[]; currencies: Currencies }) {
  const t = useMessages(messages);
  const { api, can } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const readOnly = !can('operator');
  const [saved, setSaved] = useState(product);
  const [draft, setDraft] = useState(() => (product ? draftOf(product) : emptyDraft()));
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const [stockRevision, setStockRevision] = useState(0);
  const withShipping = useWithShipping();
  const summary = useRef<HTMLDivElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    // "Saved" after creating travels in the history entry: say it once, start keyboard users at
    // the top of the page that replaced the one they were on, and drop it so a reload doesn't repeat it.
    if (!(location.state as { created?: boolean } | null)?.created) return;
    setNotice(t('saved'));
    heading.current?.focus();
    void navigate(location.pathname, { replace: true });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (!error) return;
    // Take keyboard and screen reader users to the first thing to fix.
    const invalid = form.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    (invalid ?? summary.current)?.focus();
  }, [error]);

  /** Every edit clears "Saved"; edits that add, remove or reorder rows also clear the server's
      messages, whose paths count rows by index and would now point at the wrong ones. */
  function edit(change: Partial<Draft>, { reshaped = false } = {}) {
    setDraft((current) => ({ ...current, ...change }));
    setNotice('');
    if (reshaped) setError(null);
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    if (busy || readOnly) return;
    const built = withShipping(bodyOf(draft, currencies, t), draft.shipping, draft.variants);
    Object.assign(built.body, attributesBody(attributes, draft.attributes, draft.tags));
    if (built.problems.length > 0) {
      setError(new ApiError({ status: 400, code: 'validation_failed', detail: t('checkFields'), errors: built.problems }));
      return;
    }
    setBusy(true);
    setError(null);
    setNotice('');
    let replaced = false;
    try {
      if (!saved) {
        const created = await api<ProductRecord>('POST', '/api/admin/products', built.body);
        // Stay busy until the edit page, loading the new product, replaces this form: a second
        // click meanwhile would create the product twice.
        replaced = true;
        void navigate(`/products/${created.id}`, { state: { created: true } });
        return;
      }
      const updated = await api<ProductRecord>('PATCH', `/api/admin/products/${saved.id}`, built.body);
      setSaved(updated);
      setDraft(draftOf(updated));
      setNotice(t('saved'));
      setStockRevision((n) => n + 1);
    } catch (problem) {
      setError(placed(asApiError(problem), built.sentCurrencies));
    } finally {
      if (!replaced) setBusy(false);
    }
  }

  async function archive() {
    if (!saved || busy || !window.confirm(t('confirmArchive'))) return;
    setBusy(true);
    setError(null);
    try {
      const archived = await api<ProductRecord>('POST', `/api/admin/products/${saved.id}/archive`);
      setSaved(archived);
      // Only the status changed on the server; other unsaved edits in the form stay.
      setDraft((current) => ({ ...current, status: archived.status }));
      setNotice(t('archived'));
    } catch (problem) {
      setError(asApiError(problem));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <EditorHeading saved={saved} headingRef={heading} />
      {readOnly && <p className="hint">{t('readOnly')}</p>}
      <form ref={form} onSubmit={(event) => void save(event)} noValidate aria-labelledby="product-heading">
        <fieldset className="product-fieldset" disabled={readOnly}>
          <DetailsSection draft={draft} categories={categories} error={error} onEdit={edit} />
          <ImagesSection rows={draft.images} error={error} onEdit={(images, reshaped) => edit({ images }, { reshaped })} />
          <OptionsSection rows={draft.options} error={error} onEdit={(options, reshaped) => edit({ options }, { reshaped })} />
          <VariantsSection draft={draft} currencies={currencies} error={error} onEdit={(variants, reshaped) => edit({ variants }, { reshaped })} />
          <ProductAttributesSection attributes={attributes} values={draft.attributes} tags={draft.tags} error={error} onEdit={edit} />
          <ProductShippingFields draft={draft.shipping} variants={draft.variants} error={error} onEdit={(shipping) => edit({ shipping })} />
        </fieldset>
        <div ref={summary} tabIndex={-1} className="product-summary">
          {error && <FormError error={unplaced(error, draft, currencies)} />}
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={readOnly} aria-disabled={busy}>{busy ? t('saving') : saved ? t('save') : t('create')}</button>
          {saved && saved.status !== 'archived' && (
            <button type="button" className="danger" disabled={readOnly} aria-disabled={busy} onClick={() => void archive()}>{t('archive')}</button>
          )}
        </div>
        <p role="status" className="product-notice">{notice}</p>
      </form>
      {saved && <StockSection productId={saved.id} revision={stockRevision} readOnly={readOnly} />}
    </>
  );
}

function EditorHeading({ saved, headingRef }: { saved: ProductRecord | null; headingRef: Ref<HTMLHeadingElement> }) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  return (
    <div className="product-head">
      <h1 id="product-heading" ref={headingRef} tabIndex={-1}>{saved ? t('editTitle', { title: pickText(saved.title, locale) || t('untitled') }) : t('newTitle')}</h1>
      <Link to="/products">{t('back')}</Link>
    </div>
  );
}

/* ---------- Sections of the form ---------- */

function DetailsSection({ draft, categories, error, onEdit }: { draft: Draft; categories: Category[]; error: ApiError | null; onEdit(change: Partial<Draft>): void }) {
  const t = useMessages(messages);
  const words = useMessages(statusMessages);
  return (
    <Section id="product-details" title={t('details')}>
      <div className="product-grid">
        <LocalizedFields id="title" path="title" legend={t('title')} value={draft.title} error={error} onChange={(title) => onEdit({ title })} />
        <LocalizedFields id="description" path="description" legend={t('description')} value={draft.description} error={error} multiline onChange={(description) => onEdit({ description })} />
        <TextField id="slug" label={t('slug')} hint={t('slugHint')} value={draft.slug} error={error} maxLength={64} autoComplete="off" spellCheck={false} onChange={(e) => onEdit({ slug: e.target.value })} />
        <SelectField id="categoryId" label={t('category')} value={draft.categoryId} error={error} onChange={(e) => onEdit({ categoryId: e.target.value })}>
          <CategoryOptions categories={categories} noneLabel={t('noCategory')} />
        </SelectField>
        <SelectField id="status" label={t('status')} value={draft.status} error={error} onChange={(e) => onEdit({ status: e.target.value as ProductStatus })}>
          {STATUSES.map((status) => <option key={status} value={status}>{words(status)}</option>)}
        </SelectField>
      </div>
    </Section>
  );
}

/** The category tree as one select; depth shows as indentation, since options cannot nest. */
function CategoryOptions({ categories, noneLabel }: { categories: Category[]; noneLabel: string }) {
  const { locale } = useLocale();
  return (
    <>
      <option value="">{noneLabel}</option>
      {categoryTree(categories).map(({ category, depth }) => (
        <option key={category.id} value={category.id}>{'\u00A0\u00A0\u00A0\u00A0'.repeat(depth)}{pickText(category.name, locale)}</option>
      ))}
    </>
  );
}

function ImagesSection({ rows, error, onEdit }: { rows: ImageRow[]; error: ApiError | null; onEdit(rows: ImageRow[], reshaped: boolean): void }) {
  const t = useMessages(messages);
  const focusLater = useFocusLater();
  function add() {
    const row = { key: newKey(), url: '', alt: '' };
    onEdit([...rows, row], true);
    focusLater(`image-${row.key}-url`);
  }
  return (
    <Section id="product-images" title={t('images')} error={error} path="images">
      {rows.length === 0 && <p className="hint">{t('noImages')}</p>}
      {rows.map((row, index) => (
        <fieldset key={row.key} className="product-row">
          <legend>{t('image', { n: index + 1 })}</legend>
          <Thumbnail url={row.url} />
          <TextField id={`image-${row.key}-url`} label={t('imageUrl')} hint={t('imageUrlHint')} inputMode="url" spellCheck={false} value={row.url} error={error} errorPath={`images.${index}.url`} onChange={(e) => onEdit(replaceAt(rows, index, { ...row, url: e.target.value }), false)} />
          <TextField id={`image-${row.key}-alt`} label={t('imageAlt')} hint={t('imageAltHint')} value={row.alt} error={error} errorPath={`images.${index}.alt`} maxLength={200} onChange={(e) => onEdit(replaceAt(rows, index, { ...row, alt: e.target.value }), false)} />
          <button type="button" className="secondary" onClick={() => { onEdit(removeAt(rows, index), true); focusLater('product-images-add'); }}>
            {t('removeImage', { n: index + 1 })}
          </button>
        </fieldset>
      ))}
      <button type="button" id="product-images-add" className="secondary" disabled={rows.length >= MAX_IMAGES} onClick={add}>{t('addImage')}</button>
    </Section>
  );
}

/** A preview of the image as typed; the alt text beside it describes it, so it is decorative. */
function Thumbnail({ url }: { url: string }) {
  const [failed, setFailed] = useState<string | null>(null);
  const shown = /^(https?:\/\/|\/)\S+$/.test(url.trim()) && failed !== url;
  return <span className="product-thumb">{shown && <img src={url.trim()} alt="" width={64} height={64} onError={() => setFailed(url)} />}</span>;
}

function OptionsSection({ rows, error, onEdit }: { rows: OptionRow[]; error: ApiError | null; onEdit(rows: OptionRow[], reshaped: boolean): void }) {
  const t = useMessages(messages);
  const focusLater = useFocusLater();
  function add() {
    const row = { key: newKey(), code: '', name: {}, values: '' };
    onEdit([...rows, row], true);
    focusLater(`option-${row.key}-code`);
  }
  return (
    <Section id="product-options" title={t('options')} hint={t('optionsHint')} error={error} path="options">
      {rows.length === 0 && <p className="hint">{t('noOptions')}</p>}
      {rows.map((row, index) => (
        <fieldset key={row.key} className="product-row">
          <legend>{t('option', { n: index + 1 })}</legend>
          <TextField id={`option-${row.key}-code`} label={t('optionCode')} hint={t('optionCodeHint')} value={row.code} error={error} errorPath={`options.${index}.code`} maxLength={32} autoComplete="off" spellCheck={false} onChange={(e) => onEdit(replaceAt(rows, index, { ...row, code: e.target.value }), false)} />
          <LocalizedFields id={`option-${row.key}-name`} path={`options.${index}.name`} legend={t('optionName')} value={row.name} error={error} onChange={(name) => onEdit(replaceAt(rows, index, { ...row, name }), false)} />
          <TextField id={`option-${row.key}-values`} label={t('optionValues')} hint={t('optionValuesHint')} value={row.values} error={error} errorPath={`options.${index}.values`} onChange={(e) => onEdit(replaceAt(rows, index, { ...row, values: e.target.value }), false)} />
          <button type="button" className="secondary" onClick={() => { onEdit(removeAt(rows, index), true); focusLater('product-options-add'); }}>
            {t('removeOption', { n: index + 1 })}
          </button>
        </fieldset>
      ))}
      <button type="button" id="product-options-add" className="secondary" disabled={rows.length >= MAX_OPTIONS} onClick={add}>{t('addOption')}</button>
    </Section>
  );
}

function VariantsSection({ draft, currencies, error, onEdit }: { draft: Draft; currencies: Currencies; error: ApiError | null; onEdit(rows: VariantRow[], reshaped: boolean): void }) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const focusLater = useFocusLater();
  const [generateMessage, setGenerateMessage] = useState<{ kind: 'done' | 'problem'; text: string } | null>(null);
  const rows = draft.variants;
  const optionLabel = (option: OptionRow, index: number) => pickText(option.name, locale) || option.code || t('option', { n: index + 1 });

  function add() {
    const row: VariantRow = { key: newKey(), sku: '', values: {}, prices: {} };
    onEdit([...rows, row], true);
    focusLater(`variant-${row.key}-sku`);
  }

  function generate() {
    const outcome = generatedVariants(draft);
    if (outcome.kind === 'needs-values') return setGenerateMessage({ kind: 'problem', text: t('needsValues') });
    if (outcome.rows.length > MAX_VARIANTS) return setGenerateMessage({ kind: 'problem', text: t('tooMany', { n: outcome.rows.length }) });
    if (outcome.dropped > 0 && !window.confirm(t('confirmGenerate', { n: outcome.dropped }))) return;
    onEdit(outcome.rows, true);
    setGenerateMessage({ kind: 'done', text: t('generated', { n: outcome.rows.length }) });
  }

  return (
    <Section
      id="product-variants"
      title={t('variants')}
      hint={t('variantsHint', { example: moneyInput(19900, currencies.primary), currency: currencies.primary })}
      error={error}
      path="variants"
    >
      <div className="products-scroll">
        <table className="product-variants">
          <thead>
            <tr>
              <th scope="col">{t('sku')}</th>
              {draft.options.map((option, index) => <th key={option.key} scope="col">{optionLabel(option, index)}</th>)}
              {currencies.all.map((currency) => <th key={currency} scope="col">{t('priceIn', { currency })}</th>)}
              <th scope="col"><span className="products-sr-only">{t('actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => {
              const n = index + 1;
              const update = (change: Partial<VariantRow>) => onEdit(replaceAt(rows, index, { ...row, ...change }), false);
              return (
                <tr key={row.key}>
                  <td>
                    <CellInput id={`variant-${row.key}-sku`} label={t('cell', { column: t('sku'), n })} messages={messagesAt(error, variantPaths.sku(index))} value={row.sku} maxLength={64} autoComplete="off" spellCheck={false} onChange={(e) => update({ sku: e.target.value })} />
                  </td>
                  {draft.options.map((option, optionIndex) => (
                    <td key={option.key}>
                      <CellSelect id={`variant-${row.key}-${option.key}`} label={t('cell', { column: optionLabel(option, optionIndex), n })} messages={messagesAt(error, variantPaths.option(index, option.code.trim()))} value={row.values[option.key] ?? ''} onChange={(e) => update({ values: { ...row.values, [option.key]: e.target.value } })}>
                        <option value="">{t('choose')}</option>
                        {valuesOf(option).map((value) => <option key={value} value={value}>{value}</option>)}
                      </CellSelect>
                    </td>
                  ))}
                  {currencies.all.map((currency) => (
                    <td key={currency}>
                      <CellInput id={`variant-${row.key}-price-${currency}`} label={t('cell', { column: t('priceIn', { currency }), n })} messages={messagesAt(error, variantPaths.price(index, currency, currency === currencies.primary))} value={row.prices[currency] ?? ''} inputMode="decimal" placeholder={moneyInput(0, currency)} className="inline-input product-price" onChange={(e) => update({ prices: { ...row.prices, [currency]: e.target.value } })} />
                    </td>
                  ))}
                  <td>
                    <button type="button" className="secondary" aria-label={t('removeVariant', { n })} onClick={() => { onEdit(removeAt(rows, index), true); focusLater('product-variants-add'); }}>
                      {t('remove')}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="actions">
        <button type="button" id="product-variants-add" className="secondary" disabled={rows.length >= MAX_VARIANTS} onClick={add}>{t('addVariant')}</button>
        <button type="button" className="secondary" onClick={generate}>{t('generate')}</button>
      </div>
      <p role="status" className={generateMessage?.kind === 'problem' ? 'product-generate-error' : 'product-notice'}>{generateMessage?.text}</p>
    </Section>
  );
}

/* ---------- Stock ---------- */

function StockSection({ productId, revision, readOnly }: { productId: string; revision: number; readOnly: boolean }) {
  const t = useMessages(messages);
  const { api } = useSession();
  const product = useFetch(() => api<StockedProduct>('GET', `/api/admin/products/${productId}`), [api, productId, revision]);
  return (
    <Section id="product-stock" title={t('stock')} hint={t('stockHint')}>
      <Loaded fetched={product} isEmpty={(p) => p.variants.length === 0} empty={t('noStock')}>
        {(p) => (
          <div className="products-scroll">
            <table aria-busy={product.loading} className={product.loading ? 'products-refreshing' : undefined}>
              <thead>
                <tr>
                  <th scope="col">{t('sku')}</th>
                  <th scope="col" className="num">{t('onHand')}</th>
                  <th scope="col" className="num">{t('reserved')}</th>
                  <th scope="col" className="num">{t('available')}</th>
                  <th scope="col">{t('adjust')}</th>
                </tr>
              </thead>
              <tbody>
                {p.variants.map((variant) => (
                  <tr key={variant.id}>
                    <th scope="row">
                      {variant.sku}
                      {Object.keys(variant.optionValues).length > 0 && <div className="hint">{Object.values(variant.optionValues).join(' / ')}</div>}
                    </th>
                    <td className="num">{variant.stock.onHand}</td>
                    <td className="num">{variant.stock.reserved}</td>
                    <td className="num">{variant.stock.available}</td>
                    <td><AdjustStockForm variantId={variant.id} sku={variant.sku} readOnly={readOnly} onAdjusted={product.reload} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
    </Section>
  );
}

function AdjustStockForm({ variantId, sku, readOnly, onAdjusted }: { variantId: string; sku: string; readOnly: boolean; onAdjusted(): void }) {
  const t = useMessages(messages);
  const { api } = useSession();
  const [delta, setDelta] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const problems = [
      ...(/^[+-]?\d{1,7}$/.test(delta.trim()) && Number(delta) !== 0 ? [] : [{ path: 'delta', message: t('badDelta') }]),
      ...(reason.trim() ? [] : [{ path: 'reason', message: t('required') }]),
    ];
    setNotice('');
    if (problems.length > 0) {
      setError(new ApiError({ status: 400, code: 'validation_failed', detail: t('checkFields'), errors: problems }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const stock = await api<{ onHand: number }>('POST', '/api/admin/inventory/adjustments', { variantId, delta: Number(delta), reason: reason.trim() });
      setDelta('');
      setReason('');
      setNotice(t('adjusted', { sku, onHand: stock.onHand }));
      onAdjusted();
    } catch (problem) {
      setError(asApiError(problem));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="product-adjust" onSubmit={(event) => void submit(event)} noValidate>
      <fieldset disabled={readOnly}>
        <legend className="products-sr-only">{t('adjustFor', { sku })}</legend>
        <TextField id={`stock-${variantId}-delta`} name="delta" label={t('delta')} inputMode="numeric" value={delta} error={error} onChange={(e) => setDelta(e.target.value)} autoComplete="off" />
        <TextField id={`stock-${variantId}-reason`} name="reason" label={t('reason')} value={reason} error={error} maxLength={200} onChange={(e) => setReason(e.target.value)} />
        <button type="submit" className="secondary" aria-disabled={busy}>{t('adjustButton')}</button>
      </fieldset>
      {error && !error.hasFieldErrors() && <FormError error={error} />}
      <p role="status" className="product-notice">{notice}</p>
    </form>
  );
}

/* ---------- Small building blocks ---------- */

function Section({ id, title, hint, error, path, children }: { id: string; title: string; hint?: string; error?: ApiError | null; path?: string; children: ReactNode }) {
  const message = path ? messagesAt(error ?? null, [path]).join('; ') : '';
  return (
    <section className="card product-section" aria-labelledby={`${id}-heading`} aria-describedby={message ? `${id}-error` : undefined}>
      <h2 id={`${id}-heading`}>{title}</h2>
      {hint && <p className="hint">{hint}</p>}
      {message && <p className="error" id={`${id}-error`}>{message}</p>}
      {children}
    </section>
  );
}

/** One text in each console language, grouped, with the server's message for the whole text. */
function LocalizedFields({ id, path, legend, value, error, multiline = false, onChange }: { id: string; path: string; legend: string; value: LocalizedText; error: ApiError | null; multiline?: boolean; onChange(value: LocalizedText): void }) {
  const t = useMessages(messages);
  const message = messagesAt(error, [path]).join('; ');
  return (
    <fieldset className="product-localized" aria-describedby={message ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      {LOCALES.map((locale) => {
        const field = {
          id: `${id}-${locale}`,
          label: locale === 'en' ? t('inEnglish') : t('inChinese'),
          lang: locale,
          value: value[locale] ?? '',
          error,
          errorPath: `${path}.${locale}`,
        };
        return multiline ? (
          <TextAreaField key={locale} {...field} maxLength={5000} onChange={(e) => onChange({ ...value, [locale]: e.target.value })} />
        ) : (
          <TextField key={locale} {...field} maxLength={200} onChange={(e) => onChange({ ...value, [locale]: e.target.value })} />
        );
      })}
      {message && <span className="error" id={`${id}-error`}>{message}</span>}
    </fieldset>
  );
}

type CellProps = { id: string; label: string; messages: string[] };

/** A table cell's input: its label is hidden, since the column header shows it. */
function CellInput({ id, label, messages: found, className = 'inline-input', ...input }: CellProps & InputHTMLAttributes<HTMLInputElement>) {
  const message = found.join('; ');
  return (
    <>
      <label htmlFor={id} className="products-sr-only">{label}</label>
      <input id={id} className={className} aria-invalid={message ? true : undefined} aria-describedby={message ? `${id}-error` : undefined} {...input} />
      {message && <span className="error" id={`${id}-error`}>{message}</span>}
    </>
  );
}

function CellSelect({ id, label, messages: found, children, ...select }: CellProps & SelectHTMLAttributes<HTMLSelectElement>) {
  const message = found.join('; ');
  return (
    <>
      <label htmlFor={id} className="products-sr-only">{label}</label>
      <select id={id} className="inline-input" aria-invalid={message ? true : undefined} aria-describedby={message ? `${id}-error` : undefined} {...select}>
        {children}
      </select>
      {message && <span className="error" id={`${id}-error`}>{message}</span>}
    </>
  );
}

/** Focuses an element by id after the next render, e.g. a row just added or the button that replaces a removed one. */
function useFocusLater(): (id: string) => void {
  const [target, setTarget] = useState<string | null>(null);
  useEffect(() => {
    if (!target) return;
    document.getElementById(target)?.focus();
    setTarget(null);
  }, [target]);
  return setTarget;
}

/* ---------- Form state ⇄ API ---------- */

function emptyDraft(): Draft {
  const variants = [{ key: newKey(), sku: '', values: {}, prices: {} }];
  return { title: {}, description: {}, slug: '', categoryId: '', status: 'draft', images: [], options: [], variants, attributes: {}, tags: '', shipping: shippingDraftOf(null, variants.map((row) => row.key)) };
}

function draftOf(product: ProductRecord): Draft {
  const options = product.options.map((option) => ({ key: newKey(), code: option.code, name: option.name, values: option.values.join(', ') }));
  const variants = product.variants.map((variant) => ({
    key: newKey(),
    sku: variant.sku,
    values: Object.fromEntries(options.map((option) => [option.key, variant.optionValues[option.code] ?? ''])),
    prices: Object.fromEntries(variant.prices.map((price) => [price.currency, moneyInput(price.amount, price.currency)])),
  }));
  return {
    title: product.title,
    description: product.description,
    slug: product.slug,
    categoryId: product.categoryId ?? '',
    status: product.status,
    images: product.images.map((image) => ({ key: newKey(), url: image.url, alt: image.alt ?? '' })),
    options,
    attributes: Object.fromEntries(Object.entries(product.attributes ?? {}).map(([code, value]) => [code, String(value)])),
    tags: (product.tags ?? []).join(', '),
    variants,
    shipping: shippingDraftOf(product, variants.map((row) => row.key)),
  };
}

/** Option values as typed, split on Latin or Chinese commas. */
function valuesOf(option: OptionRow): string[] {
  return [...new Set(option.values.split(/[,，]/).map((value) => value.trim()).filter(Boolean))];
}

/** Texts without the empty ones: the server takes a missing locale, not an empty string. */
function filled(text: LocalizedText): LocalizedText {
  return Object.fromEntries(Object.entries(text).map(([locale, value]) => [locale, value.trim()]).filter(([, value]) => value));
}

interface FieldProblem { path: string; message: string }

/**
 * The request body for the form, with the problems the browser can see itself (amounts that
 * aren't amounts). `sentCurrencies` records each variant's price order, to put the server's
 * `variants.N.prices.M` messages next to the right currency's input.
 */
function bodyOf(draft: Draft, currencies: Currencies, t: Translate) {
  const problems: FieldProblem[] = [];
  const sentCurrencies: string[][] = [];
  const variants = draft.variants.map((row, index) => {
    const priced = currencies.all.filter((currency) => row.prices[currency]?.trim());
    sentCurrencies.push(priced);
    const prices = priced.map((currency) => {
      const amount = parseMoney(row.prices[currency]!, currency);
      if (Number.isNaN(amount)) problems.push({ path: `variants.${index}.price.${currency}`, message: t('badAmount', { example: moneyInput(19900, currency) }) });
      return { currency, amount };
    });
    const optionValues = Object.fromEntries(draft.options.flatMap((option) => (row.values[option.key] ? [[option.code.trim(), row.values[option.key]!]] : [])));
    return { sku: row.sku.trim(), optionValues, prices };
  });
  const description = filled(draft.description);
  const slug = draft.slug.trim();
  const body = {
    title: filled(draft.title),
    // The API can replace a description or a slug but not clear them: empty ones are left out,
    // so an edit keeps the saved text and a new product gets a slug made from its title.
    ...(Object.keys(description).length > 0 ? { description } : {}),
    ...(slug ? { slug } : {}),
    status: draft.status,
    categoryId: draft.categoryId || null,
    images: draft.images.map((image) => ({ url: image.url.trim(), ...(image.alt.trim() ? { alt: image.alt.trim() } : {}) })),
    // Options always go with the variants: the server refuses new options without variants that fit them.
    options: draft.options.map((option) => ({ code: option.code.trim(), name: filled(option.name), values: valuesOf(option) })),
    variants,
  };
  return { body, problems, sentCurrencies };
}

/* Where each variant cell shows the server's messages. Shared by the cells and by `unplaced`,
   so a message is either next to a field or in the summary, never lost. */
const variantPaths = {
  sku: (row: number) => [`variants.${row}.sku`, `variants.${row}.optionValues`, `variants.${row}`],
  option: (row: number, code: string) => [`variants.${row}.optionValues.${code}`],
  price: (row: number, currency: string, primary: boolean) => [`variants.${row}.price.${currency}`, ...(primary ? [`variants.${row}.prices`] : [])],
};

function placedPaths(draft: Draft, currencies: Currencies): Set<string> {
  const paths = ['slug', 'status', 'categoryId', 'images', 'options', 'variants', ...shippingPaths(draft.variants.length)];
  const localized = (path: string) => [path, ...LOCALES.map((locale) => `${path}.${locale}`)];
  paths.push(...localized('title'), ...localized('description'));
  draft.images.forEach((_, index) => paths.push(`images.${index}.url`, `images.${index}.alt`));
  draft.options.forEach((_, index) => paths.push(`options.${index}.code`, `options.${index}.values`, ...localized(`options.${index}.name`)));
  draft.variants.forEach((_, index) => {
    paths.push(...variantPaths.sku(index));
    draft.options.forEach((option) => paths.push(...variantPaths.option(index, option.code.trim())));
    currencies.all.forEach((currency) => paths.push(...variantPaths.price(index, currency, currency === currencies.primary)));
  });
  return new Set(paths);
}

const stripBody = (path: string) => path.replace(/^body\./, '');

function asApiError(problem: unknown): ApiError {
  return problem instanceof ApiError ? problem : new ApiError({ status: 0, code: 'error', detail: messageOf(problem) });
}

/** The server's messages at these paths (a field may have several). */
function messagesAt(error: ApiError | null, paths: string[]): string[] {
  const errors = error?.problem.errors ?? [];
  return paths.flatMap((path) => errors.filter((entry) => stripBody(entry.path) === path).map((entry) => entry.message));
}

/** The server's problem with its paths pointing at the form's inputs rather than the body's array items. */
function placed(error: ApiError, sentCurrencies: string[][]): ApiError {
  if (!error.problem.errors) return error;
  const errors = error.problem.errors.map((entry) => {
    const path = stripBody(entry.path);
    const price = /^variants\.(\d+)\.prices\.(\d+)(\.|$)/.exec(path);
    const currency = price && sentCurrencies[Number(price[1])]?.[Number(price[2])];
    if (price && currency) return { ...entry, path: `variants.${price[1]}.price.${currency}` };
    const value = /^options\.(\d+)\.values\.\d+$/.exec(path);
    if (value) return { ...entry, path: `options.${value[1]}.values` };
    return { ...entry, path };
  });
  return new ApiError({ ...error.problem, errors });
}

/** The problem with only the messages no field shows, for the summary under the form. */
function unplaced(error: ApiError, draft: Draft, currencies: Currencies): ApiError {
  const shown = placedPaths(draft, currencies);
  const problem: Problem = { ...error.problem, errors: error.problem.errors?.filter((entry) => !shown.has(stripBody(entry.path))) };
  return new ApiError(problem);
}

/* ---------- Pure helpers ---------- */

function replaceAt<T>(list: T[], index: number, item: T): T[] {
  return list.map((current, i) => (i === index ? item : current));
}

function removeAt<T>(list: T[], index: number): T[] {
  return list.filter((_, i) => i !== index);
}

/** Categories in tree order with their depth; a parent that no longer exists makes a root. */
function categoryTree(categories: Category[]): { category: Category; depth: number }[] {
  const ids = new Set(categories.map((category) => category.id));
  const children = new Map<string | null, Category[]>();
  for (const category of categories) {
    const parent = category.parentId && ids.has(category.parentId) ? category.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), category]);
  }
  const ordered: { category: Category; depth: number }[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | null, depth: number) => {
    for (const category of children.get(parent) ?? []) {
      if (seen.has(category.id)) continue;
      seen.add(category.id);
      ordered.push({ category, depth });
      walk(category.id, depth + 1);
    }
  };
  walk(null, 0);
  return ordered;
}

type Generated = { kind: 'needs-values' } | { kind: 'rows'; rows: VariantRow[]; dropped: number };

/**
 * One row per combination of option values. Rows that already hold a combination are kept with
 * their SKU and prices; new rows get a suggested SKU and the first row's prices to start from.
 */
function generatedVariants(draft: Draft): Generated {
  const options = draft.options.map((option) => ({ key: option.key, values: valuesOf(option) }));
  if (options.some((option) => option.values.length === 0)) return { kind: 'needs-values' };
  const combinations = options.reduce<Record<string, string>[]>(
    (partial, option) => partial.flatMap((combination) => option.values.map((value) => ({ ...combination, [option.key]: value }))),
    [{}],
  );
  const matches = (row: VariantRow, combination: Record<string, string>) => options.every((option) => row.values[option.key] === combination[option.key]);
  const template = draft.variants[0];
  const base = draft.slug.trim() || draft.title.en?.trim() || '';
  const taken = new Set<string>();
  const rows = combinations.map((combination) => {
    const existing = draft.variants.find((row) => matches(row, combination));
    if (existing) {
      taken.add(existing.sku);
      return existing;
    }
    const sku = uniqueSku(suggestedSku(base, options.map((option) => combination[option.key]!)), taken, draft.variants);
    return { key: newKey(), sku, values: combination, prices: { ...template?.prices } };
  });
  const kept = new Set(rows.map((row) => row.key));
  return { kind: 'rows', rows, dropped: draft.variants.filter((row) => !kept.has(row.key)).length };
}

function suggestedSku(base: string, values: string[]): string {
  return [base, ...values]
    .map((part) => part.normalize('NFKD').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, ''))
    .filter(Boolean)
    .join('-')
    .toUpperCase()
    .slice(0, 60);
}

/** Values without Latin letters (e.g. 红色) leave SKUs alike; a number tells them apart. */
function uniqueSku(sku: string, taken: Set<string>, existing: VariantRow[]): string {
  if (!sku) return '';
  const used = (candidate: string) => taken.has(candidate) || existing.some((row) => row.sku === candidate);
  let candidate = sku;
  for (let n = 2; used(candidate); n += 1) candidate = `${sku}-${n}`;
  taken.add(candidate);
  return candidate;
}
