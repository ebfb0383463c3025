/** Applications of a period: filtered by formation and status on the server, a page at a time (keyset). */
import { useState } from 'preact/hooks';
import { get, periodPath } from '../api.ts';
import { FilterSelect } from '../components/form.tsx';
import { Pager, useKeysetPages } from '../components/pager.tsx';
import { Loading, ProblemAlert } from '../components/problem.tsx';
import { DataTable } from '../components/table.tsx';
import { useAsync, useScreen } from '../hooks.ts';
import { href, navigate } from '../router.ts';
import { useSession } from '../session.ts';

/** GET …/applications items (the fields the list shows). */
export interface ApplicationRow {
  readonly applicationId: string;
  readonly formationId: string;
  readonly status: string;
  readonly verdict: string | null;
  readonly skdTotal: number | null;
  readonly skdDiscrepancy: boolean;
  readonly rank: number | null;
  readonly finalCode: string | null;
  readonly lastSeq: number;
}

export const APPLICATION_STATUSES = ['submitted', 'verified', 'returned', 'confirmed', 'sanggah', 'skd', 'skb', 'kompetensi', 'absent', 'ranked', 'decided', 'resigned', 'disqualified'] as const;
const PAGE = 50;

export function ApplicationsPage({ period, query }: { period: string; query: URLSearchParams }) {
  const { t } = useSession();
  const focus = useScreen(t('applications.title'));
  const formation = query.get('formation') ?? '';
  const status = query.get('status') ?? '';
  const pages = useKeysetPages<string>([period, formation, status]);
  const [goTo, setGoTo] = useState('');
  const formations = useAsync(() => get<{ items: { formationId: string; jabatan: string; applicants: number }[] }>(periodPath(period, 'formations')), [period]);
  const list = useAsync(
    () => get<{ items: ApplicationRow[]; next: string | null }>(periodPath(period, 'applications'), { formation, status, limit: PAGE, after: pages.cursor }),
    [period, formation, status, pages.page, pages.cursor],
  );

  return (
    <>
      <h1 ref={focus} tabIndex={-1}>
        {t('applications.title')} <span class="muted small">{period}</span>
      </h1>
      <form
        class="filters"
        aria-label={t('applications.open')}
        onSubmit={(e) => {
          e.preventDefault();
          if (goTo.trim()) navigate(href(['p', period, 'applications', goTo.trim()]));
        }}
      >
        <label>
          {t('applications.id')}
          <input class="input input-short" name="application" value={goTo} onInput={(e) => setGoTo(e.currentTarget.value)} autoComplete="off" spellcheck={false} />
        </label>
        <button type="submit" class="button">
          {t('applications.open')}
        </button>
      </form>
      <form
        class="filters"
        key={`${formation}|${status}`}
        aria-label={t('applications.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          const text = (k: string): string => {
            const v = data.get(k);
            return typeof v === 'string' ? v : '';
          };
          navigate(href(['p', period, 'applications'], { formation: text('formation'), status: text('status') }));
        }}
      >
        <FilterSelect name="formation" label={t('flags.formation')} value={formation} options={(formations.data?.items ?? []).map((f) => ({ value: f.formationId, label: `${f.formationId} (${f.applicants})` }))} />
        <FilterSelect name="status" label={t('applications.status')} value={status} options={APPLICATION_STATUSES.map((s) => ({ value: s, label: s }))} />
        <button type="submit" class="button">
          {t('common.apply')}
        </button>
      </form>
      {list.error ? <ProblemAlert error={list.error} /> : null}
      {list.loading && !list.data ? <Loading /> : null}
      {list.data ? (
        <>
          <DataTable
            caption={t('applications.title')}
            columns={[t('applications.id'), t('flags.formation'), t('applications.status'), t('applications.verdict'), 'SKD', t('applications.rank'), t('applications.final')]}
            rows={list.data.items}
            empty={t('common.none')}
            row={(a) => (
              <tr key={a.applicationId}>
                <td>
                  <a href={href(['p', period, 'applications', a.applicationId])}>{a.applicationId}</a>
                </td>
                <td>{a.formationId}</td>
                <td>{a.status}</td>
                <td>{a.verdict ?? '—'}</td>
                <td class="num">
                  {a.skdTotal ?? '—'}
                  {a.skdDiscrepancy ? (
                    <span class="badge badge-medium" title={t('applications.discrepancy')}>
                      ≠
                    </span>
                  ) : null}
                </td>
                <td class="num">{a.rank ?? '—'}</td>
                <td>{a.finalCode ?? '—'}</td>
              </tr>
            )}
          />
          <Pager label={t('applications.title')} {...pages.pager(list.data.next)} />
        </>
      ) : null}
    </>
  );
}
