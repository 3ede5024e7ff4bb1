import { useState, type FormEvent } from 'react';
import { api, ApiError, customerToken, fileUrl, uploadPhoto } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { useFetch } from '../../../shared/useFetch.ts';
import { Stars } from './Stars.tsx';

interface Review {
  id: string;
  rating: number;
  title: string;
  body: string;
  photos: { id: string; url: string }[];
  authorName: string | null;
  createdAt: string;
}

type Eligibility = { canReview: true } | { canReview: false; reason: 'login_required' | 'not_purchased' | 'already_reviewed' };

const MAX_PHOTOS = 6;

/** Published reviews of a product, and the form for a customer who bought it. */
export function ReviewsSection({ productId }: { productId: string }) {
  const { t } = useI18n();
  const reviews = useFetch(() => api<{ items: Review[]; nextCursor: string | null }>('GET', `/api/store/products/${productId}/reviews?limit=20`), [productId]);
  const eligibility = useFetch(
    () => (customerToken() ? api<Eligibility>('GET', `/api/store/products/${productId}/reviews/eligibility`) : Promise.resolve<Eligibility>({ canReview: false, reason: 'login_required' })),
    [productId],
  );
  const [thanks, setThanks] = useState(false);

  return (
    <section className="reviews" aria-labelledby="reviews-title">
      <h2 id="reviews-title">{t('reviews')}</h2>
      {thanks && <p role="status" className="ok">{t('reviewThanks')}</p>}
      {eligibility.data?.canReview && !thanks && (
        <ReviewForm productId={productId} onSubmitted={() => { setThanks(true); eligibility.reload(); }} />
      )}
      {reviews.error && <p role="alert">{reviews.error}</p>}
      {reviews.data && reviews.data.items.length === 0 && <p className="muted">{t('noReviews')}</p>}
      <ul className="review-list">
        {reviews.data?.items.map((review) => (
          <li key={review.id} className="review">
            <Stars value={review.rating} />
            <h3>{review.title}</h3>
            <p className="muted">{review.authorName ?? t('aCustomer')} · {new Date(review.createdAt).toLocaleDateString()}</p>
            <p className="review-body">{review.body}</p>
            {review.photos.length > 0 && (
              <div className="review-photos">
                {review.photos.map((photo, index) => (
                  <a key={photo.id} href={fileUrl(photo.url)} target="_blank" rel="noreferrer">
                    <img src={fileUrl(photo.url)} alt={t('reviewPhoto', { n: index + 1 })} width={96} height={96} loading="lazy" />
                  </a>
                ))}
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function ReviewForm({ productId, onSubmitted }: { productId: string; onSubmitted: () => void }) {
  const { t } = useI18n();
  const [rating, setRating] = useState(5);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError('');
    if (photos.length > MAX_PHOTOS) {
      setError(t('tooManyPhotos', { n: MAX_PHOTOS }));
      return;
    }
    setBusy(true);
    try {
      const uploaded = [];
      for (const photo of photos) uploaded.push(await uploadPhoto(photo));
      await api('POST', `/api/store/products/${productId}/reviews`, { rating, title, body, photoIds: uploaded.map((photo) => photo.id) });
      onSubmitted();
    } catch (caught) {
      const problem = caught instanceof ApiError ? caught.problem : undefined;
      setError(problem?.code === 'file_too_large' ? t('photoTooLarge') : problem?.code === 'unsupported_file_type' ? t('photoWrongType') : String(caught instanceof Error ? caught.message : caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="review-form" onSubmit={(event) => void submit(event)} aria-label={t('writeReview')}>
      <h3>{t('writeReview')}</h3>
      <fieldset className="rating-choice">
        <legend>{t('yourRating')}</legend>
        {[1, 2, 3, 4, 5].map((n) => (
          <label key={n}>
            <input type="radio" name="rating" value={n} checked={rating === n} onChange={() => setRating(n)} />
            {t('starsN', { n })}
          </label>
        ))}
      </fieldset>
      <label>
        {t('reviewTitle')}
        <input required maxLength={120} value={title} onChange={(event) => setTitle(event.target.value)} />
      </label>
      <label>
        {t('reviewBody')}
        <textarea required maxLength={4000} rows={4} value={body} onChange={(event) => setBody(event.target.value)} />
      </label>
      <label>
        {t('reviewPhotos', { n: MAX_PHOTOS })}
        <input type="file" accept="image/jpeg,image/png,image/webp" multiple onChange={(event) => setPhotos(Array.from(event.target.files ?? []))} />
      </label>
      <button type="submit" className="primary" disabled={busy}>{t('submitReview')}</button>
      {error && <p role="alert" className="error">{error}</p>}
    </form>
  );
}
