/** A refused request, shown so that a person knows what happened and what to quote. */
import type { ApiError } from '../api.ts';
import { useSession } from '../session.ts';

/** Shows an API problem: a 403 says the role may not do this; every problem shows its request id. */
export function ProblemAlert({ error, unmatched }: { error: ApiError; unmatched?: readonly { field: string; message: string }[] }) {
  const { t } = useSession();
  const p = error.problem;
  const heading =
    p.status === 403 ? t('problem.forbidden') : p.status === 401 ? t('problem.unauthenticated') : p.status === 404 ? t('problem.notFound') : p.status === 0 ? t('problem.network') : t('problem.refused');
  const errors = unmatched ?? p.errors ?? [];
  return (
    <div class={`alert ${p.status === 403 ? 'alert-forbidden' : 'alert-error'}`} role="alert">
      <p class="alert-title">
        <strong>{heading}</strong> {p.status > 0 ? <span class="muted">(HTTP {p.status})</span> : null}
      </p>
      <p>
        {p.title}
        {p.detail ? `: ${p.detail}` : ''}
      </p>
      {p.status === 403 ? <p>{t('problem.forbiddenHelp')}</p> : null}
      {errors.length > 0 ? (
        <ul>
          {errors.map((e) => (
            <li key={`${e.field}:${e.message}`}>
              <code>{e.field}</code>: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
      {p.requestId ? (
        <p class="muted small">
          {t('problem.requestId')} <code>{p.requestId}</code>
        </p>
      ) : null}
    </div>
  );
}

/** A short loading note, announced politely. */
export function Loading() {
  const { t } = useSession();
  return (
    <p class="muted" role="status" aria-live="polite">
      {t('common.loading')}
    </p>
  );
}
