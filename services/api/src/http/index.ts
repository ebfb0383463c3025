/** The HTTP framework of the API: routes, problems, tokens, logging, metrics and the app. */
export * from './app.ts';
export * from './logging.ts';
export * from './metrics.ts';
export * from './problem.ts';
export * from './route.ts';
export * from '../auth/tokens.ts';
