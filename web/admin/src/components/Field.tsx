import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';
import type { ApiError } from '../../../shared/http.ts';

interface Labelled {
  id: string;
  label: ReactNode;
  /** The server's problem: its message for this field (by `name`, or `errorPath`) shows below it. */
  error?: ApiError | null;
  errorPath?: string;
  hint?: ReactNode;
}

function FieldShell({ id, label, message, hint, children }: { id: string; label: ReactNode; message: string | undefined; hint?: ReactNode; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && !message && <span className="hint" id={`${id}-hint`}>{hint}</span>}
      {message && <span className="error" id={`${id}-error`}>{message}</span>}
    </div>
  );
}

function described(id: string, message: string | undefined, hint: ReactNode) {
  return {
    'aria-invalid': message ? true : undefined,
    'aria-describedby': message ? `${id}-error` : hint ? `${id}-hint` : undefined,
  } as const;
}

/** A labelled input that shows the server's message for its field next to it. */
export function TextField({ id, label, error, errorPath, hint, ...input }: Labelled & InputHTMLAttributes<HTMLInputElement>) {
  const message = error?.fieldMessage(errorPath ?? input.name ?? id);
  return (
    <FieldShell id={id} label={label} message={message} hint={hint}>
      <input id={id} name={input.name ?? id} {...described(id, message, hint)} {...input} />
    </FieldShell>
  );
}

export function TextAreaField({ id, label, error, errorPath, hint, ...input }: Labelled & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const message = error?.fieldMessage(errorPath ?? input.name ?? id);
  return (
    <FieldShell id={id} label={label} message={message} hint={hint}>
      <textarea id={id} name={input.name ?? id} {...described(id, message, hint)} {...input} />
    </FieldShell>
  );
}

export function SelectField({ id, label, error, errorPath, hint, children, ...select }: Labelled & SelectHTMLAttributes<HTMLSelectElement>) {
  const message = error?.fieldMessage(errorPath ?? select.name ?? id);
  return (
    <FieldShell id={id} label={label} message={message} hint={hint}>
      <select id={id} name={select.name ?? id} {...described(id, message, hint)} {...select}>
        {children}
      </select>
    </FieldShell>
  );
}

/** The problem's message when no field shows it (e.g. 409 sku_taken), as an alert. */
export function FormError({ error }: { error: ApiError | null }) {
  if (!error) return null;
  return <p role="alert" className="form-error">{error.message}{error.problem.errors?.length ? ` (${error.problem.errors.map((e) => `${e.path.replace(/^body\./, '')}: ${e.message}`).join('; ')})` : ''}</p>;
}
