/**
 * A hash router: `#/p/tangsel-2024-cpns/flags?severity=high`. The location lives in the
 * fragment, so the server only ever serves index.html and links work when bookmarked.
 */
import { useEffect, useState } from 'preact/hooks';

/** The current location: path segments and query. */
export interface Route {
  readonly path: string;
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
}

/** The route of a hash, e.g. '#/health?x=1'. */
export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/';
  const [pathPart = '/', search = ''] = raw.split('?', 2);
  const segments = pathPart.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  return { path: `/${segments.map(encodeURIComponent).join('/')}`, segments, query: new URLSearchParams(search) };
}

/** The hash link of a path and query values (empty values are left out). */
export function href(segments: readonly (string | number)[], query: Readonly<Record<string, string | number | undefined | null>> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return `#/${segments.map((x) => encodeURIComponent(String(x))).join('/')}${s ? `?${s}` : ''}`;
}

/** Goes to a hash link (a new history entry, so Back works). */
export function navigate(link: string): void {
  if (window.location.hash === link) return;
  window.location.hash = link;
}

/** The current route, re-rendered on every hash change. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const update = (): void => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
