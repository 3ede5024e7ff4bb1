import { useI18n } from '../i18n.tsx';

/** A rating as five stars, read out as words. */
export function Stars({ value, count }: { value: number; count?: number }) {
  const { t } = useI18n();
  const full = Math.round(value);
  return (
    <span className="stars" role="img" aria-label={t('ratingLabel', { n: value })}>
      <span aria-hidden="true">{'★'.repeat(full)}{'☆'.repeat(5 - full)}</span>
      {count !== undefined && <span className="muted"> {value.toFixed(1)} ({count === 1 ? t('reviewCountOne') : t('reviewCount', { n: count })})</span>}
    </span>
  );
}
