import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../../../shared/http.ts';
import { useFetch } from '../../../shared/useFetch.ts';
import { FormError, TextField } from '../components/Field.tsx';
import { Loaded } from '../components/States.tsx';
import { defineMessages, useMessages } from '../i18n.tsx';
import { useSession } from '../session.tsx';
import { ReturnsSettingsFields, returnsSettingsBody, returnsSettingsForm } from './ReturnsSettingsFields.tsx';

const messages = defineMessages({
  en: {
    title: 'Platform settings', name: 'Store name', primary: 'Primary colour', accent: 'Accent colour', colourHint: 'Hex, e.g. #e4393c',
    logo: 'Logo URL', logoHint: 'https:// address of an image (optional)', timeout: 'Payment timeout (minutes)',
    timeoutHint: 'Unpaid orders are cancelled and release their stock after this long', save: 'Save settings', saved: 'Saved',
    readOnly: 'Set by the installation operator', slug: 'Slug', domains: 'Domains', currencies: 'Currencies', locales: 'Languages',
    modules: 'Modules', quota: 'Request limit', perSecond: '{n} requests/s', none: 'none', viewerNote: 'Only admins can change settings.',
  },
  'zh-CN': {
    title: '店铺设置', name: '店铺名称', primary: '主色', accent: '强调色', colourHint: '十六进制，例如 #e4393c',
    logo: 'Logo 地址', logoHint: '图片的 https:// 地址（可选）', timeout: '支付超时（分钟）',
    timeoutHint: '超过这个时间未支付的订单会被取消并释放库存', save: '保存设置', saved: '已保存',
    readOnly: '由平台运营方设置', slug: '标识', domains: '域名', currencies: '币种', locales: '语言',
    modules: '模块', quota: '请求限额', perSecond: '每秒 {n} 次', none: '无', viewerNote: '只有管理员可以修改设置。',
  },
});

interface PlatformSettings {
  slug: string;
  name: string;
  domains: string[];
  currencies: string[];
  locales: string[];
  modules: string[];
  quotas: { requestsPerSecond: number };
  theme: { primaryColor: string; accentColor: string; logoUrl?: string };
  checkout: { paymentTimeoutMinutes: number };
  returns: { windowDays: number; shipBackDays: number; autoApproveRefundOnlyBelow: number };
}

export function SettingsPage() {
  const t = useMessages(messages);
  const { api } = useSession();
  const platform = useFetch(() => api<PlatformSettings>('GET', '/api/admin/platform'), [api]);
  return (
    <>
      <h1>{t('title')}</h1>
      <Loaded fetched={platform}>{(data) => <SettingsForm platform={data} onSaved={platform.reload} />}</Loaded>
    </>
  );
}

function SettingsForm({ platform, onSaved }: { platform: PlatformSettings; onSaved: () => void }) {
  const t = useMessages(messages);
  const { api, can } = useSession();
  const [form, setForm] = useState(() => formOf(platform));
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => setForm(formOf(platform)), [platform]);
  const set = (name: Exclude<keyof typeof form, 'returns'>) => (event: { target: { value: string } }) => setForm({ ...form, [name]: event.target.value });
  const editable = can('admin');

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await api('PATCH', '/api/admin/platform', {
        name: form.name,
        theme: { primaryColor: form.primaryColor, accentColor: form.accentColor, ...(form.logoUrl.trim() ? { logoUrl: form.logoUrl.trim() } : {}) },
        checkout: { paymentTimeoutMinutes: Number(form.paymentTimeoutMinutes) },
        returns: returnsSettingsBody(form.returns),
      });
      setSaved(true);
      onSaved();
    } catch (problem) {
      setError(problem instanceof ApiError ? problem : null);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <form className="card grid" onSubmit={save} noValidate>
        <TextField id="name" label={t('name')} value={form.name} onChange={set('name')} error={error} disabled={!editable} required />
        <ColourField id="primaryColor" label={t('primary')} hint={t('colourHint')} value={form.primaryColor} onChange={(v) => setForm({ ...form, primaryColor: v })} error={error} disabled={!editable} />
        <ColourField id="accentColor" label={t('accent')} hint={t('colourHint')} value={form.accentColor} onChange={(v) => setForm({ ...form, accentColor: v })} error={error} disabled={!editable} />
        <TextField id="logoUrl" type="url" label={t('logo')} hint={t('logoHint')} value={form.logoUrl} onChange={set('logoUrl')} error={error} errorPath="theme.logoUrl" disabled={!editable} />
        <TextField id="paymentTimeoutMinutes" type="number" min={1} max={10080} label={t('timeout')} hint={t('timeoutHint')} value={form.paymentTimeoutMinutes}
          onChange={set('paymentTimeoutMinutes')} error={error} errorPath="checkout.paymentTimeoutMinutes" disabled={!editable} />
        <ReturnsSettingsFields values={form.returns} onChange={(returns) => setForm({ ...form, returns })} error={error} disabled={!editable} />
        <div className="actions" style={{ gridColumn: '1 / -1' }}>
          {editable ? <button type="submit" className="primary" disabled={busy}>{t('save')}</button> : <p className="hint">{t('viewerNote')}</p>}
          {saved && <span role="status">{t('saved')}</span>}
        </div>
        {error && !error.hasFieldErrors() && <FormError error={error} />}
      </form>
      <h2>{t('readOnly')}</h2>
      <dl className="card facts">
        <dt>{t('slug')}</dt><dd>{platform.slug}</dd>
        <dt>{t('domains')}</dt><dd>{platform.domains.join(', ') || t('none')}</dd>
        <dt>{t('currencies')}</dt><dd>{platform.currencies.join(', ')}</dd>
        <dt>{t('locales')}</dt><dd>{platform.locales.join(', ')}</dd>
        <dt>{t('modules')}</dt><dd>{platform.modules.join(', ')}</dd>
        <dt>{t('quota')}</dt><dd>{t('perSecond', { n: platform.quotas.requestsPerSecond })}</dd>
      </dl>
    </>
  );
}

function formOf(platform: PlatformSettings) {
  return {
    name: platform.name,
    primaryColor: platform.theme.primaryColor,
    accentColor: platform.theme.accentColor,
    logoUrl: platform.theme.logoUrl ?? '',
    paymentTimeoutMinutes: String(platform.checkout.paymentTimeoutMinutes),
    returns: returnsSettingsForm(platform.returns),
  };
}

/** A colour as text (what the server checks) with a swatch picker beside it. */
function ColourField(props: { id: string; label: string; hint: string; value: string; onChange(value: string): void; error: ApiError | null; disabled: boolean }) {
  const valid = /^#[0-9a-fA-F]{6}$/.test(props.value);
  return (
    <div className="colour-field">
      <TextField id={props.id} label={props.label} hint={props.hint} value={props.value} onChange={(e) => props.onChange(e.target.value)}
        error={props.error} errorPath={`theme.${props.id}`} disabled={props.disabled} />
      <input type="color" aria-label={props.label} value={valid ? props.value : '#000000'} onChange={(e) => props.onChange(e.target.value)} disabled={props.disabled} />
    </div>
  );
}
