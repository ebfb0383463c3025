/**
 * The signed-in session: the token (sessionStorage, so it ends with the tab), the caller
 * from GET /v1/me, the periods the caller may read, and the language.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Lang, MessageKey, Vars } from './i18n.ts';
import type { Me } from './roles.ts';

/** A period the caller may read (GET /v1/periods). */
export interface PeriodSummary {
  readonly periodId: string;
  readonly origin: string;
  readonly agency: string;
  readonly year: number;
  readonly kind: 'CPNS' | 'PPPK';
}

/** What every screen knows. */
export interface Session {
  readonly me: Me;
  readonly periods: readonly PeriodSummary[];
  readonly lang: Lang;
  readonly t: (key: MessageKey, vars?: Vars) => string;
}

const TOKEN_KEY = 'casn.console.token';
const LANG_KEY = 'casn.console.lang';

/** The token kept for this tab, if any. */
export function storedToken(): string | undefined {
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

/** Keeps (or with undefined, forgets) the token for this tab. */
export function storeToken(token: string | undefined): void {
  if (token === undefined) sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, token);
}

/** The language chosen before on this browser; Bahasa Indonesia by default. */
export function storedLang(): Lang {
  return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'id';
}

/** Remembers the language. */
export function storeLang(lang: Lang): void {
  localStorage.setItem(LANG_KEY, lang);
}

export const SessionContext = createContext<Session | undefined>(undefined);

/** The session of a signed-in screen. */
export function useSession(): Session {
  const s = useContext(SessionContext);
  if (s === undefined) throw new Error('useSession outside a signed-in screen');
  return s;
}
