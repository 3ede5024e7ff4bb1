import { useState } from 'react';
import { Link } from 'react-router';
import { asApiError } from '../../../shared/http.ts';
import { useFetch } from '../../../shared/useFetch.ts';
import { Loaded } from '../components/States.tsx';
import { defineMessages, useMessages } from '../i18n.tsx';
import { useSession } from '../session.tsx';
import './reviews.css';

const messages = defineMessages({
  en: {
    title: 'Reviews', pending: 'Waiting', approved: 'Published', rejected: 'Rejected', none: 'No reviews here.',
    approve: 'Approve', reject: 'Reject', remove: 'Delete', reason: 'Reason for rejecting', reasonRequired: 'Give a reason first.',
    approvedOk: 'Review “{title}” published.', rejectedOk: 'Review “{title}” rejected.', removedOk: 'Review “{title}” deleted.',
    stars: '{n} of 5 stars', by: 'by {name}', anonymous: 'a customer', product: 'The product', rejectedFor: 'Rejected: {reason}', photo: 'Photo {n}', more: 'More',
  },
  'zh-CN': {
    title: '评价审核', pending: '待审核', approved: '已发布', rejected: '已驳回', none: '这里没有评价。',
    approve: '通过', reject: '驳回', remove: '删除', reason: '驳回理由', reasonRequired: '请先填写驳回理由。',
    approvedOk: '评价“{title}”已发布。', rejectedOk: '评价“{title}”已驳回。', removedOk: '评价“{title}”已删除。',
    stars: '{n} 星（满分 5 星）', by: '来自 {name}', anonymous: '顾客', product: '查看商品', rejectedFor: '驳回理由：{reason}', photo: '图片 {n}', more: '更多',
  },
});

type Status = 'pending' | 'approved' | 'rejected';

interface Review {
  id: string;
  productId: string;
  rating: number;
  title: string;
  body: string;
  photos: { id: string; url: string }[];
  authorName: string | null;
  status: Status;
  rejectReason: string | null;
  createdAt: string;
}

/** The moderation queue: staff publish or reject what buyers wrote; only published reviews count. */
export function ReviewsPage() {
  const t = useMessages(messages);
  const { api, can } = useSession();
  const [status, setStatus] = useState<Status>('pending');
  const reviews = useFetch(() => api<{ items: Review[]; nextCursor: string | null }>('GET', `/api/admin/reviews?status=${status}&limit=50`), [status]);
  const [notice, setNotice] = useState('');

  return (
    <section>
      <h1>{t('title')}</h1>
      <div className="tabs" role="tablist">
        {(['pending', 'approved', 'rejected'] as const).map((tab) => (
          <button key={tab} type="button" role="tab" aria-selected={status === tab} className={status === tab ? 'tab selected' : 'tab'} onClick={() => { setStatus(tab); setNotice(''); }}>
            {t(tab)}
          </button>
        ))}
      </div>
      <p role="status" className="notice">{notice}</p>
      <Loaded fetched={reviews} isEmpty={(data) => data.items.length === 0} empty={t('none')}>
        {(data) => (
          <ul className="review-queue">
            {data.items.map((review) => (
              <ReviewCard key={review.id} review={review} canModerate={can('operator')} onDone={(message) => { setNotice(message); reviews.reload(); }} />
            ))}
          </ul>
        )}
      </Loaded>
    </section>
  );
}

function ReviewCard({ review, canModerate, onDone }: { review: Review; canModerate: boolean; onDone: (message: string) => void }) {
  const t = useMessages(messages);
  const { api, session } = useSession();
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  // Images can't send X-Tenant, so the platform goes in the query.
  const photoUrl = (url: string) => `${url}?tenant=${encodeURIComponent(session?.tenant ?? '')}`;

  async function act(action: 'approve' | 'reject' | 'remove') {
    if (action === 'reject' && !reason.trim()) {
      setError(t('reasonRequired'));
      return;
    }
    setBusy(true);
    setError('');
    try {
      if (action === 'remove') await api('DELETE', `/api/admin/reviews/${review.id}`);
      else await api('POST', `/api/admin/reviews/${review.id}/${action}`, action === 'reject' ? { reason: reason.trim() } : undefined);
      onDone(t(action === 'approve' ? 'approvedOk' : action === 'reject' ? 'rejectedOk' : 'removedOk', { title: review.title }));
    } catch (caught) {
      setError(asApiError(caught).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <li className="review-card" aria-label={review.title}>
      <p className="stars" aria-label={t('stars', { n: review.rating })}>{'★'.repeat(review.rating)}{'☆'.repeat(5 - review.rating)}</p>
      <h2>{review.title}</h2>
      <p className="muted">{t('by', { name: review.authorName ?? t('anonymous') })} · {new Date(review.createdAt).toLocaleString()} · <Link to={`/products/${review.productId}`}>{t('product')}</Link></p>
      <p className="review-body">{review.body}</p>
      {review.photos.length > 0 && (
        <div className="review-photos">
          {review.photos.map((photo, index) => (
            <a key={photo.id} href={photoUrl(photo.url)} target="_blank" rel="noreferrer">
              <img src={photoUrl(photo.url)} alt={t('photo', { n: index + 1 })} width={96} height={96} loading="lazy" />
            </a>
          ))}
        </div>
      )}
      {review.rejectReason && <p className="muted">{t('rejectedFor', { reason: review.rejectReason })}</p>}
      {canModerate && (
        <div className="review-actions">
          {review.status !== 'approved' && <button type="button" className="primary" disabled={busy} onClick={() => void act('approve')}>{t('approve')}</button>}
          {review.status !== 'rejected' && (
            <>
              <label>
                {t('reason')}
                <input value={reason} maxLength={500} onChange={(event) => setReason(event.target.value)} />
              </label>
              <button type="button" className="secondary" disabled={busy} onClick={() => void act('reject')}>{t('reject')}</button>
            </>
          )}
          <button type="button" className="danger" disabled={busy} onClick={() => void act('remove')}>{t('remove')}</button>
        </div>
      )}
      {error && <p role="alert" className="form-error">{error}</p>}
    </li>
  );
}
