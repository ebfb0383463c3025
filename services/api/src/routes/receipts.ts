import type { AnyRoute } from '../http/index.ts';
import type { RouteDeps } from './context.ts';

export function receiptRoutes(_deps: RouteDeps): AnyRoute[] {
  return [];
}
