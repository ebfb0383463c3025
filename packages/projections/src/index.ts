export type { ParsedEntry, Projection, QueryFn } from './types.ts';
export type { CompetencyScores, SkbMark, SkdScores } from './applications.ts';
export { applicationsProjection } from './applications.ts';
export { timelineProjection } from './timeline.ts';
export { officerActivityProjection } from './officer-activity.ts';
export { formationsProjection } from './formations.ts';
export { rankingsProjection } from './rankings.ts';
export { PROJECTIONS, ProjectionRunner, type ProjectionRunnerOptions } from './runner.ts';
export * from './queries.ts';
