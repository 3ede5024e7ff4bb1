import { useState, type FormEvent } from 'react';
import { asApiError, type ApiError } from '../../../shared/http.ts';
import { useFetch } from '../../../shared/useFetch.ts';
import { FormError, SelectField, TextAreaField, TextField } from '../components/Field.tsx';
import { Loaded } from '../components/States.tsx';
import { defineMessages, pickText, useLocale, useMessages } from '../i18n.tsx';
import { useSession } from '../session.tsx';
import type { AttributeDefinition } from './ProductAttributesSection.tsx';

const messages = defineMessages({
  en: {
    title: 'Attributes', code: 'Code', name: 'Name', kind: 'Type', choices: 'Choices', position: 'Order', actions: 'Actions',
    choice: 'Text choice', number: 'Number', none: 'No attributes yet. Brand is the attribute with code “brand”; it gets a brand page in the store.',
    newAttribute: 'New attribute', create: 'Create attribute', createdOk: 'Attribute {code} created.', savedOk: 'Attribute {code} saved.',
    codeHint: 'lowercase letters, digits and _, e.g. brand', nameEn: 'Name (English)', nameZh: 'Name (Chinese)',
    choicesHint: 'One a line: value | English name | 中文名, e.g. acme | Acme | 极客', edit: 'Edit choices', save: 'Save', cancel: 'Cancel',
  },
  'zh-CN': {
    title: '商品属性', code: '代码', name: '名称', kind: '类型', choices: '可选值', position: '排序', actions: '操作',
    choice: '文本选项', number: '数字', none: '还没有属性。代码为 “brand” 的属性就是品牌，商店里会有品牌页。',
    newAttribute: '新建属性', create: '创建属性', createdOk: '属性 {code} 已创建。', savedOk: '属性 {code} 已保存。',
    codeHint: '小写字母、数字和 _，例如 brand', nameEn: '名称（英文）', nameZh: '名称（中文）',
    choicesHint: '每行一个：值 | 英文名 | 中文名，例如 acme | Acme | 极客', edit: '编辑可选值', save: '保存', cancel: '取消',
  },
});

/** `value | English | 中文` lines as choices, and back. */
function choicesOf(text: string) {
  return text
    .split('\n')
    .map((line) => line.split('|').map((part) => part.trim()))
    .filter(([value]) => value)
    .map(([value, en, zh]) => ({ value: value!, name: { ...(en ? { en } : {}), ...(zh ? { 'zh-CN': zh } : {}), ...(!en && !zh ? { en: value! } : {}) } }));
}
const linesOf = (choices: AttributeDefinition['choices']) => choices.map((choice) => [choice.value, choice.name.en ?? '', choice.name['zh-CN'] ?? ''].join(' | ')).join('\n');

/** Staff define the platform's attributes (brand, material, …) that products carry and shoppers filter by. */
export function AttributesPage() {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const { api, can } = useSession();
  const attributes = useFetch(() => api<{ items: AttributeDefinition[] }>('GET', '/api/admin/attributes'), []);
  const [notice, setNotice] = useState('');
  const [editing, setEditing] = useState<string | null>(null);

  const changed = (message: string) => {
    setNotice(message);
    setEditing(null);
    attributes.reload();
  };

  return (
    <section>
      <h1>{t('title')}</h1>
      <p role="status" className="notice">{notice}</p>
      <Loaded fetched={attributes} isEmpty={(data) => data.items.length === 0} empty={t('none')}>
        {(data) => (
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('code')}</th>
                  <th scope="col">{t('name')}</th>
                  <th scope="col">{t('kind')}</th>
                  <th scope="col">{t('choices')}</th>
                  {can('operator') && <th scope="col">{t('actions')}</th>}
                </tr>
              </thead>
              <tbody>
                {data.items.map((attribute) => (
                  <tr key={attribute.id}>
                    <td><code>{attribute.code}</code></td>
                    <td>{pickText(attribute.name, locale)}</td>
                    <td>{t(attribute.kind)}</td>
                    <td>
                      {editing === attribute.id ? (
                        <ChoicesForm attribute={attribute} onSaved={() => changed(t('savedOk', { code: attribute.code }))} onCancel={() => setEditing(null)} />
                      ) : (
                        attribute.choices.map((choice) => pickText(choice.name, locale)).join(', ')
                      )}
                    </td>
                    {can('operator') && (
                      <td>{attribute.kind === 'choice' && editing !== attribute.id && <button type="button" className="link" onClick={() => setEditing(attribute.id)}>{t('edit')}</button>}</td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
      {can('operator') && (
        <>
          <h2>{t('newAttribute')}</h2>
          <NewAttributeForm onCreated={(code) => changed(t('createdOk', { code }))} />
        </>
      )}
    </section>
  );
}

function ChoicesForm({ attribute, onSaved, onCancel }: { attribute: AttributeDefinition; onSaved(): void; onCancel(): void }) {
  const t = useMessages(messages);
  const { api } = useSession();
  const [text, setText] = useState(linesOf(attribute.choices));
  const [error, setError] = useState<ApiError | null>(null);
  async function save(event: FormEvent) {
    event.preventDefault();
    try {
      await api('PATCH', `/api/admin/attributes/${attribute.id}`, { choices: choicesOf(text) });
      onSaved();
    } catch (problem) {
      setError(asApiError(problem));
    }
  }
  return (
    <form onSubmit={(event) => void save(event)}>
      <FormError error={error} />
      <TextAreaField id={`choices-${attribute.code}`} label={t('choices')} hint={t('choicesHint')} errorPath="choices" error={error} value={text} rows={4} onChange={(e) => setText(e.target.value)} />
      <button type="submit" className="primary">{t('save')}</button> <button type="button" className="secondary" onClick={onCancel}>{t('cancel')}</button>
    </form>
  );
}

function NewAttributeForm({ onCreated }: { onCreated(code: string): void }) {
  const t = useMessages(messages);
  const { api } = useSession();
  const [form, setForm] = useState({ code: '', en: '', zh: '', kind: 'choice' as 'choice' | 'number', choices: '' });
  const [error, setError] = useState<ApiError | null>(null);
  const edit = (change: Partial<typeof form>) => setForm((current) => ({ ...current, ...change }));
  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      const name = { ...(form.en.trim() ? { en: form.en.trim() } : {}), ...(form.zh.trim() ? { 'zh-CN': form.zh.trim() } : {}) };
      await api('POST', '/api/admin/attributes', { code: form.code.trim(), name, kind: form.kind, choices: form.kind === 'choice' ? choicesOf(form.choices) : [] });
      onCreated(form.code.trim());
      setForm({ code: '', en: '', zh: '', kind: 'choice', choices: '' });
    } catch (problem) {
      setError(asApiError(problem));
    }
  }
  return (
    <form className="card" onSubmit={(event) => void submit(event)} noValidate>
      <FormError error={error} />
      <TextField id="code" label={t('code')} hint={t('codeHint')} value={form.code} error={error} autoComplete="off" spellCheck={false} onChange={(e) => edit({ code: e.target.value })} />
      <TextField id="name-en" label={t('nameEn')} errorPath="name" value={form.en} error={error} onChange={(e) => edit({ en: e.target.value })} />
      <TextField id="name-zh" label={t('nameZh')} value={form.zh} onChange={(e) => edit({ zh: e.target.value })} />
      <SelectField id="kind" label={t('kind')} value={form.kind} error={error} onChange={(e) => edit({ kind: e.target.value as 'choice' | 'number' })}>
        <option value="choice">{t('choice')}</option>
        <option value="number">{t('number')}</option>
      </SelectField>
      {form.kind === 'choice' && (
        <TextAreaField id="choices" label={t('choices')} hint={t('choicesHint')} value={form.choices} error={error} rows={4} onChange={(e) => edit({ choices: e.target.value })} />
      )}
      <button type="submit" className="primary">{t('create')}</button>
    </form>
  );
}
