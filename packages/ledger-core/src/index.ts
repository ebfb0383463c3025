export * from './hash.ts';
export * from './jcs.ts';
export * from './merkle.ts';
export * from './entry.ts';
export * from './ed25519.ts';
export * from './note.ts';
export * from './checkpoint.ts';
export * from './bundle.ts';
