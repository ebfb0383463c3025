/** Previous/next for keyset-paginated lists (the API gives a `next` cursor; earlier cursors are kept here). */
import { useSession } from '../session.ts';

export function Pager({ page, hasNext, onPrev, onNext, label }: { page: number; hasNext: boolean; onPrev: () => void; onNext: () => void; label: string }) {
  const { t } = useSession();
  return (
    <nav class="pager" aria-label={label}>
      <button type="button" class="button button-secondary" onClick={onPrev} disabled={page === 0}>
        ← {t('pager.prev')}
      </button>
      <span aria-live="polite">{t('pager.page', { page: page + 1 })}</span>
      <button type="button" class="button button-secondary" onClick={onNext} disabled={!hasNext}>
        {t('pager.next')} →
      </button>
    </nav>
  );
}
