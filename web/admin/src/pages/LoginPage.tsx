import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, requestJson } from '../../../shared/http.ts';
import { FormError, TextField } from '../components/Field.tsx';
import { defineMessages, useMessages } from '../i18n.tsx';
import { useSession, type StaffSession } from '../session.tsx';

const messages = defineMessages({
  en: { title: 'Staff log in', platform: 'Platform', platformHint: 'The platform slug, e.g. demo', email: 'Email', password: 'Password', submit: 'Log in', required: 'Required', forgot: 'Forgot your password?' },
  'zh-CN': { title: '员工登录', platform: '平台', platformHint: '平台标识，例如 demo', email: '邮箱', password: '密码', submit: '登录', required: '必填', forgot: '忘记密码？' },
});

/**
 * Staff sign in to one platform. The platform is the one this host belongs to, or the one in
 * `?tenant=`; staff of several platforms type its slug.
 */
export function LoginPage() {
  const t = useMessages(messages);
  const { signIn } = useSession();
  const [tenant, setTenant] = useState(() => new URLSearchParams(window.location.search).get('tenant') ?? '');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (tenant) return;
    // Prefill the platform this host serves, if any.
    requestJson<{ slug: string }>('GET', '/api/store/platform', undefined, {}).then((found) => setTenant((current) => current || found.slug), () => undefined);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    if (!tenant.trim()) {
      setError(new ApiError({ status: 400, code: 'validation_failed', detail: t('required'), errors: [{ path: 'tenant', message: t('required') }] }));
      return;
    }
    setBusy(true);
    try {
      const result = await requestJson<{ staff: StaffSession['staff']; session: { token: string } }>('POST', '/api/admin/auth/login', { email, password }, { 'x-tenant': tenant.trim() });
      signIn({ tenant: tenant.trim(), token: result.session.token, staff: result.staff });
    } catch (problem) {
      setError(problem instanceof ApiError ? problem : null);
      setBusy(false);
    }
  }

  return (
    <form className="card narrow" onSubmit={submit} noValidate>
      <h1>{t('title')}</h1>
      <TextField id="tenant" label={t('platform')} hint={t('platformHint')} value={tenant} onChange={(e) => setTenant(e.target.value)} error={error} autoComplete="organization" />
      <TextField id="email" type="email" label={t('email')} value={email} onChange={(e) => setEmail(e.target.value)} error={error} autoComplete="username" required />
      <TextField id="password" type="password" label={t('password')} value={password} onChange={(e) => setPassword(e.target.value)} error={error} autoComplete="current-password" required />
      {error && !error.hasFieldErrors() && <FormError error={error} />}
      <button type="submit" className="primary" disabled={busy}>{t('submit')}</button>
      <p><a href={`/admin/reset-password${tenant.trim() ? `?tenant=${encodeURIComponent(tenant.trim())}` : ''}`}>{t('forgot')}</a></p>
    </form>
  );
}
