/** An officer's activity in a period: every recorded action, newest first, a page at a time. */
import { useEffect, useState } from 'preact/hooks';
import { get, periodPath } from '../api.ts';
import { Pager, useKeysetPages } from '../components/pager.tsx';
import { Loading, ProblemAlert } from '../components/problem.tsx';
import { DataTable } from '../components/table.tsx';
import { formatTime } from '../format.ts';
import { useAsync, useScreen } from '../hooks.ts';
import { may } from '../roles.ts';
import { href, navigate } from '../router.ts';
import { useSession } from '../session.ts';

interface ActivityItem {
  readonly seq: number;
  readonly type: string;
  readonly at: string;
  readonly applicationId: string | null;
  readonly formationId: string | null;
}

interface ActorRow {
  readonly actorId: string;
  readonly role: string;
  readonly agency: string | null;
  readonly active: boolean;
  readonly relatives: number;
}

const PAGE = 100;

export function ActivityPage({ period, actor }: { period: string; actor: string | undefined }) {
  const { t, me, lang } = useSession();
  const focus = useScreen(actor ? `${t('activity.title')} ${actor}` : t('activity.title'));
  const [chosen, setChosen] = useState(actor ?? (me.role === 'officer' || me.role === 'supervisor' ? me.actorId : ''));
  const pages = useKeysetPages<number>([period, actor]);
  useEffect(() => {
    if (actor) setChosen(actor);
  }, [period, actor]);
  const actors = useAsync(
    () => (may(me.role, 'actors') ? get<{ items: ActorRow[] }>('/v1/actors') : Promise.resolve({ items: [] as ActorRow[] })),
    [me.role],
  );
  const activity = useAsync(
    () => (actor ? get<{ items: ActivityItem[]; next: number | null }>(periodPath(period, 'officers', actor, 'activity'), { limit: PAGE, before: pages.cursor }) : Promise.resolve(undefined)),
    [period, actor, pages.page, pages.cursor],
  );
  const officials = (actors.data?.items ?? []).filter((a) => a.role === 'officer' || a.role === 'supervisor' || a.role === 'admin');

  return (
    <>
      <h1 ref={focus} tabIndex={-1}>
        {t('activity.title')} {actor ? <code>{actor}</code> : null}
      </h1>
      <form
        class="filters"
        aria-label={t('activity.choose')}
        onSubmit={(e) => {
          e.preventDefault();
          if (chosen.trim()) navigate(href(['p', period, 'officers', chosen.trim()]));
        }}
      >
        {officials.length > 0 ? (
          <label>
            {t('activity.actor')}
            <select class="input" name="actor" value={chosen} onChange={(e) => setChosen(e.currentTarget.value)}>
              <option value="">—</option>
              {officials.map((a) => (
                <option key={a.actorId} value={a.actorId}>
                  {a.actorId} ({t(`role.${a.role}` as Parameters<typeof t>[0])}
                  {a.active ? '' : `, ${t('activity.inactive')}`})
                </option>
              ))}
            </select>
          </label>
        ) : (
          <label>
            {t('activity.actor')}
            <input class="input input-short" name="actor" value={chosen} onInput={(e) => setChosen(e.currentTarget.value)} autoComplete="off" spellcheck={false} />
          </label>
        )}
        <button type="submit" class="button">
          {t('activity.show')}
        </button>
      </form>
      {activity.error ? <ProblemAlert error={activity.error} /> : null}
      {activity.loading && actor && !activity.data ? <Loading /> : null}
      {activity.data ? (
        <>
          <DataTable
            caption={t('activity.title')}
            columns={['seq', t('entry.at'), t('entry.type'), t('applications.id'), t('flags.formation')]}
            rows={activity.data.items}
            empty={t('common.none')}
            row={(it) => (
              <tr key={it.seq}>
                <td class="num">{it.seq}</td>
                <td>{formatTime(it.at, lang)}</td>
                <td>
                  <code>{it.type}</code>
                </td>
                <td>{it.applicationId ? <a href={href(['p', period, 'applications', it.applicationId])}>{it.applicationId}</a> : '—'}</td>
                <td>{it.formationId ?? '—'}</td>
              </tr>
            )}
          />
          <Pager label={t('activity.title')} {...pages.pager(activity.data.next)} />
        </>
      ) : null}
    </>
  );
}
