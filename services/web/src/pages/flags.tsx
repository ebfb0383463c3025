/**
 * The inspectorate's dashboard: flags counted by detector, severity, formation and over
 * time (charts that are tables), filtered by the API, and the list of flags to open.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { get, periodPath } from '../api.ts';
import { BarTable, TimeChart, type Bar, type TimeBucket } from '../components/charts.tsx';
import { FilterSelect } from '../components/form.tsx';
import { Pager } from '../components/pager.tsx';
import { Loading, ProblemAlert } from '../components/problem.tsx';
import { DataTable } from '../components/table.tsx';
import { DETECTOR_IDS } from '@casn/detectors/ids';
import { entryTime, loadFlags, mapLimited, type FlagFilters, type FlagView, type Severity } from '../flags-model.ts';
import { formatNumber, formatTime, wibDate } from '../format.ts';
import { useAsync, useScreen } from '../hooks.ts';
import type { MessageKey } from '../i18n.ts';
import { href, navigate } from '../router.ts';
import { useSession } from '../session.ts';

const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low'];
const STATUSES = ['open', 'confirmed', 'dismissed', 'referred'] as const;
const PAGE = 25;

/** The label of a detector in the current language (its id when unknown). */
export function useDetectorLabel(): (id: string) => string {
  const { t } = useSession();
  return (id) => ((DETECTOR_IDS as readonly string[]).includes(id) ? t(`detector.${id}` as MessageKey) : id);
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const it of items) m.set(key(it), (m.get(key(it)) ?? 0) + 1);
  return m;
}

/** Buckets flags by the time of their latest evidence entry: days, weeks or months, whichever gives a readable chart. */
function timeBuckets(rows: readonly { at: string; severity: Severity }[], lang: 'id' | 'en'): TimeBucket[] {
  if (rows.length === 0) return [];
  const days = rows.map((r) => wibDate(r.at)).sort();
  const first = new Date(`${days[0]!}T00:00:00Z`).getTime();
  const last = new Date(`${days[days.length - 1]!}T00:00:00Z`).getTime();
  const spanDays = (last - first) / 86_400_000;
  const unit: 'day' | 'week' | 'month' = spanDays <= 31 ? 'day' : spanDays <= 26 * 7 ? 'week' : 'month';
  const keyOf = (day: string): string => {
    if (unit === 'day') return day;
    if (unit === 'month') return day.slice(0, 7);
    const d = new Date(`${day}T00:00:00Z`);
    const monday = new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * 86_400_000);
    return monday.toISOString().slice(0, 10);
  };
  const step = (key: string): string => {
    if (unit === 'month') {
      const [y, m] = key.split('-').map(Number) as [number, number];
      return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
    }
    return new Date(new Date(`${key}T00:00:00Z`).getTime() + (unit === 'day' ? 1 : 7) * 86_400_000).toISOString().slice(0, 10);
  };
  const counts = new Map<string, number[]>();
  for (const r of rows) {
    const k = keyOf(wibDate(r.at));
    const c = counts.get(k) ?? [0, 0, 0];
    c[SEVERITIES.indexOf(r.severity)]!++;
    counts.set(k, c);
  }
  const fmt = new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', unit === 'month' ? { month: 'short', year: 'numeric', timeZone: 'UTC' } : { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const out: TimeBucket[] = [];
  const end = keyOf(days[days.length - 1]!);
  for (let k = keyOf(days[0]!); ; k = step(k)) {
    out.push({ key: k, label: fmt.format(new Date(unit === 'month' ? `${k}-01T00:00:00Z` : `${k}T00:00:00Z`)), counts: counts.get(k) ?? [0, 0, 0] });
    if (k >= end || out.length > 400) break;
  }
  return out;
}

export function FlagsPage({ period, query }: { period: string; query: URLSearchParams }) {
  const { t, lang } = useSession();
  const focus = useScreen(t('flags.title'));
  const detectorLabel = useDetectorLabel();
  const filters: FlagFilters = {
    severity: query.get('severity') ?? undefined,
    detector: query.get('detector') ?? undefined,
    formation: query.get('formation') ?? undefined,
    actor: query.get('actor') ?? undefined,
    status: query.get('status') ?? undefined,
  };
  const filterKey = JSON.stringify(filters);
  const flags = useAsync(() => loadFlags(period, filters), [period, filterKey]);
  const formations = useAsync(() => get<{ items: { formationId: string; jabatan: string }[] }>(periodPath(period, 'formations')), [period]);
  const [page, setPage] = useState(0);
  const [times, setTimes] = useState<{ done: number; rows: { at: string; severity: Severity }[] | undefined }>({ done: 0, rows: undefined });

  useEffect(() => setPage(0), [period, filterKey]);
  // The chart over time places each flag at its latest evidence entry: when the flagged action was recorded.
  useEffect(() => {
    const items = flags.data?.items;
    setTimes({ done: 0, rows: undefined });
    if (!items) return;
    let live = true;
    mapLimited(items, 4, async (f) => ({ at: await entryTime(period, Math.max(...f.entries)), severity: f.severity }), (done) => {
      if (live) setTimes((s) => ({ ...s, done }));
    }).then(
      (rows) => live && setTimes({ done: rows.length, rows }),
      () => live && setTimes({ done: 0, rows: [] }),
    );
    return () => {
      live = false;
    };
  }, [flags.data]);

  const link = (over: Partial<Record<keyof FlagFilters, string | undefined>>): string => href(['p', period, 'flags'], { ...filters, ...over });
  const items = flags.data?.items ?? [];
  const charts = useMemo(() => {
    const byDetector = countBy(items, (f) => f.detector);
    const bySeverity = countBy(items, (f) => f.severity);
    const byFormation = countBy(items, (f) => f.formationId ?? '');
    const detectorBars: Bar[] = [...byDetector.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => ({ key: k, label: detectorLabel(k), count: n, href: link({ detector: k }) }));
    const severityBars: Bar[] = SEVERITIES.filter((s) => bySeverity.has(s)).map((s) => ({ key: s, label: t(`severity.${s}`), count: bySeverity.get(s)!, href: link({ severity: s }), tone: s }));
    const formationBars: Bar[] = [...byFormation.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => (k === '' ? { key: '-', label: t('flags.noFormation'), count: n } : { key: k, label: k, count: n, href: link({ formation: k }) }));
    return { detectorBars, severityBars, formationBars };
  }, [items, lang]);

  const shown = items.slice(page * PAGE, (page + 1) * PAGE);
  const anyFilter = Object.values(filters).some((v) => v !== undefined);

  return (
    <>
      <h1 ref={focus} tabIndex={-1}>
        {t('flags.title')} <span class="muted small">{period}</span>
      </h1>
      <p class="lead">{t('flags.intro')}</p>

      <form
        class="filters"
        aria-label={t('flags.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          const value = (k: string): string | undefined => {
            const v = data.get(k);
            return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
          };
          navigate(link({ severity: value('severity'), detector: value('detector'), formation: value('formation'), status: value('status'), actor: value('actor') }));
        }}
      >
        <FilterSelect name="severity" label={t('flags.severity')} value={filters.severity ?? ''} options={SEVERITIES.map((s) => ({ value: s, label: t(`severity.${s}`) }))} />
        <FilterSelect name="detector" label={t('flags.detector')} value={filters.detector ?? ''} options={DETECTOR_IDS.map((d) => ({ value: d, label: detectorLabel(d) }))} />
        <FilterSelect name="formation" label={t('flags.formation')} value={filters.formation ?? ''} options={(formations.data?.items ?? []).map((f) => ({ value: f.formationId, label: f.formationId }))} />
        <FilterSelect name="status" label={t('flags.status')} value={filters.status ?? ''} options={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))} />
        <label>
          {t('flags.actor')}
          <input name="actor" class="input input-short" value={filters.actor ?? ''} autoComplete="off" spellcheck={false} />
        </label>
        <button type="submit" class="button">
          {t('common.apply')}
        </button>
        {anyFilter ? (
          <a class="button button-secondary" href={href(['p', period, 'flags'])}>
            {t('common.clear')}
          </a>
        ) : null}
      </form>

      {flags.error ? <ProblemAlert error={flags.error} /> : null}
      {flags.loading ? <Loading /> : null}
      {flags.data ? (
        <>
          <p role="status" data-testid="flag-total">
            {t('flags.total', { n: formatNumber(items.length, lang) })}
            {flags.data.truncated ? ` ${t('flags.truncated')}` : ''}
          </p>
          <div class="chart-grid">
            {times.rows ? (
              <TimeChart
                id="chart-time"
                title={t('flags.overTime')}
                note={t('flags.overTimeNote')}
                series={SEVERITIES.map((s) => ({ label: t(`severity.${s}`), tone: s }))}
                buckets={timeBuckets(times.rows, lang)}
              />
            ) : (
              <p class="muted chart-wide" role="status">
                {t('flags.loadingTimes', { done: times.done, total: items.length })}
              </p>
            )}
            <BarTable id="chart-detector" title={t('flags.byDetector')} bars={charts.detectorBars} />
            <BarTable id="chart-severity" title={t('flags.bySeverity')} bars={charts.severityBars} />
            <BarTable id="chart-formation" title={t('flags.byFormation')} bars={charts.formationBars} />
          </div>

          <h2>{t('flags.list')}</h2>
          <DataTable
            class="flags-table"
            caption={t('flags.list')}
            columns={[t('flags.severity'), t('flags.detector'), t('flags.formation'), t('flags.actors'), t('flags.applications'), t('flags.status'), t('flags.raised')]}
            rows={shown}
            row={(f: FlagView) => (
              <tr key={f.flagId}>
                <td>
                  <span class={`badge badge-${f.severity}`}>{t(`severity.${f.severity}`)}</span>
                </td>
                <td>
                  <a href={href(['p', period, 'flags', f.flagId])} data-testid="flag-link">
                    {detectorLabel(f.detector)}
                  </a>
                  <div class="muted small">{f.key}</div>
                </td>
                <td>{f.formationId ?? '—'}</td>
                <td>{f.actors.join(', ') || '—'}</td>
                <td>
                  {f.applications.slice(0, 3).join(', ') || '—'}
                  {f.applications.length > 3 ? ` +${f.applications.length - 3}` : ''}
                </td>
                <td>
                  <span class={`badge badge-status-${f.status}`}>{t(`status.${f.status}`)}</span>
                </td>
                <td>{formatTime(f.raised.at, lang)}</td>
              </tr>
            )}
          />
          {items.length > PAGE ? <Pager label={t('flags.list')} page={page} hasNext={(page + 1) * PAGE < items.length} onPrev={() => setPage((p) => Math.max(0, p - 1))} onNext={() => setPage((p) => p + 1)} /> : null}
        </>
      ) : null}
    </>
  );
}
