import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.ts';
import { useI18n } from '../i18n.tsx';

interface Profile {
  email: string | null;
  phone: string | null;
  name: string | null;
}

/** Name, email and phone; a changed email or phone asks for the current password. */
export function ProfileSection() {
  const { t } = useI18n();
  const [profile, setProfile] = useState<Profile | null>(null);
  const [form, setForm] = useState({ name: '', email: '', phone: '', currentPassword: '' });
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);

  function show(next: Profile) {
    setProfile(next);
    setForm({ name: next.name ?? '', email: next.email ?? '', phone: next.phone ?? '', currentPassword: '' });
  }

  useEffect(() => {
    api<Profile>('GET', '/api/store/account/profile').then(show, (problem: unknown) => setError(problem instanceof ApiError ? problem : null));
  }, []);

  if (!profile) return error ? <p role="alert">{error.message}</p> : <p className="muted" aria-busy="true">{t('loading')}</p>;
  const loginChanged = form.email !== (profile.email ?? '') || form.phone !== (profile.phone ?? '');

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setSaved(false);
    const value = (text: string) => (text.trim() === '' ? null : text.trim());
    const changes: Record<string, string | null> = { name: value(form.name) };
    if (form.email !== (profile!.email ?? '')) changes.email = value(form.email);
    if (form.phone !== (profile!.phone ?? '')) changes.phone = value(form.phone);
    if (loginChanged) changes.currentPassword = form.currentPassword;
    try {
      show(await api<Profile>('PATCH', '/api/store/account/profile', changes));
      setSaved(true);
    } catch (problem) {
      setError(problem instanceof ApiError ? problem : null);
    }
  }

  const input = (name: 'name' | 'email' | 'phone' | 'currentPassword', type: string, autoComplete: string) => {
    const message = error?.fieldMessage(name);
    return (
      <div className="field">
        <label htmlFor={`profile-${name}`}>{t(name === 'currentPassword' ? 'currentPassword' : name)}</label>
        <input id={`profile-${name}`} type={type} autoComplete={autoComplete} value={form[name]} aria-invalid={message ? true : undefined}
          onChange={(e) => setForm({ ...form, [name]: e.target.value })} />
        {message && <span className="error">{message}</span>}
      </div>
    );
  };

  return (
    <form onSubmit={submit} className="checkout" noValidate aria-labelledby="profile">
      <h2 id="profile">{t('profile')}</h2>
      {input('name', 'text', 'name')}
      {input('email', 'email', 'email')}
      {input('phone', 'tel', 'tel')}
      {loginChanged && input('currentPassword', 'password', 'current-password')}
      {error && !error.hasFieldErrors() && <p role="alert">{error.message}</p>}
      {saved && <p role="status">{t('profileSaved')}</p>}
      <button type="submit" className="primary">{t('saveProfile')}</button>
    </form>
  );
}
