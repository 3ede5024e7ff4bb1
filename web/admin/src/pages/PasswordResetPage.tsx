import { useState, type FormEvent } from 'react';
import { ApiError, requestJson } from '../../../shared/http.ts';
import { FormError, TextField } from '../components/Field.tsx';
import { defineMessages, useMessages } from '../i18n.tsx';

const messages = defineMessages({
  en: {
    askTitle: 'Reset your password', ask: 'Send me a link', asked: 'If that email belongs to staff of this platform, a link to set a new password is on its way. It works once, for 30 minutes.',
    setTitle: 'Set a new password', set: 'Set password', done: 'Your password is set, and every session of your account has ended. Log in with the new one.',
    platform: 'Platform', email: 'Email', newPassword: 'New password', toLogin: 'Go to log in',
  },
  'zh-CN': {
    askTitle: '重设密码', ask: '发送重设链接', asked: '如果这个邮箱属于本平台的员工，重设密码的链接已经发出。链接 30 分钟内有效，只能用一次。',
    setTitle: '设置新密码', set: '设置密码', done: '新密码已生效，这个账号的所有登录都已退出。请用新密码登录。',
    platform: '平台', email: '邮箱', newPassword: '新密码', toLogin: '去登录',
  },
});

/**
 * Staff who forgot their password ask for a one-time link here; the link (the token is in the
 * URL's fragment, so it never reaches a server log) comes back to this page to set a new one.
 */
export function PasswordResetPage() {
  const t = useMessages(messages);
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
  const [tenant, setTenant] = useState(() => new URLSearchParams(window.location.search).get('tenant') ?? '');
  const [value, setValue] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [finished, setFinished] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const headers = { 'x-tenant': tenant.trim() };
      if (token) await requestJson('POST', '/api/admin/auth/password-reset/complete', { token, newPassword: value }, headers);
      else await requestJson('POST', '/api/admin/auth/password-reset', { email: value }, headers);
      setFinished(true);
    } catch (problem) {
      setError(problem instanceof ApiError ? problem : null);
    } finally {
      setBusy(false);
    }
  }

  if (finished) {
    return (
      <div className="card narrow" role="status">
        <p>{t(token ? 'done' : 'asked')}</p>
        {token && <a href={`/admin/${tenant ? `?tenant=${encodeURIComponent(tenant)}` : ''}`}>{t('toLogin')}</a>}
      </div>
    );
  }
  return (
    <form className="card narrow" onSubmit={submit} noValidate>
      <h1>{t(token ? 'setTitle' : 'askTitle')}</h1>
      <TextField id="tenant" label={t('platform')} value={tenant} onChange={(e) => setTenant(e.target.value)} error={error} autoComplete="organization" />
      {token ? (
        <TextField id="newPassword" type="password" label={t('newPassword')} value={value} onChange={(e) => setValue(e.target.value)} error={error} autoComplete="new-password" required />
      ) : (
        <TextField id="email" type="email" label={t('email')} value={value} onChange={(e) => setValue(e.target.value)} error={error} autoComplete="username" required />
      )}
      {error && !error.hasFieldErrors() && <FormError error={error} />}
      <button type="submit" className="primary" disabled={busy}>{t(token ? 'set' : 'ask')}</button>
    </form>
  );
}
