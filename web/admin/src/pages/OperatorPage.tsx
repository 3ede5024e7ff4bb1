import { useState, type FormEvent } from 'react';
import { parse as parseYaml } from 'yaml';
import { ApiError, requestJson } from '../../../shared/http.ts';
import { useFetch } from '../../../shared/useFetch.ts';
import { FormError, TextAreaField, TextField } from '../components/Field.tsx';
import { Loaded } from '../components/States.tsx';
import { defineMessages, useMessages } from '../i18n.tsx';

const messages = defineMessages({
  en: {
    title: 'Platforms', intro: 'The installation operator creates storefronts here from a metadata document (the same YAML or JSON as `npx bazaar platform create --file`).',
    token: 'Operator token', tokenHint: 'Printed by `npm start` and kept in data/operator-token', document: 'Platform document (YAML or JSON)',
    create: 'Create platform', created: 'Platform “{name}” created in {ms} ms.', storefront: 'Open its storefront', admin: 'Open its admin console',
    preview: 'Live preview of {name}', existing: 'Existing platforms', none: 'No platforms yet', needToken: 'Enter the operator token to see and create platforms.',
    badDocument: 'The document is not valid YAML or JSON: {error}', slug: 'Slug', name: 'Name', domains: 'Domains', currency: 'Currency', created_at: 'Created',
  },
  'zh-CN': {
    title: '平台', intro: '安装运营方在这里用元数据文档创建店铺（与 `npx bazaar platform create --file` 相同的 YAML 或 JSON）。',
    token: '运营令牌', tokenHint: '`npm start` 启动时会打印，保存在 data/operator-token', document: '平台文档（YAML 或 JSON）',
    create: '创建平台', created: '平台“{name}”已创建，用时 {ms} 毫秒。', storefront: '打开店铺前台', admin: '打开店铺后台',
    preview: '{name} 的实时预览', existing: '已有平台', none: '还没有平台', needToken: '输入运营令牌后可查看和创建平台。',
    badDocument: '文档不是有效的 YAML 或 JSON：{error}', slug: '标识', name: '名称', domains: '域名', currency: '币种', created_at: '创建时间',
  },
});

const EXAMPLE = `slug: tea-house
name: 茶馆 Tea House
domains: []
defaultCurrency: CNY
currencies: [CNY, USD]
defaultLocale: zh-CN
locales: [zh-CN, en]
quotas:
  requestsPerSecond: 200
  products: 5000
theme:
  primaryColor: "#0f766e"
  accentColor: "#f59e0b"
owner:
  email: owner@tea-house.example
  password: change-me-please
`;

interface PlatformView {
  id: string;
  slug: string;
  name: string;
  domains: string[];
  defaultCurrency: string;
  createdAt: string;
}

const TOKEN_KEY = 'bazaar.operator.token';

/** The operator's page: a metadata document in, a live storefront out, with no restart. */
export function OperatorPage() {
  const t = useMessages(messages);
  const [token, setToken] = useState(() => sessionStorage.getItem(TOKEN_KEY) ?? '');
  const [document, setDocument] = useState(EXAMPLE);
  const [error, setError] = useState<ApiError | null>(null);
  const [created, setCreated] = useState<{ platform: PlatformView; ms: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const operator = <T,>(method: string, path: string, body?: unknown) => requestJson<T>(method, path, body, { authorization: `Bearer ${token.trim()}` });
  const platforms = useFetch(() => (token.trim() ? operator<{ items: PlatformView[] }>('GET', '/api/operator/platforms') : Promise.resolve(null)), [token, created]);

  function rememberToken(value: string) {
    setToken(value);
    sessionStorage.setItem(TOKEN_KEY, value);
  }

  async function create(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setCreated(null);
    let body: unknown;
    try {
      body = parseYaml(document);
    } catch (problem) {
      const detail = t('badDocument', { error: problem instanceof Error ? problem.message.split('\n')[0]! : String(problem) });
      setError(new ApiError({ status: 400, code: 'invalid_document', detail, errors: [{ path: 'document', message: detail }] }));
      return;
    }
    setBusy(true);
    const started = performance.now();
    try {
      const platform = await operator<PlatformView>('POST', '/api/operator/platforms', body);
      setCreated({ platform, ms: Math.round(performance.now() - started) });
    } catch (problem) {
      setError(problem instanceof ApiError ? problem : null);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <h1>{t('title')}</h1>
      <p className="hint">{t('intro')}</p>
      <form className="card" onSubmit={create} noValidate style={{ display: 'grid', gap: 12 }}>
        <TextField id="operatorToken" type="password" label={t('token')} hint={t('tokenHint')} value={token} onChange={(e) => rememberToken(e.target.value)} autoComplete="off" />
        <TextAreaField id="document" className="code" rows={18} label={t('document')} value={document} onChange={(e) => setDocument(e.target.value)} error={error} spellCheck={false} />
        {error && error.problem.code !== 'invalid_document' && <FormError error={error} />}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || !token.trim()}>{t('create')}</button>
        </div>
      </form>
      {created && <Created platform={created.platform} ms={created.ms} />}
      <h2>{t('existing')}</h2>
      {!token.trim() ? (
        <p className="empty">{t('needToken')}</p>
      ) : (
        <Loaded fetched={platforms} isEmpty={(data) => !data || data.items.length === 0} empty={t('none')}>
          {(data) => <PlatformTable platforms={data?.items ?? []} />}
        </Loaded>
      )}
    </>
  );
}

function Created({ platform, ms }: { platform: PlatformView; ms: number }) {
  const t = useMessages(messages);
  const storefront = `/?tenant=${encodeURIComponent(platform.slug)}`;
  return (
    <section className="card" aria-live="polite">
      <p role="status">{t('created', { name: platform.name, ms })}</p>
      <div className="actions">
        <a href={storefront} target="_blank" rel="noreferrer">{t('storefront')}</a>
        <a href={`/admin/?tenant=${encodeURIComponent(platform.slug)}`} target="_blank" rel="noreferrer">{t('admin')}</a>
      </div>
      <h2>{t('preview', { name: platform.name })}</h2>
      <iframe className="preview" title={t('preview', { name: platform.name })} src={storefront} />
    </section>
  );
}

function PlatformTable({ platforms }: { platforms: PlatformView[] }) {
  const t = useMessages(messages);
  return (
    <table>
      <thead>
        <tr><th>{t('slug')}</th><th>{t('name')}</th><th>{t('domains')}</th><th>{t('currency')}</th><th>{t('created_at')}</th></tr>
      </thead>
      <tbody>
        {platforms.map((platform) => (
          <tr key={platform.id}>
            <td><a href={`/?tenant=${encodeURIComponent(platform.slug)}`}>{platform.slug}</a></td>
            <td>{platform.name}</td>
            <td>{platform.domains.join(', ')}</td>
            <td>{platform.defaultCurrency}</td>
            <td>{new Date(platform.createdAt).toLocaleString()}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
