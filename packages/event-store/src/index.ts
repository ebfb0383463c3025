export * from './db.ts';
export * from './errors.ts';
export * from './keys.ts';
export * from './migrate.ts';
export * from './store.ts';
export * from './export.ts';
