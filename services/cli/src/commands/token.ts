/** `ledger token` and `ledger admin`: API bearer tokens, stored hashed, issued to registered actors. */
import type { RecruitmentService } from '@casn/api';
import { canonicalize, sha256, utf8 } from '@casn/ledger-core';
import { CliError, UsageError, requiredOption, writeLine, type Command } from '../command.ts';
import { withSystem, type System } from '../system.ts';

async function issueFor(system: System, actorId: string, label: string): Promise<{ id: string; token: string }> {
  const actor = await system.service.actor(actorId).catch(() => {
    throw new CliError(`actor ${actorId} is not registered or was deactivated`);
  });
  return system.tokens.issue({ actorId, role: actor.role, agency: actor.agency, label });
}

/** The token command: issue, list, revoke. */
export const token: Command = {
  name: 'token',
  summary: 'issue, list or revoke API tokens (issue|list|revoke)',
  usage: 'issue --actor ID [--label TEXT] | list [--actor ID] | revoke --id TOKEN_ID',
  description:
    'Tokens are stored as SHA-256 hashes; an issued token is printed once on stdout and cannot be shown again. ' +
    'The token carries the role and agency the actor has in the directory ledger.',
  options: {
    actor: { type: 'string', arg: 'ID', help: 'the registered actor' },
    label: { type: 'string', arg: 'TEXT', help: 'what the token is for (default: cli)' },
    id: { type: 'string', arg: 'TOKEN_ID', help: 'the token to revoke' },
  },
  positionals: ['action'],
  async run(args, { io, config }) {
    const action = args.positionals[0];
    return withSystem(config(), async (system) => {
      if (action === 'issue') {
        const actorId = requiredOption(args, 'actor');
        const label = typeof args.options.label === 'string' ? args.options.label : 'cli';
        const issued = await issueFor(system, actorId, label);
        writeLine(io.stdout, issued.token);
        writeLine(io.stderr, `issued token ${issued.id} to ${actorId}; it is shown only this once`);
        return 0;
      }
      if (action === 'list') {
        const actorId = typeof args.options.actor === 'string' ? args.options.actor : undefined;
        for (const t of await system.tokens.list(actorId)) writeLine(io.stdout, JSON.stringify(t));
        return 0;
      }
      if (action === 'revoke') {
        const id = requiredOption(args, 'id');
        if (!(await system.tokens.revoke(id))) throw new CliError(`no active token ${id}`);
        writeLine(io.stderr, `revoked token ${id}`);
        return 0;
      }
      throw new UsageError(`unknown action ${action ?? ''}: use issue, list or revoke`);
    });
  },
};

/** Records ActorRegistered for an administrator, acting as the system, unless the actor exists; true when registered now. */
export async function registerAdmin(service: RecruitmentService, actorId: string): Promise<boolean> {
  if ((await service.directoryState()).actors.has(actorId)) return false;
  const command = { type: 'RegisterActor', actorId, role: 'admin', agency: null, indexes: {} } as const;
  await service.executeDirectory(command, { id: 'system', role: 'admin', agency: null }, {
    idempotencyKey: `bootstrap-admin-${actorId}`,
    fingerprint: sha256(utf8(canonicalize(command))),
  });
  return true;
}

/** The admin command: registers the first administrator and prints their token. */
export const admin: Command = {
  name: 'admin',
  summary: 'register an administrator in the directory and issue their token',
  usage: '--id ID',
  description:
    'Bootstraps a deployment: records ActorRegistered for an admin (as the system) unless that actor exists, ' +
    'then prints a new token for them. Administrators register agencies, actors and periods through the API.',
  options: { id: { type: 'string', arg: 'ID', help: 'the administrator actor id', required: true } },
  positionals: [],
  async run(args, { io, config }) {
    const actorId = requiredOption(args, 'id');
    return withSystem(config(), async (system) => {
      if (await registerAdmin(system.service, actorId)) writeLine(io.stderr, `registered admin ${actorId}`);
      const issued = await issueFor(system, actorId, 'bootstrap');
      writeLine(io.stdout, issued.token);
      return 0;
    });
  },
};
