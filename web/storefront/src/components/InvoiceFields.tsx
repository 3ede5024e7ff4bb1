import { useI18n } from '../i18n.tsx';
import type { ApiError } from '../api.ts';

export interface InvoiceDraft {
  wanted: boolean;
  titleType: 'personal' | 'company';
  title: string;
  taxId: string;
  email: string;
}

export const NO_INVOICE: InvoiceDraft = { wanted: false, titleType: 'personal', title: '', taxId: '', email: '' };

/** The invoice as the checkout API takes it, or undefined when none is wanted. */
export function invoiceBody(draft: InvoiceDraft) {
  if (!draft.wanted) return undefined;
  return {
    titleType: draft.titleType,
    title: draft.title.trim(),
    ...(draft.titleType === 'company' ? { taxId: draft.taxId.trim() } : {}),
    ...(draft.email.trim() ? { email: draft.email.trim() } : {}),
  };
}

/** 发票: personal or company title, the company's tax id, where to send it. */
export function InvoiceFields({ draft, onChange, error }: { draft: InvoiceDraft; onChange(draft: InvoiceDraft): void; error: ApiError | null }) {
  const { t } = useI18n();
  const field = (name: 'title' | 'taxId' | 'email', label: Parameters<typeof t>[0], type = 'text') => {
    const message = error?.fieldMessage(`invoice.${name}`);
    return (
      <div className="field">
        <label htmlFor={`invoice-${name}`}>{t(label)}</label>
        <input id={`invoice-${name}`} type={type} value={draft[name]} aria-invalid={message ? true : undefined} onChange={(e) => onChange({ ...draft, [name]: e.target.value })} />
        {message && <span className="error">{message}</span>}
      </div>
    );
  };
  return (
    <fieldset className="invoice">
      <label>
        <input type="checkbox" checked={draft.wanted} onChange={(e) => onChange({ ...draft, wanted: e.target.checked })} /> {t('invoiceWanted')}
      </label>
      {draft.wanted && (
        <>
          <div role="radiogroup">
            {(['personal', 'company'] as const).map((kind) => (
              <label key={kind}>
                <input type="radio" name="invoiceTitleType" checked={draft.titleType === kind} onChange={() => onChange({ ...draft, titleType: kind })} />
                {t(kind === 'personal' ? 'invoicePersonal' : 'invoiceCompany')}
              </label>
            ))}
          </div>
          {field('title', 'invoiceTitle')}
          {draft.titleType === 'company' && field('taxId', 'invoiceTaxId')}
          {field('email', 'invoiceEmail', 'email')}
        </>
      )}
    </fieldset>
  );
}
