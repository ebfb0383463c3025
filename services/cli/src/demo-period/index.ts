/**
 * A realistic, deterministic demo recruitment period: the 2024 CPNS selection of the
 * Pemerintah Kota Tangerang Selatan, recorded through the real RecruitmentService on a
 * simulated 2024 clock (WIB), with planted irregularities for the detectors to find.
 * What it contains is described in docs/demo.md.
 */
import { BatchError, RecruitmentService, sealPerson } from '@casn/api';
import type { PeriodState } from '@casn/domain';
import { EventStore } from '@casn/event-store';
import { sha256, utf8 } from '@casn/ledger-core';
import type { BlindIndexer, Vault } from '@casn/personal-data';
import { wib, wibIso } from './calendar.ts';
import { AGENCY, FORMATIONS, PERIOD_ID } from './catalogue.ts';
import { planSteps, type Sealer, type Step } from './plan.ts';
import { buildWorld, type Coincidence, type Planted, type World } from './world.ts';

export { PERIOD_ID } from './catalogue.ts';
export { MIN_APPLICANTS } from './world.ts';

/** How big a demo to record, and from which seed. */
export interface DemoOptions {
  /** Number of applicants; default 3000, at least MIN_APPLICANTS. */
  applicants?: number;
  /** Seed of the generator; default 2024. */
  seed?: number;
  /** Called when a stage starts (directory, formations, registration, verification, ...). */
  onProgress?: (stage: string) => void;
}

/** What the demo holds, with the planted irregularities. */
export interface DemoSummary {
  periodId: string;
  origin: string;
  agency: string;
  formations: number;
  applicants: number;
  /** Entries of the period ledger. */
  entries: number;
  actors: { actorId: string; role: string; agency: string | null }[];
  planted: { kind: string; description: string; applicationId?: string; actorId?: string; formationId?: string; related?: readonly string[] }[];
  /** Honest coincidences a detector must not report (shared marga, dormitory address, siblings). */
  coincidences: { kind: string; description: string; applicationIds: readonly string[]; actorId?: string }[];
  /** True when this call recorded the period; false when it already existed. */
  recorded: boolean;
}

/** Where the demo is recorded. */
export interface DemoDeps {
  store: EventStore;
  vault: Vault;
  indexer: BlindIndexer;
  directoryOrigin: string;
  originBase: string;
}

/**
 * Records the demo period (and its agency and actors in the directory) unless the period
 * already exists; deterministic for a seed. A run cut short is completed by the next call
 * (every step is an idempotent write).
 * @example const summary = await seedDemoPeriod({ store, vault, indexer, directoryOrigin, originBase }, { applicants: 300 });
 */
export async function seedDemoPeriod(deps: DemoDeps, opts: DemoOptions = {}): Promise<DemoSummary> {
  const count = opts.applicants ?? 3000;
  const seed = opts.seed ?? 2024;
  const world = buildWorld(seed, count);

  // The simulated clock: the ledger's `at` and the domain's `now` follow the 2024 calendar.
  let now = wib('2024-08-01', '07:00');
  const clock = (): Date => new Date(now.getTime());
  const store = new EventStore(deps.store.database, { clock });
  const service = new RecruitmentService({ store, directoryOrigin: deps.directoryOrigin, originBase: deps.originBase, clock });
  await service.init();
  const origin = `${deps.originBase}/${PERIOD_ID}`;

  const steps = planSteps(world, seed, sealerOf(deps));
  const first = steps.find((s) => s.kind === 'open')!;
  const last = steps[steps.length - 1]!;
  const exists = service.periods().some((p) => p.periodId === PERIOD_ID);
  const recorded = async (key: string) => (await store.recordedAppends(origin, key)).length > 0;
  const unfinished = exists && (await recorded(first.key)) && !(await recorded(last.key));

  if (!exists || unfinished) {
    let stage = '';
    for (const step of steps) {
      if (step.stage !== stage) {
        stage = step.stage;
        opts.onProgress?.(stage);
      }
      now = step.at;
      await runStep(service, step);
      if (step.key.endsWith('-skd-cut')) checkCut(await service.periodState(PERIOD_ID), world);
      if (step.key.endsWith('-decide-ranking')) checkRanking(await service.periodState(PERIOD_ID), world);
    }
  }

  return {
    periodId: PERIOD_ID,
    origin,
    agency: AGENCY.code,
    formations: FORMATIONS.length,
    applicants: count,
    entries: await store.size(origin),
    actors: world.actors.map((a) => ({ actorId: a.actorId, role: a.role, agency: a.agency })),
    planted: world.planted.map((p): Planted => ({ ...p })),
    coincidences: world.coincidences.map((c): Coincidence => ({ ...c })),
    recorded: !exists || unfinished,
  };
}

async function runStep(service: RecruitmentService, step: Step): Promise<void> {
  const request = { idempotencyKey: step.key, fingerprint: sha256(utf8(step.key)) };
  try {
    switch (step.kind) {
      case 'directory': {
        const directory = await service.directoryState();
        // Someone may have registered the agency or an actor already: theirs stands.
        if (step.skip?.agency !== undefined && directory.agencies.has(step.skip.agency)) return;
        if (step.skip?.actorId !== undefined && directory.actors.has(step.skip.actorId)) return;
        await service.executeDirectory(await step.command(), step.actor, request);
        return;
      }
      case 'open':
        await service.executePeriod(PERIOD_ID, step.command, step.actor, request);
        return;
      case 'period':
        await service.executePeriod(PERIOD_ID, step.command, step.actor, request);
        return;
      case 'batch':
        await service.executePeriodBatch(PERIOD_ID, step.commands, step.actor, request);
        return;
      default: {
        const never: never = step;
        return never;
      }
    }
  } catch (err) {
    if (err instanceof BatchError) {
      const first = err.failures.slice(0, 3).map((f) => `#${f.index} ${f.error.rule}: ${f.error.message}`);
      throw new Error(`demo step ${step.key} refused: ${first.join('; ')}`, { cause: err });
    }
    throw new Error(`demo step ${step.key} failed: ${(err as Error).message}`, { cause: err });
  }
}

/** Seals people with the deployment's vault and blind-index key. */
function sealerOf(deps: DemoDeps): Sealer {
  return {
    async submit(a) {
      const p = a.person;
      const { personal, indexes } = await sealPerson(deps.vault, deps.indexer, p.subject, {
        nik: p.nik, kk: p.kk, name: p.name, birthDate: p.birthDate, address: p.address, phone: p.phone, email: p.email, parents: [...p.parents],
      });
      if (indexes.nik === undefined) throw new Error('an applicant without a NIK index');
      return {
        type: 'SubmitApplication',
        applicationId: a.id,
        formationId: a.formation.id,
        channel: a.channel,
        submittedAt: wibIso(a.submittedAt),
        personal,
        indexes: { ...indexes, nik: indexes.nik },
        education: { level: a.education.level, ipk: a.education.ipk },
      };
    },
    async registerActor(a) {
      const base = { type: 'RegisterActor' as const, actorId: a.actorId, role: a.role, agency: a.agency };
      const p = a.person;
      if (!p) return { ...base, indexes: {} };
      const sealed = await sealPerson(deps.vault, deps.indexer, p.subject, {
        nik: p.nik, kk: p.kk, name: p.name, birthDate: p.birthDate, address: p.address, phone: p.phone, email: p.email, parents: [...p.parents],
        ...(p.bankAccount !== undefined && { bankAccount: p.bankAccount }),
      });
      return { ...base, ...sealed };
    },
    async declareRelative(a, r) {
      const sealed = await sealPerson(deps.vault, deps.indexer, r.subject, {
        name: r.name,
        ...(r.nik !== undefined && { nik: r.nik }),
        ...(r.kk !== undefined && { kk: r.kk }),
        ...(r.phone !== undefined && { phone: r.phone }),
        ...(r.birthDate !== undefined && { birthDate: r.birthDate }),
      });
      return { type: 'DeclareRelative', actorId: a.actorId, relation: r.relation, ...sealed };
    },
  };
}

/** The ledger's SKD cut must be the one the demo planned on. */
function checkCut(state: PeriodState, world: World): void {
  for (const a of world.applicants) {
    const recorded = state.applications.get(a.id)?.cutCode ?? undefined;
    if (recorded !== a.cutCode) throw new Error(`demo plan disagrees with the ledger on the SKD cut of ${a.id}: ${String(a.cutCode)} vs ${String(recorded)}`);
  }
}

/** The ledger's ranking must be the one the demo planned on. */
function checkRanking(state: PeriodState, world: World): void {
  for (const [formationId, ids] of world.rankings) {
    const recorded = state.formations.get(formationId)?.ranking?.ranking.map((r) => r.applicationId) ?? [];
    if (recorded.join() !== ids.join()) throw new Error(`demo plan disagrees with the ledger on the ranking of ${formationId}`);
  }
}
