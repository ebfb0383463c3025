/** Previous/next for keyset-paginated lists (the API gives a `next` cursor; earlier cursors are kept here). */
import { useEffect, useState } from 'preact/hooks';
import { useSession } from '../session.ts';

interface PagerProps {
  readonly page: number;
  readonly hasNext: boolean;
  readonly onPrev: () => void;
  readonly onNext: () => void;
  readonly label: string;
}

export function Pager({ page, hasNext, onPrev, onNext, label }: PagerProps) {
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

/** The page of a keyset-paginated list being shown, and how to move between pages. */
export interface KeysetPages<C> {
  readonly page: number;
  /** The cursor (`after`, `before`) that loads the page; undefined for the first. */
  readonly cursor: C | undefined;
  /** The Pager's page and moves, for a page whose `next` cursor the API gave (null: the last page). */
  readonly pager: (next: C | null) => Omit<PagerProps, 'label'>;
}

/** Keyset paging: the cursors of the pages seen so far (cursors[i] loads page i); back to the first page when `resetDeps` change. */
export function useKeysetPages<C>(resetDeps: readonly unknown[]): KeysetPages<C> {
  const [cursors, setCursors] = useState<(C | undefined)[]>([undefined]);
  const [page, setPage] = useState(0);
  useEffect(() => {
    setCursors([undefined]);
    setPage(0);
  }, resetDeps);
  return {
    page,
    cursor: cursors[page],
    pager: (next) => ({
      page,
      hasNext: next !== null,
      onPrev: () => setPage((p) => Math.max(0, p - 1)),
      onNext: () => {
        if (next === null) return;
        setCursors((c) => [...c.slice(0, page + 1), next]);
        setPage((p) => p + 1);
      },
    }),
  };
}
