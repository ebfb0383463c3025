/**
 * The console's shell: sign-in, the caller and their periods, the language, the navigation
 * a role may use, and the screen of the current route.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, configureApi, getWithToken } from './api.ts';
import { translate, type Lang, type MessageKey, type Vars } from './i18n.ts';
import { href, navigate, useRoute, type Route } from './router.ts';
import { may, recordingCommands, type Me, type Role } from './roles.ts';
import type { ComponentChildren } from 'preact';
import { SessionContext, useSession, storeLang, storeToken, storedLang, storedToken, type PeriodSummary, type Session } from './session.ts';
import { Loading, ProblemAlert } from './components/problem.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { FlagsPage } from './pages/flags.tsx';
import { FlagPage } from './pages/flag.tsx';
import { ApplicationsPage } from './pages/applications.tsx';
import { ApplicationPage } from './pages/application.tsx';
import { ActivityPage } from './pages/activity.tsx';
import { HealthPage } from './pages/health.tsx';
import { VerifyPage } from './pages/verify.tsx';
import { RecordPage } from './pages/record.tsx';
import { ImportsPage } from './pages/imports.tsx';

interface Signed {
  readonly token: string;
  readonly me: Me;
  readonly periods: readonly PeriodSummary[];
}

/** Checks a token with GET /v1/me and loads the periods its holder may read. */
async function signIn(token: string): Promise<Signed> {
  const me = await getWithToken<Me>('/v1/me', token);
  const periods = me.role === 'portal' ? [] : (await getWithToken<{ items: PeriodSummary[] }>('/v1/periods', token)).items;
  return { token, me, periods };
}

/** The screen a role lands on. */
function landing(role: Role, period: string | undefined): string {
  if (period === undefined || role === 'portal') return href(['verify']);
  switch (role) {
    case 'inspector':
    case 'admin':
      return href(['p', period, 'flags']);
    case 'ombudsman':
      return href(['health']);
    case 'officer':
    case 'supervisor':
      return href(['p', period, 'record']);
  }
}

export function App() {
  const [lang, setLang] = useState<Lang>(storedLang);
  const [signed, setSigned] = useState<Signed | undefined>(undefined);
  const [restoring, setRestoring] = useState(() => storedToken() !== undefined);
  const [expired, setExpired] = useState(false);
  const route = useRoute();
  const t = useMemo(() => (key: MessageKey, vars?: Vars) => translate(lang, key, vars), [lang]);

  useEffect(() => {
    document.documentElement.lang = lang;
    storeLang(lang);
  }, [lang]);

  const signOut = (why?: 'expired'): void => {
    storeToken(undefined);
    configureApi({ token: undefined });
    setSigned(undefined);
    setExpired(why === 'expired');
    navigate('#/');
  };

  const accept = (s: Signed): void => {
    storeToken(s.token);
    configureApi({ token: s.token, onUnauthorized: () => signOut('expired') });
    setSigned(s);
    setExpired(false);
  };

  useEffect(() => {
    const token = storedToken();
    if (token === undefined) return;
    signIn(token).then(accept, () => {
      storeToken(undefined);
      setExpired(true);
    }).finally(() => setRestoring(false));
  }, []);

  const languageSwitch = (
    <div class="lang-switch" role="group" aria-label={translate(lang, 'nav.language')}>
      {(['id', 'en'] as const).map((l) => (
        <button key={l} type="button" class="link-button" aria-pressed={lang === l} lang={l} onClick={() => setLang(l)}>
          {l === 'id' ? 'Bahasa Indonesia' : 'English'}
        </button>
      ))}
    </div>
  );

  if (restoring) {
    return (
      <main id="main" class="page narrow">
        <p role="status">{translate(lang, 'common.loading')}</p>
      </main>
    );
  }
  if (!signed) {
    return (
      <>
        <header class="topbar">
          <span class="brand">{translate(lang, 'app.name')}</span>
          {languageSwitch}
        </header>
        <SignInPage lang={lang} expired={expired} onSignedIn={(token) => signIn(token).then(accept)} />
      </>
    );
  }

  const session: Session = { me: signed.me, periods: signed.periods, lang, t };
  return (
    <SessionContext.Provider value={session}>
      <a class="skip-link" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        {t('nav.skip')}
      </a>
      <Shell route={route} onSignOut={() => signOut()} languageSwitch={languageSwitch} />
    </SessionContext.Provider>
  );
}

function Shell({ route, onSignOut, languageSwitch }: { route: Route; onSignOut: () => void; languageSwitch: ComponentChildren }) {
  const { me, periods, t } = useSession();
  const [first, second, third, fourth] = route.segments;
  const routePeriod = first === 'p' ? second : undefined;
  const period = routePeriod ?? periods[0]?.periodId;

  useEffect(() => {
    if (route.segments.length === 0) navigate(landing(me.role, periods[0]?.periodId));
  }, [route.path]);

  const links: { key: string; label: string; link: string; active: boolean }[] = [];
  if (period !== undefined) {
    if (may(me.role, 'flags')) links.push({ key: 'flags', label: t('nav.flags'), link: href(['p', period, 'flags']), active: third === 'flags' });
    if (recordingCommands(me.role).length > 0) links.push({ key: 'record', label: t('nav.record'), link: href(['p', period, 'record']), active: third === 'record' });
    if (may(me.role, 'importCatScores') || may(me.role, 'importRegistrations')) links.push({ key: 'imports', label: t('nav.imports'), link: href(['p', period, 'imports']), active: third === 'imports' });
    if (may(me.role, 'applications')) links.push({ key: 'applications', label: t('nav.applications'), link: href(['p', period, 'applications']), active: third === 'applications' });
    if (may(me.role, 'activity')) links.push({ key: 'officers', label: t('nav.activity'), link: href(['p', period, 'officers']), active: third === 'officers' });
  }
  if (may(me.role, 'health')) links.push({ key: 'health', label: t('nav.health'), link: href(['health']), active: first === 'health' });
  links.push({ key: 'verify', label: t('nav.verify'), link: href(['verify']), active: first === 'verify' });

  let screen: ComponentChildren;
  if (first === 'p' && routePeriod !== undefined && !periods.some((p) => p.periodId === routePeriod)) {
    screen = <ProblemAlert error={new ApiError({ type: 'urn:casn:problem:not-found', title: t('problem.noPeriod'), status: 404, detail: routePeriod })} />;
  } else if (first === 'p' && routePeriod !== undefined) {
    if (third === 'flags' && fourth !== undefined) screen = <FlagPage period={routePeriod} flagId={fourth} />;
    else if (third === 'flags') screen = <FlagsPage period={routePeriod} query={route.query} />;
    else if (third === 'applications' && fourth !== undefined) screen = <ApplicationPage period={routePeriod} applicationId={fourth} />;
    else if (third === 'applications') screen = <ApplicationsPage period={routePeriod} query={route.query} />;
    else if (third === 'officers') screen = <ActivityPage period={routePeriod} actor={fourth} />;
    else if (third === 'record') screen = <RecordPage period={routePeriod} query={route.query} />;
    else if (third === 'imports') screen = <ImportsPage period={routePeriod} />;
  } else if (first === 'health') screen = <HealthPage />;
  else if (first === 'verify') screen = <VerifyPage query={route.query} />;
  else if (route.segments.length === 0) screen = <Loading />;
  if (screen === undefined) {
    screen = <ProblemAlert error={new ApiError({ type: 'urn:casn:console:no-screen', title: t('problem.noScreen'), status: 404, detail: route.path })} />;
  }

  return (
    <>
      <header class="topbar">
        <a class="brand" href={landing(me.role, period)}>
          {t('app.name')}
        </a>
        {periods.length > 0 ? (
          <label class="period-picker">
            <span>{t('nav.period')}</span>
            <select
              value={period}
              onChange={(e) => {
                const next = e.currentTarget.value;
                navigate(routePeriod !== undefined ? href(['p', next, third ?? 'flags']) : landing(me.role, next));
              }}
            >
              {periods.map((p) => (
                <option key={p.periodId} value={p.periodId}>
                  {p.periodId} ({p.kind} {p.year})
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <div class="whoami" data-testid="whoami">
          <span>{me.actorId}</span> · <span class="role">{t(`role.${me.role}` as MessageKey)}</span>
          {me.agency ? <span class="muted"> · {me.agency}</span> : null}
        </div>
        {languageSwitch}
        <button type="button" class="link-button" onClick={onSignOut}>
          {t('nav.signOut')}
        </button>
      </header>
      <nav class="mainnav" aria-label={t('nav.main')}>
        <ul>
          {links.map((l) => (
            <li key={l.key}>
              <a href={l.link} aria-current={l.active ? 'page' : undefined}>
                {l.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" class="page" tabIndex={-1}>
        {screen}
      </main>
    </>
  );
}

