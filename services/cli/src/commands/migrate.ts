/** `ledger migrate`: brings the database schema up to date. */
import { migrateToLatest } from '@casn/event-store';
import { writeLine, type Command } from '../command.ts';
import { withStore } from '../open-store.ts';

/** The migrate command. */
export const migrate: Command = {
  name: 'migrate',
  summary: 'bring the database schema up to date',
  usage: '',
  description: 'Applies every migration the database has not had yet, in order, and names each one applied.',
  options: {},
  positionals: [],
  async run(_args, { io, config }) {
    const results = await withStore(config(), { schema: 'create' }, (store) => migrateToLatest(store.database));
    for (const r of results) writeLine(io.stdout, `applied migration ${r.migrationName}`);
    if (results.length === 0) writeLine(io.stdout, 'schema is up to date');
    return 0;
  },
};
