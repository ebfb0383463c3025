/** Sign-in: paste an API token; it is checked with GET /v1/me and kept for this tab only. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api.ts';
import { translate, type Lang } from '../i18n.ts';

export function SignInPage({ lang, expired, onSignedIn }: { lang: Lang; expired: boolean; onSignedIn: (token: string) => Promise<void> }) {
  const t = (k: Parameters<typeof translate>[1]) => translate(lang, k);
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${t('signIn.title')} · CASN`;
    heading.current?.focus();
  }, [lang]);

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    const value = token.trim().replace(/^Bearer\s+/i, '');
    if (!/^casn_[A-Za-z0-9_-]{43}$/.test(value)) {
      setError(t('signIn.badFormat'));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await onSignedIn(value);
    } catch (err) {
      const status = err instanceof ApiError ? err.status : 0;
      setError(status === 401 ? t('signIn.rejected') : `${t('signIn.failed')} ${err instanceof Error ? err.message : ''}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="page narrow">
      <h1 ref={heading} tabIndex={-1}>
        {t('signIn.title')}
      </h1>
      <p>{t('signIn.intro')}</p>
      {expired ? (
        <p class="alert alert-info" role="status">
          {t('signIn.expired')}
        </p>
      ) : null}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div class={`field${error ? ' field-error' : ''}`}>
          <label for="token">{t('signIn.token')}</label>
          <p class="hint" id="token-hint">
            {t('signIn.hint')}
          </p>
          {error ? (
            <p class="error-message" id="token-error" role="alert">
              {error}
            </p>
          ) : null}
          <input
            id="token"
            name="token"
            class="input input-long"
            type="password"
            autoComplete="off"
            spellcheck={false}
            value={token}
            onInput={(e) => setToken(e.currentTarget.value)}
            aria-describedby={error ? 'token-hint token-error' : 'token-hint'}
            aria-invalid={error ? 'true' : undefined}
          />
        </div>
        <button type="submit" class="button" disabled={busy}>
          {busy ? t('common.working') : t('signIn.submit')}
        </button>
      </form>
    </main>
  );
}
