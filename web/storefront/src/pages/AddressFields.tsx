import type { ApiError } from '../api.ts';
import { ADDRESS_FIELDS } from '../addressFields.ts';
import { useI18n } from '../i18n.tsx';

/** The shipping-address inputs, each with the server's message for it (`<prefix>.<field>`). */
export function AddressFields({ idPrefix, values, onChange, error, errorPrefix }: {
  idPrefix: string;
  values: Record<string, string>;
  onChange(values: Record<string, string>): void;
  error: ApiError | null;
  errorPrefix: string;
}) {
  const { t } = useI18n();
  return (
    <>
      {ADDRESS_FIELDS.map((field) => {
        const id = `${idPrefix}${field.name}`;
        const message = error?.fieldMessage(`${errorPrefix}.${field.name}`);
        return (
          <div key={field.name} className="field">
            <label htmlFor={id}>{t(field.label)}{field.required && ' *'}</label>
            <input id={id} name={field.name} autoComplete={field.autoComplete} required={field.required}
              aria-invalid={message ? true : undefined} aria-describedby={message ? `${id}-error` : undefined}
              value={values[field.name] ?? ''} onChange={(e) => onChange({ ...values, [field.name]: e.target.value })} />
            {message && <span id={`${id}-error`} className="error">{message}</span>}
          </div>
        );
      })}
    </>
  );
}
