// Entry of the verification worker thread: registers the TypeScript loader in this
// thread (workers do not inherit it on every Node version), then runs the worker.
import { tsImport } from 'tsx/esm/api';

await tsImport('./verify-worker.ts', import.meta.url);
