import { useState, type FormEvent } from 'react';
import { ApiError, asApiError } from '../../../shared/http.ts';
import { formatMoney } from '../../../shared/money.ts';
import { useFetch } from '../../../shared/useFetch.ts';
import { FormError, TextField } from '../components/Field.tsx';
import { Loaded, StatusBadge } from '../components/States.tsx';
import { defineMessages, pickText, useLocale, useMessages } from '../i18n.tsx';
import { useSession } from '../session.tsx';
import { ShippingMethodForm, useRateSummary, type ShippingMethod, type ShippingProfile } from './ShippingMethodForm.tsx';
import './orders.css';
import './shipping-tax.css';

const messages = defineMessages({
  en: {
    title: 'Shipping', profiles: 'Shipping profiles', profilesHint: 'Kinds of goods that ship differently (bulky, cold chain). Products without one are general goods.',
    code: 'Code', codeHint: 'Lowercase letters, digits and -, e.g. bulky', name: 'Name', nameZh: 'Name (Chinese)', nameEn: 'Name (English)', requiresShipping: 'Needs shipping',
    yes: 'Yes', no: 'No (e.g. digital goods)', actions: 'Actions', edit: 'Edit', delete: 'Delete', cancel: 'Cancel', noProfiles: 'No profiles: every product is general goods.',
    saveProfile: 'Save profile', addProfile: 'Add profile', profileSaved: 'Profile {code} saved.', profileDeleted: 'Profile {code} deleted.', confirmDeleteProfile: 'Delete profile {code}?',
    zones: 'Zones', zonesHint: 'A region belongs to one zone; an address gets the methods of its most specific zone (city, then province, then country).', noZones: 'No zones yet: checkout cannot ship anywhere.',
    zoneName: 'Zone name', regions: 'Regions', country: 'Country', countryHint: 'ISO code, e.g. CN', province: 'Province (optional)', city: 'City (optional)',
    addRegion: 'Add region', removeRegion: 'Remove region {n}', region: 'Region {n}', wholeCountry: 'whole country',
    newZone: 'New zone', createZone: 'Create zone', saveZone: 'Save zone', zoneSaved: 'Zone {name} saved.', zoneDeleted: 'Zone {name} deleted.', confirmDeleteZone: 'Delete zone {name} and its methods?',
    methods: 'Methods', noMethods: 'No methods: addresses in this zone cannot check out.', addMethod: 'Add method', method: 'Method', kind: 'Kind', carrier: 'Carrier', rate: 'Rate', freeOver: 'Free over', days: 'Delivery',
    daysRange: '{min}–{max} days', status: 'Status', active: 'Active', disabled: 'Disabled', enable: 'Enable', disable: 'Disable',
    methodSaved: 'Method {name} saved.', methodDeleted: 'Method {name} deleted.', confirmDeleteMethod: 'Delete method {name}?',
    standard: 'Standard', express: 'Express', carrierKind: 'Carrier', pickup: 'Pickup', required: 'Required', readOnly: 'Only admins can change shipping.',
  },
  'zh-CN': {
    title: '运费与配送', profiles: '运费模板', profilesHint: '配送方式不同的商品类别（大件、冷链）。未设置的商品按普通商品配送。',
    code: '代码', codeHint: '小写字母、数字和 -，例如 bulky', name: '名称', nameZh: '名称（中文）', nameEn: '名称（英文）', requiresShipping: '需要配送',
    yes: '是', no: '否（例如虚拟商品）', actions: '操作', edit: '编辑', delete: '删除', cancel: '取消', noProfiles: '还没有运费模板：所有商品都按普通商品配送。',
    saveProfile: '保存模板', addProfile: '添加模板', profileSaved: '运费模板 {code} 已保存。', profileDeleted: '运费模板 {code} 已删除。', confirmDeleteProfile: '删除运费模板 {code}？',
    zones: '配送区域', zonesHint: '一个地区只属于一个区域；地址使用最具体的区域（城市、省份、国家）的配送方式。', noZones: '还没有配送区域：结账时无法配送。',
    zoneName: '区域名称', regions: '地区', country: '国家', countryHint: 'ISO 代码，例如 CN', province: '省份（选填）', city: '城市（选填）',
    addRegion: '添加地区', removeRegion: '删除地区 {n}', region: '地区 {n}', wholeCountry: '全国',
    newZone: '新建区域', createZone: '创建区域', saveZone: '保存区域', zoneSaved: '区域 {name} 已保存。', zoneDeleted: '区域 {name} 已删除。', confirmDeleteZone: '删除区域 {name} 及其配送方式？',
    methods: '配送方式', noMethods: '还没有配送方式：这个区域的地址无法结账。', addMethod: '添加配送方式', method: '配送方式', kind: '类型', carrier: '承运商', rate: '运费', freeOver: '满额包邮', days: '送达时间',
    daysRange: '{min}–{max} 天', status: '状态', active: '启用', disabled: '停用', enable: '启用', disable: '停用',
    methodSaved: '配送方式 {name} 已保存。', methodDeleted: '配送方式 {name} 已删除。', confirmDeleteMethod: '删除配送方式 {name}？',
    standard: '普通快递', express: '加急', carrierKind: '指定承运商', pickup: '自提', required: '必填', readOnly: '只有管理员可以修改配送设置。',
  },
});

interface Zone {
  id: string;
  name: string;
  regions: { country: string; province: string | null; city: string | null }[];
  methods: ShippingMethod[];
}

/** Profiles, zones with their regions, and each zone's methods: everything checkout ships by. */
export function ShippingPage() {
  const t = useMessages(messages);
  const { api, can } = useSession();
  const setup = useFetch(async () => {
    const [profiles, zones, platform] = await Promise.all([
      api<{ items: ShippingProfile[] }>('GET', '/api/admin/shipping/profiles'),
      api<{ items: Zone[] }>('GET', '/api/admin/shipping/zones'),
      api<{ defaultCurrency: string; currencies: string[] }>('GET', '/api/store/platform'),
    ]);
    const currencies = [platform.defaultCurrency, ...platform.currencies.filter((c) => c !== platform.defaultCurrency)];
    return { profiles: profiles.items, zones: zones.items, currencies };
  }, [api]);
  const [notice, setNotice] = useState('');

  function changed(message: string) {
    setNotice(message);
    setup.reload();
  }

  return (
    <section>
      <h1>{t('title')}</h1>
      {!can('admin') && <p className="hint">{t('readOnly')}</p>}
      <p role="status" className="notice">{notice}</p>
      <Loaded fetched={setup}>
        {(data) => (
          <div className={setup.loading ? 'refreshing' : undefined} aria-busy={setup.loading}>
            <ProfilesSection profiles={data.profiles} onChanged={changed} onStart={() => setNotice('')} />
            <ZonesSection zones={data.zones} profiles={data.profiles} currencies={data.currencies} onChanged={changed} onStart={() => setNotice('')} />
          </div>
        )}
      </Loaded>
    </section>
  );
}

interface Changes {
  onChanged(message: string): void;
  onStart(): void;
}

/* ---------- Profiles ---------- */

function ProfilesSection({ profiles, onChanged, onStart }: { profiles: ShippingProfile[] } & Changes) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const { api, can } = useSession();
  const [editing, setEditing] = useState<ShippingProfile | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  async function remove(profile: ShippingProfile) {
    if (!window.confirm(t('confirmDeleteProfile', { code: profile.code }))) return;
    setError(null);
    onStart();
    try {
      await api('DELETE', `/api/admin/shipping/profiles/${encodeURIComponent(profile.code)}`);
      onChanged(t('profileDeleted', { code: profile.code }));
    } catch (problem) {
      // shipping_profile_in_use: the server's message says what to do.
      setError(asApiError(problem));
    }
  }

  return (
    <div className="section">
      <h2 id="shipping-profiles">{t('profiles')}</h2>
      <p className="hint">{t('profilesHint')}</p>
      <FormError error={error} />
      {profiles.length === 0 ? (
        <p className="empty">{t('noProfiles')}</p>
      ) : (
        <div className="table-scroll">
          <table aria-labelledby="shipping-profiles">
            <thead>
              <tr>
                <th scope="col">{t('code')}</th>
                <th scope="col">{t('name')}</th>
                <th scope="col">{t('requiresShipping')}</th>
                {can('admin') && <th scope="col">{t('actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {profiles.map((profile) => (
                <tr key={profile.code}>
                  <td id={`profile-${profile.code}`} className="mono">{profile.code}</td>
                  <td>{pickText(profile.name, locale)}</td>
                  <td>{profile.requiresShipping ? t('yes') : t('no')}</td>
                  {can('admin') && (
                    <td className="nowrap">
                      <button type="button" className="secondary" aria-describedby={`profile-${profile.code}`} onClick={() => setEditing(profile)}>{t('edit')}</button>{' '}
                      <button type="button" className="danger" aria-describedby={`profile-${profile.code}`} onClick={() => void remove(profile)}>{t('delete')}</button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {can('admin') && (
        <ProfileForm key={editing?.code ?? 'new'} profile={editing} onCancel={() => setEditing(null)} onStart={onStart}
          onChanged={(message) => { setEditing(null); onChanged(message); }} />
      )}
    </div>
  );
}

function ProfileForm({ profile, onCancel, onChanged, onStart }: { profile: ShippingProfile | null; onCancel(): void } & Changes) {
  const t = useMessages(messages);
  const { api } = useSession();
  const [form, setForm] = useState({ code: profile?.code ?? '', nameZh: profile?.name['zh-CN'] ?? '', nameEn: profile?.name.en ?? '', requiresShipping: profile?.requiresShipping ?? true });
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const code = form.code.trim();
    const name = Object.fromEntries([['zh-CN', form.nameZh.trim()], ['en', form.nameEn.trim()]].filter(([, text]) => text));
    const missing = [...(code ? [] : [{ path: 'body.code', message: t('required') }]), ...(Object.keys(name).length ? [] : [{ path: 'body.name', message: t('required') }])];
    if (missing.length > 0) return setError(new ApiError({ status: 400, code: 'validation_failed', detail: t('required'), errors: missing }));
    setBusy(true);
    setError(null);
    onStart();
    try {
      if (profile) await api('PATCH', `/api/admin/shipping/profiles/${encodeURIComponent(code)}`, { name, requiresShipping: form.requiresShipping });
      else await api('POST', '/api/admin/shipping/profiles', { code, name, requiresShipping: form.requiresShipping });
      if (!profile) setForm({ code: '', nameZh: '', nameEn: '', requiresShipping: true });
      onChanged(t('profileSaved', { code }));
    } catch (problem) {
      const found = asApiError(problem);
      // Editing, the code travels in the path, so its message comes back as params.code.
      setError(new ApiError({ ...found.problem, errors: found.problem.errors?.map((entry) => ({ ...entry, path: entry.path.replace(/^params\./, 'body.') })) }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card grid" onSubmit={submit} noValidate aria-label={profile ? t('saveProfile') : t('addProfile')}>
      <TextField id="profile-code" name="code" label={t('code')} hint={t('codeHint')} value={form.code} onChange={(e) => setForm({ ...form, code: e.target.value })} readOnly={profile !== null} autoComplete="off" error={error} />
      <TextField id="profile-name-zh" name="nameZh" errorPath="name" label={t('nameZh')} value={form.nameZh} onChange={(e) => setForm({ ...form, nameZh: e.target.value })} maxLength={60} error={error} />
      <TextField id="profile-name-en" name="nameEn" errorPath="name" label={t('nameEn')} value={form.nameEn} onChange={(e) => setForm({ ...form, nameEn: e.target.value })} maxLength={60} error={error} />
      <label className="field">
        <span><input type="checkbox" checked={form.requiresShipping} onChange={(e) => setForm({ ...form, requiresShipping: e.target.checked })} /> {t('requiresShipping')}</span>
      </label>
      {error && !['code', 'name'].some((name) => error.fieldMessage(name)) && <FormError error={error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>{profile ? t('saveProfile') : t('addProfile')}</button>
        {profile && <button type="button" className="secondary" onClick={onCancel}>{t('cancel')}</button>}
      </div>
    </form>
  );
}

/* ---------- Zones ---------- */

interface ZonesProps extends Changes {
  zones: Zone[];
  profiles: ShippingProfile[];
  currencies: string[];
}

function ZonesSection(props: ZonesProps) {
  const t = useMessages(messages);
  const { can } = useSession();
  return (
    <div className="section">
      <h2>{t('zones')}</h2>
      <p className="hint">{t('zonesHint')}</p>
      {props.zones.length === 0 && <p className="empty">{t('noZones')}</p>}
      {props.zones.map((zone) => <ZoneCard key={zone.id} zone={zone} {...props} />)}
      {can('admin') && (
        <>
          <h3 id="new-zone">{t('newZone')}</h3>
          <ZoneForm zone={null} onChanged={props.onChanged} onStart={props.onStart} onCancel={() => undefined} />
        </>
      )}
    </div>
  );
}

function regionText(region: Zone['regions'][number], wholeCountry: string): string {
  return [region.country, region.province, region.city].filter(Boolean).join(' / ') + (region.province ? '' : ` (${wholeCountry})`);
}

function ZoneCard({ zone, profiles, currencies, onChanged, onStart }: { zone: Zone } & ZonesProps) {
  const t = useMessages(messages);
  const { api, can } = useSession();
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function remove() {
    if (!window.confirm(t('confirmDeleteZone', { name: zone.name }))) return;
    setError(null);
    onStart();
    try {
      await api('DELETE', `/api/admin/shipping/zones/${encodeURIComponent(zone.id)}`);
      onChanged(t('zoneDeleted', { name: zone.name }));
    } catch (problem) {
      setError(asApiError(problem));
    }
  }

  const headingId = `zone-${zone.id}`;
  return (
    <section className="card zone" aria-labelledby={headingId}>
      <div className="page-head">
        <h3 id={headingId}>{zone.name}</h3>
        {can('admin') && !editing && (
          <span className="nowrap">
            <button type="button" className="secondary" aria-describedby={headingId} onClick={() => setEditing(true)}>{t('edit')}</button>{' '}
            <button type="button" className="danger" aria-describedby={headingId} onClick={() => void remove()}>{t('delete')}</button>
          </span>
        )}
      </div>
      <FormError error={error} />
      {editing ? (
        <ZoneForm zone={zone} onStart={onStart} onCancel={() => setEditing(false)} onChanged={(message) => { setEditing(false); onChanged(message); }} />
      ) : (
        <p><span className="muted">{t('regions')}:</span> {zone.regions.map((region) => regionText(region, t('wholeCountry'))).join('; ')}</p>
      )}
      <MethodsTable zone={zone} profiles={profiles} currencies={currencies} onChanged={onChanged} onStart={onStart} />
    </section>
  );
}

interface RegionRow { key: number; country: string; province: string; city: string }
let lastRegionKey = 0;
const regionRow = (region?: Zone['regions'][number]): RegionRow => ({ key: ++lastRegionKey, country: region?.country ?? 'CN', province: region?.province ?? '', city: region?.city ?? '' });

function ZoneForm({ zone, onCancel, onChanged, onStart }: { zone: Zone | null; onCancel(): void } & Changes) {
  const t = useMessages(messages);
  const { api } = useSession();
  const [name, setName] = useState(zone?.name ?? '');
  const [rows, setRows] = useState<RegionRow[]>(() => (zone ? zone.regions.map(regionRow) : [regionRow()]));
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const prefix = `zone-form-${zone?.id ?? 'new'}`;
  const update = (key: number, change: Partial<RegionRow>) => setRows((current) => current.map((row) => (row.key === key ? { ...row, ...change } : row)));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const regions = rows.map((row) => ({
      country: row.country.trim().toUpperCase(),
      ...(row.province.trim() ? { province: row.province.trim() } : {}),
      ...(row.city.trim() ? { city: row.city.trim() } : {}),
    }));
    if (!name.trim()) return setError(new ApiError({ status: 400, code: 'validation_failed', detail: t('required'), errors: [{ path: 'body.name', message: t('required') }] }));
    setBusy(true);
    setError(null);
    onStart();
    try {
      const saved = zone
        ? await api<Zone>('PATCH', `/api/admin/shipping/zones/${encodeURIComponent(zone.id)}`, { name: name.trim(), regions })
        : await api<Zone>('POST', '/api/admin/shipping/zones', { name: name.trim(), regions });
      if (!zone) {
        setName('');
        setRows([regionRow()]);
      }
      onChanged(t('zoneSaved', { name: saved.name }));
    } catch (problem) {
      // zone_region_taken (409) names the regions another zone has: shown as the form's alert.
      setError(asApiError(problem));
    } finally {
      setBusy(false);
    }
  }

  const regionMessage = (index: number, field: string) => error?.fieldMessage(`regions.${index}.${field}`);
  return (
    <form className="card" onSubmit={submit} noValidate aria-label={zone ? t('saveZone') : t('createZone')}>
      <TextField id={`${prefix}-name`} name="name" label={t('zoneName')} value={name} onChange={(e) => setName(e.target.value)} maxLength={100} autoComplete="off" error={error} />
      <fieldset>
        <legend>{t('regions')}</legend>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('country')}</th>
              <th scope="col">{t('province')}</th>
              <th scope="col">{t('city')}</th>
              <th scope="col"><span className="sr-only">{t('actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => {
              const n = index + 1;
              const cell = (field: 'country' | 'province' | 'city', label: string, extra: Record<string, unknown> = {}) => {
                const message = regionMessage(index, field);
                const id = `${prefix}-${row.key}-${field}`;
                return (
                  <td>
                    <label htmlFor={id} className="sr-only">{`${t('region', { n })}: ${label}`}</label>
                    <input id={id} className="inline-input" value={row[field]} onChange={(e) => update(row.key, { [field]: e.target.value })} aria-invalid={message ? true : undefined}
                      aria-describedby={message ? `${id}-error` : undefined} autoComplete="off" maxLength={100} {...extra} />
                    {message && <span className="error" id={`${id}-error`}>{message}</span>}
                  </td>
                );
              };
              return (
                <tr key={row.key}>
                  {cell('country', t('country'), { maxLength: 2, size: 3, placeholder: 'CN' })}
                  {cell('province', t('province'))}
                  {cell('city', t('city'))}
                  <td>
                    <button type="button" className="secondary" aria-label={t('removeRegion', { n })} disabled={rows.length === 1} onClick={() => setRows(rows.filter((r) => r.key !== row.key))}>
                      {t('delete')}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <button type="button" className="secondary" disabled={rows.length >= 500} onClick={() => setRows([...rows, regionRow()])}>{t('addRegion')}</button>
      </fieldset>
      {error && !error.fieldMessage('name') && !rows.some((_, index) => ['country', 'province', 'city'].some((field) => regionMessage(index, field))) && <FormError error={error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>{zone ? t('saveZone') : t('createZone')}</button>
        {zone && <button type="button" className="secondary" onClick={onCancel}>{t('cancel')}</button>}
      </div>
    </form>
  );
}

/* ---------- Methods ---------- */

function MethodsTable({ zone, profiles, currencies, onChanged, onStart }: { zone: Zone; profiles: ShippingProfile[]; currencies: string[] } & Changes) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const { api, can } = useSession();
  const summary = useRateSummary();
  // The method being edited, 'new' for the add form, or nothing.
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  const nameOf = (method: ShippingMethod) => pickText(method.name, locale);
  const editedMethod = zone.methods.find((method) => method.id === editing);

  async function change(method: ShippingMethod, request: () => Promise<unknown>, message: string) {
    setPending(method.id);
    setError(null);
    onStart();
    try {
      await request();
      onChanged(message);
    } catch (problem) {
      setError(asApiError(problem));
    } finally {
      setPending(null);
    }
  }

  const toggle = (method: ShippingMethod) =>
    change(method, () => api('PATCH', `/api/admin/shipping/methods/${encodeURIComponent(method.id)}`, { status: method.status === 'active' ? 'disabled' : 'active' }), t('methodSaved', { name: nameOf(method) }));
  const remove = (method: ShippingMethod) => {
    if (!window.confirm(t('confirmDeleteMethod', { name: nameOf(method) }))) return;
    void change(method, () => api('DELETE', `/api/admin/shipping/methods/${encodeURIComponent(method.id)}`), t('methodDeleted', { name: nameOf(method) }));
  };
  const form = (method: ShippingMethod | null) => (
    <ShippingMethodForm zoneId={zone.id} method={method} currencies={currencies} profiles={profiles} onCancel={() => setEditing(null)}
      onSaved={(saved) => { setEditing(null); onChanged(t('methodSaved', { name: nameOf(saved) })); }} />
  );

  return (
    <>
      <h4>{t('methods')}</h4>
      <FormError error={error} />
      {zone.methods.length === 0 ? (
        <p className="empty">{t('noMethods')}</p>
      ) : (
        <div className="table-scroll">
          <table aria-label={`${zone.name}: ${t('methods')}`}>
            <thead>
              <tr>
                <th scope="col">{t('method')}</th>
                <th scope="col">{t('kind')}</th>
                <th scope="col">{t('carrier')}</th>
                <th scope="col">{t('rate')}</th>
                <th scope="col" className="num">{t('freeOver')}</th>
                <th scope="col">{t('days')}</th>
                <th scope="col">{t('status')}</th>
                {can('admin') && <th scope="col">{t('actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {zone.methods.map((method) => (
                <tr key={method.id}>
                  <td id={`method-${method.id}`}>{nameOf(method)}</td>
                  <td>{t(method.kind === 'carrier' ? 'carrierKind' : method.kind)}</td>
                  <td className="mono">{method.carrier ?? '—'}</td>
                  <td>{summary(method)}</td>
                  <td className="num">{method.freeOver === null ? '—' : formatMoney(method.freeOver, method.currency, locale)}</td>
                  <td className="nowrap">{t('daysRange', { min: method.minDays, max: method.maxDays })}</td>
                  <td><StatusBadge status={method.status} label={t(method.status)} /></td>
                  {can('admin') && (
                    <td className="nowrap">
                      <button type="button" className="secondary" aria-describedby={`method-${method.id}`} onClick={() => setEditing(method.id)}>{t('edit')}</button>{' '}
                      <button type="button" className="secondary" aria-describedby={`method-${method.id}`} disabled={pending === method.id} onClick={() => void toggle(method)}>
                        {method.status === 'active' ? t('disable') : t('enable')}
                      </button>{' '}
                      <button type="button" className="danger" aria-describedby={`method-${method.id}`} disabled={pending === method.id} onClick={() => remove(method)}>{t('delete')}</button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing === 'new' ? form(null) : editedMethod && form(editedMethod)}
      {can('admin') && editing === null && <button type="button" className="secondary" onClick={() => setEditing('new')}>{t('addMethod')}</button>}
    </>
  );
}
