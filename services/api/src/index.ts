export * from './app.ts';
export * from './http/index.ts';
export * from './recruitment/completeness.ts';
export * from './recruitment/flags.ts';
export * from './recruitment/import.ts';
export * from './recruitment/personal.ts';
export * from './recruitment/service.ts';
export type { RouteDeps } from './routes/context.ts';
