/**
 * What each role may do, as the console shows it. It mirrors the API (PERIOD_COMMAND_ROLES
 * of @casn/domain and the read routes; test/roles.spec.ts keeps them equal): the console only
 * hides what a role cannot do, the API decides.
 */

/** A token's role. */
export type Role = 'officer' | 'supervisor' | 'inspector' | 'ombudsman' | 'admin' | 'portal';

/** The caller, from GET /v1/me. */
export interface Me {
  readonly actorId: string;
  readonly role: Role;
  readonly agency: string | null;
}

/** The commands the console's forms record, and who may record each. */
export const COMMAND_ROLES = {
  VerifyDocuments: ['officer'],
  ConfirmVerification: ['supervisor'],
  RecordSkdScore: ['officer', 'supervisor', 'admin'],
  RecordSkbScore: ['officer', 'supervisor', 'admin'],
  DisposeFlag: ['inspector'],
} as const satisfies Record<string, readonly Role[]>;

/** Who reads what and who imports what (the routes' `roles`). */
export const READ_ROLES = {
  flags: ['inspector', 'ombudsman', 'admin'],
  applications: ['officer', 'supervisor', 'inspector', 'ombudsman', 'admin'],
  activity: ['officer', 'supervisor', 'inspector', 'ombudsman', 'admin'],
  actors: ['admin', 'inspector', 'ombudsman'],
  health: ['officer', 'supervisor', 'inspector', 'ombudsman', 'admin'],
  importRegistrations: ['officer', 'admin'],
  importCatScores: ['officer', 'supervisor', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Command = keyof typeof COMMAND_ROLES;
export type Capability = keyof typeof READ_ROLES;

/** True when `role` may record `command`. */
export function mayRecord(role: Role, command: Command): boolean {
  return (COMMAND_ROLES[command] as readonly Role[]).includes(role);
}

/** True when `role` may use `capability`. */
export function may(role: Role, capability: Capability): boolean {
  return (READ_ROLES[capability] as readonly Role[]).includes(role);
}

/** The forms of the recording screen a role may use. */
export function recordingCommands(role: Role): Command[] {
  return (['VerifyDocuments', 'ConfirmVerification', 'RecordSkdScore', 'RecordSkbScore'] as const).filter((c) => mayRecord(role, c));
}
