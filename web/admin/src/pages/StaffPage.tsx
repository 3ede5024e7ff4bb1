import { useState, type FormEvent } from 'react';
import { ApiError, asApiError } from '../../../shared/http.ts';
import { useFetch } from '../../../shared/useFetch.ts';
import { FormError, SelectField, TextField } from '../components/Field.tsx';
import { Loaded, StatusBadge } from '../components/States.tsx';
import { defineMessages, useLocale, useMessages } from '../i18n.tsx';
import { statusMessages } from '../labels.ts';
import { useSession, type StaffRole } from '../session.tsx';
import './orders.css';
import { formatTime } from '../format.ts';

const messages = defineMessages({
  en: {
    title: 'Staff', needsAdmin: 'Managing staff needs the admin role.', email: 'Email', name: 'Name', role: 'Role', status: 'Status', actions: 'Actions',
    roleOf: 'Access level of {email}', you: '(you)', active: 'Active', disabled: 'Disabled', enable: 'Enable', disable: 'Disable', none: 'No staff yet.',
    roleChanged: '{email} is now {role}.', enabledOk: '{email} can sign in again.', disabledOk: '{email} is disabled and signed out.',
    newAccount: 'New account', password: 'Password', passwordHint: 'At least 8 characters', add: 'Add staff', added: '{email} added.', optional: 'Optional',
    tokens: 'API tokens', tokensIntro: 'Tokens let other systems call the admin API with your permissions.', label: 'Label', created: 'Created', expires: 'Expires', never: 'Never',
    revoked: 'Revoked', expired: 'Expired', revoke: 'Revoke', revokedOk: 'Token "{label}" revoked.', noTokens: 'No API tokens yet.',
    issueToken: 'Issue a token', expiresInDays: 'Expires in (days)', expiresHint: 'Optional, 1-3650; empty never expires', issue: 'Issue token', issued: 'Token "{label}" issued.',
    newToken: 'New API token', tokenOnce: 'Copy it now: this token will not be shown again.', copy: 'Copy', copied: 'Copied.', dismiss: 'Done', daysInvalid: 'Enter a whole number of days', required: 'Required',
  },
  'zh-CN': {
    title: '员工', needsAdmin: '管理员工需要管理员角色。', email: '邮箱', name: '姓名', role: '角色', status: '状态', actions: '操作',
    roleOf: '{email} 的权限', you: '（你）', active: '正常', disabled: '已停用', enable: '启用', disable: '停用', none: '还没有员工。',
    roleChanged: '{email} 现在是{role}。', enabledOk: '{email} 可以重新登录。', disabledOk: '{email} 已停用并退出登录。',
    newAccount: '新建账号', password: '密码', passwordHint: '至少 8 个字符', add: '添加员工', added: '已添加 {email}。', optional: '选填',
    tokens: 'API 令牌', tokensIntro: '令牌让其他系统以你的权限调用管理 API。', label: '名称', created: '创建时间', expires: '过期时间', never: '永不过期',
    revoked: '已吊销', expired: '已过期', revoke: '吊销', revokedOk: '令牌“{label}”已吊销。', noTokens: '还没有 API 令牌。',
    issueToken: '签发令牌', expiresInDays: '有效天数', expiresHint: '选填，1-3650；不填则永不过期', issue: '签发令牌', issued: '令牌“{label}”已签发。',
    newToken: '新的 API 令牌', tokenOnce: '请现在复制：这个令牌不会再显示。', copy: '复制', copied: '已复制。', dismiss: '完成', daysInvalid: '请输入整数天数', required: '必填',
  },
});

const ROLES: StaffRole[] = ['viewer', 'operator', 'admin', 'owner'];

interface Staff {
  id: string;
  email: string;
  name: string | null;
  role: StaffRole;
  status: 'active' | 'disabled';
}

interface ApiToken {
  id: string;
  label: string | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

export function StaffPage() {
  const t = useMessages(messages);
  const { can } = useSession();
  const [notice, setNotice] = useState('');
  if (!can('admin')) return <><h1>{t('title')}</h1><p className="empty">{t('needsAdmin')}</p></>;
  return (
    <section>
      <h1>{t('title')}</h1>
      <p role="status" className="notice">{notice}</p>
      <StaffSection onNotice={setNotice} />
      <ApiTokensSection onNotice={setNotice} />
    </section>
  );
}

/** `onNotice('')` when an action starts, the outcome when it has succeeded. */
type Notify = (message: string) => void;

function StaffSection({ onNotice }: { onNotice: Notify }) {
  const t = useMessages(messages);
  const { api } = useSession();
  const staff = useFetch(() => api<{ items: Staff[] }>('GET', '/api/admin/staff'), []);

  function changed(message: string) {
    onNotice(message);
    staff.reload();
  }

  return (
    <>
      <Loaded fetched={staff} isEmpty={(data) => data.items.length === 0} empty={t('none')}>
        {(data) => <StaffTable list={data} busy={staff.loading} onChanged={changed} onStart={() => onNotice('')} />}
      </Loaded>
      <h2 id="add-staff">{t('newAccount')}</h2>
      <AddStaffForm onAdded={changed} onStart={() => onNotice('')} />
    </>
  );
}

interface StaffTableProps {
  list: { items: Staff[] };
  busy: boolean;
  onChanged(message: string): void;
  onStart(): void;
}

function StaffTable({ list, busy, onChanged, onStart }: StaffTableProps) {
  const t = useMessages(messages);
  const roleText = useMessages(statusMessages);
  const { api } = useSession();
  const [error, setError] = useState<ApiError | null>(null);
  const [pendingId, setPendingId] = useState<string | null>(null);
  // The role just picked shows until the reloaded list (a new `list`) replaces it, so the select
  // doesn't flick back to the old role meanwhile.
  const [picked, setPicked] = useState<{ list: StaffTableProps['list']; id: string; role: StaffRole } | null>(null);

  async function update(member: Staff, change: { role: StaffRole } | { status: Staff['status'] }, success: string) {
    setPendingId(member.id);
    setError(null);
    onStart();
    try {
      await api('PATCH', `/api/admin/staff/${encodeURIComponent(member.id)}`, change);
      onChanged(success);
    } catch (problem) {
      setPicked(null);
      setError(asApiError(problem));
    } finally {
      setPendingId(null);
    }
  }

  function changeRole(member: Staff, role: StaffRole) {
    setPicked({ list, id: member.id, role });
    void update(member, { role }, t('roleChanged', { email: member.email, role: roleText(role) }));
  }

  function toggle(member: Staff) {
    const status = member.status === 'active' ? 'disabled' : 'active';
    void update(member, { status }, t(status === 'active' ? 'enabledOk' : 'disabledOk', { email: member.email }));
  }

  const shownRole = (member: Staff) => (picked && picked.list === list && picked.id === member.id ? picked.role : member.role);
  return (
    <>
      <FormError error={error} />
      <div className="table-scroll">
        <table aria-busy={busy}>
          <thead>
            <tr>
              <th scope="col">{t('email')}</th>
              <th scope="col">{t('name')}</th>
              <th scope="col">{t('role')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('actions')}</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((member) => (
              <StaffRow key={member.id} member={member} role={shownRole(member)} pending={pendingId === member.id} onRole={(role) => changeRole(member, role)} onToggle={() => toggle(member)} />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

interface StaffRowProps {
  member: Staff;
  role: StaffRole;
  pending: boolean;
  onRole(role: StaffRole): void;
  onToggle(): void;
}

function StaffRow({ member, role, pending, onRole, onToggle }: StaffRowProps) {
  const t = useMessages(messages);
  const roleText = useMessages(statusMessages);
  const { session, can } = useSession();
  const self = session?.staff.id === member.id;
  // Staff can't manage accounts above their own role, and changing their own could lock them out.
  const manageable = !self && can(member.role);
  const emailId = `staff-${member.id}`;
  return (
    <tr>
      <td id={emailId}>{member.email} {self && <span className="muted">{t('you')}</span>}</td>
      <td>{member.name ?? ''}</td>
      <td>
        {manageable ? (
          <>
            <label className="visually-hidden" htmlFor={`${emailId}-role`}>{t('roleOf', { email: member.email })}</label>
            <select id={`${emailId}-role`} className="inline-select" value={role} onChange={(e) => onRole(e.target.value as StaffRole)} aria-busy={pending}>
              {ROLES.filter((option) => can(option)).map((option) => <option key={option} value={option}>{roleText(option)}</option>)}
            </select>
          </>
        ) : (
          roleText(member.role)
        )}
      </td>
      <td><StatusBadge status={member.status} label={t(member.status)} /></td>
      <td>
        {manageable && (
          <button type="button" className={member.status === 'active' ? 'danger' : 'secondary'} onClick={onToggle} disabled={pending} aria-describedby={emailId}>
            {member.status === 'active' ? t('disable') : t('enable')}
          </button>
        )}
      </td>
    </tr>
  );
}

const EMPTY_STAFF = { email: '', name: '', password: '', role: 'operator' as StaffRole };

function AddStaffForm({ onAdded, onStart }: { onAdded(message: string): void; onStart(): void }) {
  const t = useMessages(messages);
  const roleText = useMessages(statusMessages);
  const { api, can } = useSession();
  const [form, setForm] = useState(EMPTY_STAFF);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (name: keyof typeof EMPTY_STAFF) => (event: { target: { value: string } }) => setForm((current) => ({ ...current, [name]: event.target.value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    // The server checks these too; here they are explained in the console's language.
    const mistakes = [
      ...(form.email.trim() === '' ? [{ path: 'body.email', message: t('required') }] : []),
      ...(form.password.length < 8 ? [{ path: 'body.password', message: t('passwordHint') }] : []),
    ];
    if (mistakes.length > 0) {
      setError(new ApiError({ status: 400, code: 'validation_failed', detail: mistakes[0]!.message, errors: mistakes }));
      return;
    }
    setBusy(true);
    setError(null);
    onStart();
    try {
      const name = form.name.trim();
      const created = await api<Staff>('POST', '/api/admin/staff', { email: form.email.trim(), password: form.password, role: form.role, ...(name ? { name } : {}) });
      setForm(EMPTY_STAFF);
      onAdded(t('added', { email: created.email }));
    } catch (problem) {
      setError(asApiError(problem));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card grid" onSubmit={submit} noValidate aria-labelledby="add-staff">
      <TextField id="staff-email" name="email" type="email" label={t('email')} value={form.email} onChange={set('email')} error={error} autoComplete="off" required />
      <TextField id="staff-name" name="name" label={t('name')} hint={t('optional')} value={form.name} onChange={set('name')} error={error} autoComplete="off" />
      <TextField id="staff-password" name="password" type="password" label={t('password')} hint={t('passwordHint')} value={form.password} onChange={set('password')} error={error} autoComplete="new-password" required />
      <SelectField id="staff-role" name="role" label={t('role')} value={form.role} onChange={set('role')} error={error}>
        {ROLES.filter((role) => can(role)).map((role) => <option key={role} value={role}>{roleText(role)}</option>)}
      </SelectField>
      {error && !['email', 'name', 'password', 'role'].some((name) => error.fieldMessage(name)) && <FormError error={error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>{t('add')}</button>
      </div>
    </form>
  );
}

function ApiTokensSection({ onNotice }: { onNotice: Notify }) {
  const t = useMessages(messages);
  const { api } = useSession();
  const tokens = useFetch(() => api<{ items: ApiToken[] }>('GET', '/api/admin/api-tokens'), []);
  const [issued, setIssued] = useState<{ label: string; token: string } | null>(null);

  function changed(message: string) {
    onNotice(message);
    tokens.reload();
  }

  return (
    <>
      <h2>{t('tokens')}</h2>
      <p className="muted">{t('tokensIntro')}</p>
      {issued && <IssuedToken token={issued.token} onDismiss={() => setIssued(null)} />}
      <Loaded fetched={tokens} isEmpty={(data) => data.items.length === 0} empty={t('noTokens')}>
        {(data) => <TokenTable tokens={data.items} busy={tokens.loading} onChanged={changed} onStart={() => onNotice('')} />}
      </Loaded>
      <h3 id="issue-token">{t('issueToken')}</h3>
      <IssueTokenForm
        onStart={() => {
          onNotice('');
          setIssued(null);
        }}
        onIssued={(label, token) => {
          setIssued({ label, token });
          changed(t('issued', { label }));
        }}
      />
    </>
  );
}

/** The secret, shown once: the server keeps only its hash. */
function IssuedToken({ token, onDismiss }: { token: string; onDismiss(): void }) {
  const t = useMessages(messages);
  const [copied, setCopied] = useState(false);
  function copy() {
    navigator.clipboard.writeText(token).then(() => setCopied(true), () => setCopied(false));
  }
  return (
    <div className="secret" role="group" aria-labelledby="new-token-title">
      <strong id="new-token-title">{t('newToken')}</strong>
      <code className="mono" aria-describedby="new-token-note">{token}</code>
      <p id="new-token-note">{t('tokenOnce')}</p>
      <div className="actions">
        <button type="button" className="secondary" onClick={copy}>{t('copy')}</button>
        <button type="button" className="secondary" onClick={onDismiss}>{t('dismiss')}</button>
        <span aria-live="polite">{copied ? t('copied') : ''}</span>
      </div>
    </div>
  );
}

function TokenTable({ tokens, busy, onChanged, onStart }: { tokens: ApiToken[]; busy: boolean; onChanged(message: string): void; onStart(): void }) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const { api } = useSession();
  const [error, setError] = useState<ApiError | null>(null);
  const [pendingId, setPendingId] = useState<string | null>(null);
  const [now] = useState(() => Date.now());

  async function revoke(token: ApiToken) {
    setPendingId(token.id);
    setError(null);
    onStart();
    try {
      await api('DELETE', `/api/admin/api-tokens/${encodeURIComponent(token.id)}`);
      onChanged(t('revokedOk', { label: token.label ?? token.id }));
    } catch (problem) {
      setError(asApiError(problem));
    } finally {
      setPendingId(null);
    }
  }

  return (
    <>
      <FormError error={error} />
      <div className="table-scroll">
        <table aria-busy={busy}>
          <thead>
            <tr>
              <th scope="col">{t('label')}</th>
              <th scope="col">{t('created')}</th>
              <th scope="col">{t('expires')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('actions')}</th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((token) => {
              const state = token.revokedAt ? 'revoked' : token.expiresAt && Date.parse(token.expiresAt) <= now ? 'expired' : 'active';
              const labelId = `token-${token.id}`;
              return (
                <tr key={token.id}>
                  <td id={labelId}>{token.label ?? token.id}</td>
                  <td className="nowrap">{formatTime(token.createdAt, locale)}</td>
                  <td className="nowrap">{token.expiresAt ? formatTime(token.expiresAt, locale) : t('never')}</td>
                  <td><StatusBadge status={state === 'active' ? 'active' : 'disabled'} label={t(state)} /></td>
                  <td>
                    {state === 'active' && (
                      <button type="button" className="danger" onClick={() => void revoke(token)} disabled={pendingId === token.id} aria-describedby={labelId}>{t('revoke')}</button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

function IssueTokenForm({ onIssued, onStart }: { onIssued(label: string, token: string): void; onStart(): void }) {
  const t = useMessages(messages);
  const { api } = useSession();
  const [label, setLabel] = useState('');
  const [days, setDays] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const expires = days.trim();
    const mistakes = [
      ...(label.trim() === '' ? [{ path: 'body.label', message: t('required') }] : []),
      ...(expires !== '' && !/^\d{1,4}$/.test(expires) ? [{ path: 'body.expiresInDays', message: t('daysInvalid') }] : []),
    ];
    if (mistakes.length > 0) {
      setError(new ApiError({ status: 400, code: 'validation_failed', detail: mistakes[0]!.message, errors: mistakes }));
      return;
    }
    setBusy(true);
    setError(null);
    onStart();
    try {
      const body = { label: label.trim(), ...(expires ? { expiresInDays: Number(expires) } : {}) };
      const issued = await api<{ id: string; token: string }>('POST', '/api/admin/api-tokens', body);
      setLabel('');
      setDays('');
      onIssued(body.label, issued.token);
    } catch (problem) {
      setError(asApiError(problem));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card grid" onSubmit={submit} noValidate aria-labelledby="issue-token">
      <TextField id="token-label" name="label" label={t('label')} value={label} onChange={(e) => setLabel(e.target.value)} error={error} maxLength={100} autoComplete="off" required />
      <TextField id="token-days" name="expiresInDays" label={t('expiresInDays')} hint={t('expiresHint')} value={days} onChange={(e) => setDays(e.target.value)} error={error} inputMode="numeric" autoComplete="off" />
      {error && !['label', 'expiresInDays'].some((name) => error.fieldMessage(name)) && <FormError error={error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>{t('issue')}</button>
      </div>
    </form>
  );
}
