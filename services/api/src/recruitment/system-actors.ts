/** Actors of the system itself (detection, completeness commitments): inspectors without agency, registered by the system. */
import type { Actor } from '@casn/domain';
import { canonicalize, sha256, utf8 } from '@casn/ledger-core';
import type { RecruitmentService } from './service.ts';

const SYSTEM: Actor = { id: 'system', role: 'admin', agency: null };

/** The directory's actor of `actor.id`, registered by the system (role and agency as given) when missing. */
export async function ensureSystemActor(service: RecruitmentService, actor: Actor): Promise<Actor> {
  const state = await service.directoryState();
  if (!state.actors.has(actor.id)) {
    const command = { type: 'RegisterActor', actorId: actor.id, role: actor.role, agency: actor.agency, indexes: {} } as const;
    const idempotencyKey = `register-actor-${actor.id}`;
    await service.executeDirectory(command, SYSTEM, { idempotencyKey, fingerprint: sha256(utf8(canonicalize(command))) });
  }
  return service.actor(actor.id);
}
