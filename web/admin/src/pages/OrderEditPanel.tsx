import { useState, type FormEvent } from 'react';
import { ApiError, asApiError } from '../../../shared/http.ts';
import { formatMoney } from '../../../shared/money.ts';
import { FormError, SelectField, TextField } from '../components/Field.tsx';
import { defineMessages, pickText, useLocale, useMessages } from '../i18n.tsx';
import { useSession } from '../session.tsx';
import { formatTime } from '../format.ts';

const messages = defineMessages({
  en: {
    editTitle: 'Edit items', editHint: 'Until something ships, quantities can change and items can be added. A paid order that comes to cost more owes the difference; one that costs less is paid it back at once.',
    open: 'Edit items', close: 'Close', quantityOf: 'Quantity of {sku}', findProduct: 'Add a product', productName: 'Product name', find: 'Find', noMatch: 'No product matches.',
    variant: 'Variant', addQuantity: 'Quantity', add: 'Add', remove: 'Remove', adding: 'To add', reason: 'Reason for the edit',
    preview: 'Preview', apply: 'Apply edit', edited_ok: 'Order edited.', required: 'Required',
    before: 'Before', after: 'After', difference: 'Difference', subtotal: 'Subtotal', discount: 'Discount', tax: 'Tax', total: 'Total',
    s_none: 'The total stays the same.', s_amount_due_changed: 'The order is unpaid: the customer will pay the new total.',
    s_balance_due: 'The customer owes {amount}; the order ships once a further payment pays it.', s_refunded: '{amount} goes back to the customer at once.',
    history: 'Edits', when: 'When', by: 'By', what: 'What changed', change: '{sku} {from} → {to}',
  },
  'zh-CN': {
    editTitle: '修改商品', editHint: '发货前可以修改数量、添加商品。已付款的订单金额增加时顾客需补款；金额减少时差额立即退回。',
    open: '修改商品', close: '收起', quantityOf: '{sku} 的数量', findProduct: '添加商品', productName: '商品名称', find: '查找', noMatch: '没有匹配的商品。',
    variant: '规格', addQuantity: '数量', add: '添加', remove: '移除', adding: '将添加', reason: '修改原因',
    preview: '预览', apply: '确认修改', edited_ok: '订单已修改。', required: '必填',
    before: '修改前', after: '修改后', difference: '差额', subtotal: '商品合计', discount: '优惠', tax: '税额', total: '实付',
    s_none: '订单金额不变。', s_amount_due_changed: '订单未付款：顾客将按新金额付款。',
    s_balance_due: '顾客需补款 {amount}；补款后才能发货。', s_refunded: '{amount} 将立即退还给顾客。',
    history: '修改记录', when: '时间', by: '操作人', what: '修改内容', change: '{sku} {from} → {to}',
  },
});

export interface OrderEdit {
  id: string;
  actor: string;
  reason: string;
  changes: { lineNo: number; sku: string; from: number; to: number }[];
  difference: number;
  settlement: Settlement;
  refunded: number;
  createdAt: string;
}

type Settlement = 'none' | 'amount_due_changed' | 'balance_due' | 'refunded';

interface Totals {
  subtotal: number;
  discountTotal: number;
  taxTotal: number;
  total: number;
}

interface Preview {
  before: Totals;
  after: Totals;
  difference: number;
  settlement: Settlement;
  refund: number;
  balanceDue: number;
}

interface Props {
  order: { id: string; currency: string; lines: { lineNo: number; sku: string; quantity: number; title: Record<string, string> }[] };
  onDone(message: string): void;
  onConflict(error: ApiError): void;
  onStart(): void;
}

interface Added {
  variantId: string;
  label: string;
  quantity: number;
}

/** The order's lines as an editable form: new quantities, added variants, a preview, then the edit. */
export function OrderEditPanel(props: Props) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const { api } = useSession();
  const { order } = props;
  const [open, setOpen] = useState(false);
  const [quantities, setQuantities] = useState<Record<number, string>>({});
  const [added, setAdded] = useState<Added[]>([]);
  const [reason, setReason] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const money = (amount: number) => formatMoney(amount, order.currency, locale);

  function body() {
    const lines = order.lines
      .filter((line) => quantities[line.lineNo] !== undefined && quantities[line.lineNo] !== String(line.quantity))
      .map((line) => ({ lineNo: line.lineNo, quantity: Number(quantities[line.lineNo]) }));
    return { lines, add: added.map(({ variantId, quantity }) => ({ variantId, quantity })) };
  }

  async function send(path: 'edits/preview' | 'edits', payload: unknown): Promise<unknown> {
    setBusy(true);
    setError(null);
    try {
      return await api('POST', `/api/admin/orders/${encodeURIComponent(order.id)}/${path}`, payload);
    } catch (problem) {
      const failure = asApiError(problem);
      if (failure.problem.status === 409 && path === 'edits' && failure.problem.code === 'order_not_editable') props.onConflict(failure);
      else setError(failure);
      return undefined;
    } finally {
      setBusy(false);
    }
  }

  async function showPreview() {
    const result = await send('edits/preview', body());
    setPreview((result as Preview | undefined) ?? null);
  }

  async function apply(event: FormEvent) {
    event.preventDefault();
    if (reason.trim() === '') {
      setError(new ApiError({ status: 400, code: 'validation_failed', detail: t('required'), errors: [{ path: 'body.reason', message: t('required') }] }));
      return;
    }
    props.onStart();
    if (await send('edits', { ...body(), reason: reason.trim() })) {
      setOpen(false);
      setQuantities({});
      setAdded([]);
      setReason('');
      setPreview(null);
      props.onDone(t('edited_ok'));
    }
  }

  if (!open) {
    return (
      <div className="section">
        <button type="button" onClick={() => setOpen(true)}>{t('open')}</button>
      </div>
    );
  }

  return (
    <form className="section card order-edit" onSubmit={apply} noValidate>
      <h2>{t('editTitle')}</h2>
      <p className="muted">{t('editHint')}</p>
      <div className="edit-lines">
        {order.lines.map((line, index) => (
          <TextField
            key={line.lineNo}
            id={`edit-line-${line.lineNo}`}
            name={`lines.${index}.quantity`}
            errorPath={`body.lines.${index}.quantity`}
            label={`${pickText(line.title, locale)} — ${t('quantityOf', { sku: line.sku })}`}
            type="number"
            min={0}
            max={999}
            value={quantities[line.lineNo] ?? String(line.quantity)}
            onChange={(e) => {
              setQuantities({ ...quantities, [line.lineNo]: e.target.value });
              setPreview(null);
            }}
            error={error}
          />
        ))}
      </div>
      {added.length > 0 && (
        <>
          <h3>{t('adding')}</h3>
          <ul className="edit-added">
            {added.map((line) => (
              <li key={line.variantId}>
                {line.label} × {line.quantity}{' '}
                <button type="button" onClick={() => { setAdded(added.filter((other) => other.variantId !== line.variantId)); setPreview(null); }}>{t('remove')}</button>
              </li>
            ))}
          </ul>
        </>
      )}
      <AddVariant
        onAdd={(line) => {
          setAdded([...added.filter((other) => other.variantId !== line.variantId), line]);
          setPreview(null);
        }}
      />
      {preview && <PreviewTable preview={preview} money={money} />}
      <TextField id="edit-reason" name="reason" label={t('reason')} value={reason} onChange={(e) => setReason(e.target.value)} error={error} maxLength={200} autoComplete="off" required />
      <FormError error={error} />
      <div className="actions">
        <button type="button" onClick={showPreview} disabled={busy}>{t('preview')}</button>
        <button type="submit" className="primary" disabled={busy || !preview}>{t('apply')}</button>
        <button type="button" onClick={() => setOpen(false)}>{t('close')}</button>
      </div>
    </form>
  );
}

interface ProductHit {
  id: string;
  title: Record<string, string>;
}

interface ProductVariants {
  variants: { id: string; sku: string; optionValues: Record<string, string> }[];
  title: Record<string, string>;
}

/** Find a product by name, pick one of its variants and a quantity. */
function AddVariant({ onAdd }: { onAdd(line: Added): void }) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const { api } = useSession();
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<ProductHit[] | null>(null);
  const [product, setProduct] = useState<ProductVariants | null>(null);
  const [variantId, setVariantId] = useState('');
  const [quantity, setQuantity] = useState('1');

  async function find() {
    const page = await api<{ items: ProductHit[] }>('GET', `/api/admin/products?status=active&limit=10&q=${encodeURIComponent(query.trim())}`);
    setHits(page.items);
    setProduct(null);
  }

  async function choose(id: string) {
    const found = await api<ProductVariants>('GET', `/api/admin/products/${encodeURIComponent(id)}`);
    setProduct(found);
    setVariantId(found.variants[0]?.id ?? '');
  }

  function add() {
    const variant = product?.variants.find((candidate) => candidate.id === variantId);
    const units = Number(quantity);
    if (!product || !variant || !Number.isInteger(units) || units < 1) return;
    onAdd({ variantId: variant.id, label: `${pickText(product.title, locale)} (${variant.sku})`, quantity: units });
    setProduct(null);
    setHits(null);
    setQuery('');
  }

  return (
    <fieldset className="edit-add">
      <legend>{t('findProduct')}</legend>
      <div className="inline">
        <TextField id="edit-find" label={t('productName')} value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" />
        <button type="button" onClick={find} disabled={query.trim() === ''}>{t('find')}</button>
      </div>
      {hits && hits.length === 0 && <p className="empty">{t('noMatch')}</p>}
      {hits && hits.length > 0 && !product && (
        <ul className="edit-hits">
          {hits.map((hit) => (
            <li key={hit.id}><button type="button" onClick={() => choose(hit.id)}>{pickText(hit.title, locale)}</button></li>
          ))}
        </ul>
      )}
      {product && (
        <div className="inline">
          <SelectField id="edit-variant" label={t('variant')} value={variantId} onChange={(e) => setVariantId(e.target.value)}>
            {product.variants.map((variant) => (
              <option key={variant.id} value={variant.id}>{[variant.sku, ...Object.values(variant.optionValues)].join(' · ')}</option>
            ))}
          </SelectField>
          <TextField id="edit-add-quantity" label={t('addQuantity')} type="number" min={1} max={999} value={quantity} onChange={(e) => setQuantity(e.target.value)} />
          <button type="button" onClick={add}>{t('add')}</button>
        </div>
      )}
    </fieldset>
  );
}

function PreviewTable({ preview, money }: { preview: Preview; money(amount: number): string }) {
  const t = useMessages(messages);
  const rows: [string, keyof Totals][] = [[t('subtotal'), 'subtotal'], [t('discount'), 'discountTotal'], [t('tax'), 'taxTotal'], [t('total'), 'total']];
  const amount = money(preview.settlement === 'refunded' ? preview.refund : Math.abs(preview.difference));
  return (
    <div className="edit-preview" aria-live="polite">
      <table>
        <thead>
          <tr><th scope="col" /><th scope="col" className="num">{t('before')}</th><th scope="col" className="num">{t('after')}</th></tr>
        </thead>
        <tbody>
          {rows.map(([label, key]) => (
            <tr key={key}><th scope="row">{label}</th><td className="num">{money(preview.before[key])}</td><td className="num">{money(preview.after[key])}</td></tr>
          ))}
          <tr><th scope="row">{t('difference')}</th><td /><td className="num">{preview.difference > 0 ? '+' : ''}{money(preview.difference)}</td></tr>
        </tbody>
      </table>
      <p className="settlement">{t(`s_${preview.settlement}`, { amount: preview.settlement === 'balance_due' ? money(preview.balanceDue) : amount })}</p>
    </div>
  );
}

/** The order's edits, oldest first. */
export function OrderEditHistory({ edits, currency }: { edits: OrderEdit[]; currency: string }) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  if (edits.length === 0) return null;
  return (
    <div className="section">
      <h2>{t('history')}</h2>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('when')}</th>
              <th scope="col">{t('by')}</th>
              <th scope="col">{t('what')}</th>
              <th scope="col">{t('reason')}</th>
              <th scope="col" className="num">{t('difference')}</th>
            </tr>
          </thead>
          <tbody>
            {edits.map((edit) => (
              <tr key={edit.id}>
                <td><time dateTime={edit.createdAt}>{formatTime(edit.createdAt, locale)}</time></td>
                <td className="mono">{edit.actor}</td>
                <td>{edit.changes.map((change) => t('change', { sku: change.sku, from: change.from, to: change.to })).join('; ')}</td>
                <td>{edit.reason}</td>
                <td className="num">{edit.difference > 0 ? '+' : ''}{formatMoney(edit.difference, currency, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
