export { Worker, type CompletenessRunner, type DetectionRunner, type JobName, type LedgerVerification, type WorkerOptions } from './worker.ts';
export { DEFAULT_SCHEDULES, DEFAULT_TIMEZONE, parseWorkerSchedules, type WorkerSchedules } from './schedules.ts';
