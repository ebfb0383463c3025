/**
 * Windows on a pinned clock: the app's clock (not the wall clock) decides when a
 * submission or a sanggah is made, to the millisecond at the window's edge.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, Period, expectRule, makeApplicant, submitBody, type ApplicationView, type PeriodView } from './fixtures.ts';
import { startApp, type TestApp } from './support.ts';

const DAY = 86_400_000;
const START = Date.parse('2024-08-25T03:00:00.000Z');
let now = START;

let t: TestApp;
let api: Api;
const p = (): Period => new Period(api, 'jam-2024');

beforeAll(async () => {
  t = await startApp({ clock: () => new Date(now) });
  api = new Api(t);
  await p().open({ schedule: { registration: { opens: '2024-08-20T00:00:00.000Z', closes: '2024-09-06T16:59:59.000Z' } } });
  await p().announce('F-1', 1);
});
afterAll(() => t.close());

describe('a pinned clock', () => {
  it('stamps ledger entries with the app clock', async () => {
    const period = await api.read<PeriodView>('inspector', p().path());
    const [first] = await t.store.readLedger(await api.origin('jam-2024'), 0, 1);
    expect((JSON.parse(first!.body) as { at: string }).at).toBe(new Date(START).toISOString());
    expect(period.schedule.registration).toEqual({ opens: '2024-08-20T00:00:00.000Z', closes: '2024-09-06T16:59:59.000Z' });
  });

  it('stamps a portal submission with the app clock', async () => {
    const res = await api.post('portal', p().path('/applications'), submitBody('W-1', 'F-1', makeApplicant()));
    expect(res.status, res.text).toBe(201);
    const app = await api.read<ApplicationView>('inspector', p().app('W-1'));
    expect(app.submittedAt).toBe(new Date(START).toISOString());
  });

  it('accepts an officer-recorded submission up to the close, to the second', async () => {
    now = Date.parse('2024-09-07T00:00:00.000Z');
    await api.write('officer', p().path('/applications'), submitBody('W-2', 'F-1', makeApplicant(), { submittedAt: '2024-09-06T16:59:59.000Z' }));
    expectRule(await api.post('officer', p().path('/applications'), submitBody('W-3', 'F-1', makeApplicant(), { submittedAt: '2024-09-06T17:00:00.000Z' })), 'registration-closed');
    expectRule(await api.post('officer', p().path('/applications'), submitBody('W-4', 'F-1', makeApplicant(), { submittedAt: '2024-09-07T00:00:01.000Z' })), 'registration-closed');
  });

  it('refuses a submission time in the future of the app clock', async () => {
    now = Date.parse('2024-09-01T00:00:00.000Z');
    expectRule(await api.post('officer', p().path('/applications'), submitBody('W-5', 'F-1', makeApplicant(), { submittedAt: '2024-09-01T00:00:01.000Z' })), 'submitted-in-future');
  });

  it('keeps the sanggah window open for exactly 3 days after the administrasi publication', async () => {
    now = Date.parse('2024-09-10T02:00:00.000Z');
    await p().verified('W-2', 'TMS');
    await api.write('officer', p().path('/applications'), submitBody('W-6', 'F-1', makeApplicant(), { submittedAt: '2024-09-05T00:00:00.000Z' }));
    await p().verified('W-6', 'TMS');
    const published = Date.parse('2024-09-12T05:00:00.000Z');
    now = published;
    await p().publish('administrasi');
    now = published + 3 * DAY;
    await api.write('portal', p().app('W-2', '/sanggah'), { reason: 'tepat pada batas waktu' });
    now = published + 3 * DAY + 1;
    const late = expectRule(await api.post('portal', p().app('W-6', '/sanggah'), { reason: 'satu milidetik terlambat' }), 'sanggah-window');
    expect(late.closes).toBe(new Date(published + 3 * DAY).toISOString());
  });

  it('lets an amended schedule move the sanggah window', async () => {
    await api.write('supervisor', p().path('/schedule/amendments'), {
      stage: 'sanggah',
      opens: new Date(Date.parse('2024-09-12T05:00:00.000Z')).toISOString(),
      closes: new Date(now + DAY).toISOString(),
      reason: 'gangguan portal SSCASN',
      reference: 'PENG-PERPANJANGAN-SANGGAH',
    });
    await api.write('portal', p().app('W-6', '/sanggah'), { reason: 'setelah perpanjangan' });
    const period = await api.read<PeriodView>('inspector', p().path());
    expect(period.schedule.sanggah?.closes).toBe(new Date(now + DAY).toISOString());
  });
});
