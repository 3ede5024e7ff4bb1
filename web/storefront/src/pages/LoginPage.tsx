import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, ApiError } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { useStore, type Cart } from '../store.tsx';

export function LoginPage({ mode }: { mode: 'login' | 'register' }) {
  const { t } = useI18n();
  const { cart, signIn } = useStore();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      if (mode === 'register') await api('POST', '/api/store/auth/register', { email, password });
      // Logging in hands the guest cart over to the account.
      const result = await api<{ session: { token: string }; cart?: Cart }>('POST', '/api/store/auth/login', { email, password, ...(cart ? { cartId: cart.id } : {}) });
      signIn(result.session.token, result.cart);
      void navigate(params.get('next') ?? '/');
    } catch (problem) {
      setError(problem instanceof ApiError ? problem : null);
    }
  }

  const fieldError = (name: string) => error?.fieldMessage(name);
  return (
    <form onSubmit={submit} className="auth" noValidate>
      <h1>{t(mode)}</h1>
      <div className="field">
        <label htmlFor="email">{t('email')}</label>
        <input id="email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} aria-invalid={fieldError('email') ? true : undefined} />
        {fieldError('email') && <span className="error">{fieldError('email')}</span>}
      </div>
      <div className="field">
        <label htmlFor="password">{t('password')}</label>
        <input id="password" type="password" autoComplete={mode === 'login' ? 'current-password' : 'new-password'} value={password} onChange={(e) => setPassword(e.target.value)} aria-invalid={fieldError('password') ? true : undefined} />
        {fieldError('password') && <span className="error">{fieldError('password')}</span>}
      </div>
      {error && !error.problem.errors && <p role="alert">{error.message}</p>}
      <button type="submit" className="primary">{t(mode)}</button>
      <p>
        {mode === 'login' ? t('noAccount') : t('haveAccount')}{' '}
        <Link to={mode === 'login' ? '/register' : '/login'}>{t(mode === 'login' ? 'register' : 'login')}</Link>
      </p>
      {mode === 'login' && <p><Link to="/reset-password">{t('forgotPassword')}</Link></p>}
    </form>
  );
}
