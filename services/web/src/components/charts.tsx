/**
 * Charts that are tables first: every chart is a real <table> (so screen readers and
 * keyboards get the numbers), with the bars drawn beside the counts. The time chart is an
 * SVG with the same numbers in a table under it.
 */
import { useSession } from '../session.ts';
import { formatNumber } from '../format.ts';

/** One bar: a label, a count, and optionally where the label links to (a filter). */
export interface Bar {
  readonly key: string;
  readonly label: string;
  readonly count: number;
  readonly href?: string;
  readonly tone?: 'high' | 'medium' | 'low' | 'neutral';
}

/** A horizontal bar chart as a table: label, bar, count. */
export function BarTable({ title, bars, id }: { title: string; bars: readonly Bar[]; id: string }) {
  const { lang, t } = useSession();
  const max = Math.max(1, ...bars.map((b) => b.count));
  return (
    <figure class="chart" aria-labelledby={`${id}-title`}>
      <table class="bar-table" id={id}>
        <caption id={`${id}-title`}>{title}</caption>
        <thead class="visually-hidden">
          <tr>
            <th scope="col">{t('chart.category')}</th>
            <th scope="col">{t('chart.count')}</th>
          </tr>
        </thead>
        <tbody>
          {bars.length === 0 ? (
            <tr>
              <td colSpan={2} class="muted">
                {t('chart.empty')}
              </td>
            </tr>
          ) : (
            bars.map((b) => (
              <tr key={b.key}>
                <th scope="row">{b.href ? <a href={b.href}>{b.label}</a> : b.label}</th>
                <td>
                  <span class="bar-cell">
                    <span class={`bar bar-${b.tone ?? 'neutral'}`} style={{ width: `${(100 * b.count) / max}%` }} aria-hidden="true" />
                    <span class="bar-count">{formatNumber(b.count, lang)}</span>
                  </span>
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </figure>
  );
}

/** One period of the time chart: its label and counts per series. */
export interface TimeBucket {
  readonly key: string;
  readonly label: string;
  readonly counts: readonly number[];
}

/** A stacked column chart over time (SVG), with the same numbers in a table for reading. */
export function TimeChart({ title, series, buckets, id, note }: { title: string; series: readonly { label: string; tone: string }[]; buckets: readonly TimeBucket[]; id: string; note?: string }) {
  const { lang, t } = useSession();
  const width = 960;
  const height = 150;
  const pad = { left: 32, bottom: 28, top: 8, right: 8 };
  const totals = buckets.map((b) => b.counts.reduce((a, c) => a + c, 0));
  const max = Math.max(1, ...totals);
  const slot = buckets.length === 0 ? 0 : (width - pad.left - pad.right) / buckets.length;
  const barWidth = Math.max(2, Math.min(40, slot * 0.7));
  const y = (v: number): number => pad.top + (height - pad.top - pad.bottom) * (1 - v / max);
  const labelEvery = Math.max(1, Math.ceil(buckets.length / 8));
  return (
    <figure class="chart chart-wide" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <svg class="time-chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-title`} aria-describedby={`${id}-table`}>
        <line x1={pad.left} y1={y(0)} x2={width - pad.right} y2={y(0)} class="axis" />
        <text x={pad.left - 4} y={y(max) + 4} class="tick" text-anchor="end">
          {max}
        </text>
        <text x={pad.left - 4} y={y(0)} class="tick" text-anchor="end">
          0
        </text>
        {buckets.map((b, i) => {
          let base = 0;
          const x = pad.left + i * slot + (slot - barWidth) / 2;
          return (
            <g key={b.key}>
              <title>{`${b.label}: ${series.map((s, j) => `${s.label} ${b.counts[j] ?? 0}`).join(', ')}`}</title>
              {b.counts.map((c, j) => {
                const top = y(base + c);
                const rect = c > 0 ? <rect key={j} x={x} y={top} width={barWidth} height={y(base) - top} class={`fill-${series[j]?.tone ?? 'neutral'}`} /> : null;
                base += c;
                return rect;
              })}
              {i % labelEvery === 0 ? (
                <text x={x + barWidth / 2} y={height - 8} class="tick" text-anchor="middle">
                  {b.label}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <p class="legend">
        {series.map((s) => (
          <span key={s.label} class="legend-item">
            <span class={`swatch fill-${s.tone}`} aria-hidden="true" /> {s.label}
          </span>
        ))}
      </p>
      {note ? <p class="hint">{note}</p> : null}
      <details>
        <summary>{t('chart.showTable')}</summary>
        <table class="data-table" id={`${id}-table`}>
          <thead>
            <tr>
              <th scope="col">{t('chart.period')}</th>
              {series.map((s) => (
                <th scope="col" key={s.label}>
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {buckets.map((b) => (
              <tr key={b.key}>
                <th scope="row">{b.label}</th>
                {b.counts.map((c, j) => (
                  <td key={j} class="num">
                    {formatNumber(c, lang)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
