import type { ReactNode } from 'react';
import type { Fetched } from '../../../shared/useFetch.ts';
import { defineMessages, useMessages } from '../i18n.tsx';

const messages = defineMessages({
  en: { loading: 'Loading…', retry: 'Try again' },
  'zh-CN': { loading: '加载中…', retry: '重试' },
});

/**
 * Renders a fetched value: a skeleton of fixed height while the first load runs (so nothing
 * jumps), the server's message with a retry on failure, `empty` when the value says so.
 */
export function Loaded<T>({ fetched, empty, isEmpty, children }: { fetched: Fetched<T>; empty?: ReactNode; isEmpty?: (data: T) => boolean; children: (data: T) => ReactNode }) {
  const t = useMessages(messages);
  if (fetched.error) {
    return (
      <div role="alert" className="form-error">
        {fetched.error} <button type="button" className="link" onClick={fetched.reload}>{t('retry')}</button>
      </div>
    );
  }
  if (fetched.data === undefined) return <div className="skeleton" aria-busy="true">{t('loading')}</div>;
  if (isEmpty?.(fetched.data)) return <p className="empty">{empty}</p>;
  return <>{children(fetched.data)}</>;
}

export function StatusBadge({ status, label }: { status: string; label: string }) {
  return <span className={`badge badge-${status}`}>{label}</span>;
}
