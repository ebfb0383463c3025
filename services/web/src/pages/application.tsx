/** One application: its current state and its full timeline in ledger order (every entry links to its proof). */
import { get, periodPath } from '../api.ts';
import { Loading, ProblemAlert } from '../components/problem.tsx';
import { formatTime } from '../format.ts';
import { useAsync, useScreen } from '../hooks.ts';
import { href } from '../router.ts';
import { useSession } from '../session.ts';
import type { ApplicationRow } from './applications.tsx';

interface TimelineItem {
  readonly seq: number;
  readonly type: string;
  readonly at: string;
  readonly actorId: string;
  readonly actorRole: string;
  readonly summary: Readonly<Record<string, unknown>>;
}

interface ApplicationDetail extends ApplicationRow {
  readonly submittedAt: string;
  readonly channel: string;
  readonly cutCode: string | null;
  readonly finalScore: number | null;
  readonly announcedCode: string | null;
  readonly sanggah: string;
  readonly erased: boolean;
  readonly personal?: Readonly<Record<string, unknown>> | null;
}

function summaryText(summary: Readonly<Record<string, unknown>>): string {
  return Object.entries(summary)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') || '—' : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`)
    .join(' · ');
}

export function ApplicationPage({ period, applicationId }: { period: string; applicationId: string }) {
  const { t, lang } = useSession();
  const focus = useScreen(`${t('application.title')} ${applicationId}`);
  const app = useAsync(() => get<ApplicationDetail>(periodPath(period, 'applications', applicationId)), [period, applicationId]);
  const timeline = useAsync(() => get<{ items: TimelineItem[] }>(periodPath(period, 'applications', applicationId, 'timeline')), [period, applicationId]);

  return (
    <>
      <p class="breadcrumb">
        <a href={href(['p', period, 'applications'])}>← {t('applications.title')}</a>
      </p>
      <h1 ref={focus} tabIndex={-1}>
        {t('application.title')} <code>{applicationId}</code>
      </h1>
      {app.error ? <ProblemAlert error={app.error} /> : null}
      {app.data ? (
        <dl class="facts facts-wide">
          <dt>{t('flags.formation')}</dt>
          <dd>{app.data.formationId}</dd>
          <dt>{t('applications.status')}</dt>
          <dd>{app.data.status}</dd>
          <dt>{t('applications.verdict')}</dt>
          <dd>{app.data.verdict ?? '—'}</dd>
          <dt>SKD</dt>
          <dd>
            {app.data.skdTotal ?? '—'} {app.data.skdDiscrepancy ? <span class="badge badge-medium">{t('applications.discrepancy')}</span> : null}
          </dd>
          <dt>{t('applications.rank')}</dt>
          <dd>{app.data.rank ?? '—'}</dd>
          <dt>{t('applications.final')}</dt>
          <dd>
            {app.data.finalCode ?? '—'}
            {app.data.announcedCode && app.data.announcedCode !== app.data.finalCode ? <span class="badge badge-high"> {t('application.announcedDiffers', { code: app.data.announcedCode })}</span> : null}
          </dd>
          <dt>{t('application.submitted')}</dt>
          <dd>
            {formatTime(app.data.submittedAt, lang)} ({app.data.channel})
          </dd>
        </dl>
      ) : null}
      {app.data?.personal ? (
        <details class="panel">
          <summary>{t('application.personal')}</summary>
          <p class="hint">{t('application.personalNote')}</p>
          <dl class="facts">
            {Object.entries(app.data.personal).map(([k, v]) => [<dt key={`k${k}`}>{k}</dt>, <dd key={`v${k}`}>{Array.isArray(v) ? v.join(', ') : String(v)}</dd>])}
          </dl>
        </details>
      ) : null}
      <h2>{t('application.timeline')}</h2>
      {timeline.error ? <ProblemAlert error={timeline.error} /> : null}
      {timeline.loading && !timeline.data ? <Loading /> : null}
      {timeline.data ? (
        <ol class="timeline" data-testid="timeline">
          {timeline.data.items.map((it) => (
            <li key={it.seq}>
              <p>
                <strong>
                  <code>{it.type}</code>
                </strong>{' '}
                <span class="muted">seq {it.seq}</span>
              </p>
              <p class="small">
                {formatTime(it.at, lang)} · <a href={href(['p', period, 'officers', it.actorId])}>{it.actorId}</a> ({t(`role.${it.actorRole}` as Parameters<typeof t>[0])})
              </p>
              {Object.keys(it.summary).length > 0 ? <p class="small muted">{summaryText(it.summary)}</p> : null}
              <p class="small">
                <a href={href(['verify'], { tab: 'inclusion', ledger: period, seq: it.seq })}>{t('application.proveEntry')}</a>
              </p>
            </li>
          ))}
        </ol>
      ) : null}
    </>
  );
}
