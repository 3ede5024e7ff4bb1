import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, ApiError } from '../api.ts';
import { useI18n } from '../i18n.tsx';

/**
 * "Forgot password": the shopper asks for a one-time link by email; the link comes back here with
 * the token in the URL's fragment (never sent to a server or in a Referer) to set a new password.
 */
export function PasswordResetPage() {
  const { t } = useI18n();
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
  const [value, setValue] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [finished, setFinished] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      if (token) await api('POST', '/api/store/auth/password-reset/complete', { token, newPassword: value });
      else await api('POST', '/api/store/auth/password-reset', { email: value });
      setFinished(true);
    } catch (problem) {
      setError(problem instanceof ApiError ? problem : null);
    }
  }

  if (finished) {
    return (
      <div className="auth" role="status">
        <p>{t(token ? 'resetDone' : 'resetAsked')}</p>
        {token && <Link to="/login">{t('login')}</Link>}
      </div>
    );
  }
  const field = token ? 'newPassword' : 'email';
  const fieldError = error?.fieldMessage(field);
  return (
    <form onSubmit={submit} className="auth" noValidate>
      <h1>{t(token ? 'resetSetTitle' : 'resetAskTitle')}</h1>
      <div className="field">
        <label htmlFor={field}>{t(token ? 'newPassword' : 'email')}</label>
        <input id={field} type={token ? 'password' : 'email'} autoComplete={token ? 'new-password' : 'email'} value={value} onChange={(e) => setValue(e.target.value)} aria-invalid={fieldError ? true : undefined} />
        {fieldError && <span className="error">{fieldError}</span>}
      </div>
      {error && !error.problem.errors && <p role="alert">{error.message}</p>}
      <button type="submit" className="primary">{t(token ? 'resetSet' : 'resetAsk')}</button>
    </form>
  );
}
