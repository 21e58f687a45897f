import { httpClient } from './http-client';
import { RunningApp, startApp } from './http-app';

// A Tuesday, 10:00 in Dubai: the Gulf team is on shift.
const clock = { now: () => new Date('2026-03-10T06:00:00.000Z') };
const GULF = ['u-gulf-amal', 'u-gulf-bilal', 'u-gulf-carla'];

const inquiry = (n: number) => ({
  channel: 'alibaba',
  inquirer: { name: `Buyer ${n}`, email: `buyer${n}@trading-${n}.ae`, country: 'AE' },
});

async function ownersOf(running: RunningApp, count: number, from: number): Promise<string[]> {
  const intake = httpClient(running.baseUrl, { id: 'alibaba', role: 'intake' });
  const manager = httpClient(running.baseUrl, { id: 'u-boss', role: 'manager' });
  const owners: string[] = [];
  for (let n = from; n < from + count; n++) {
    const created = await intake.post('/api/inquiries', inquiry(n));
    expect(created.body.events).toEqual(['InquiryReceived', 'LeadAssigned']);
    owners.push((await manager.get(`/api/leads/${created.body.id}`)).body.state.ownerId);
  }
  return owners;
}

describe('assignment of live inquiries by the rules', () => {
  it('rotates through the on-shift team, skips the rep who is away, and keeps the rotation across a restart', async () => {
    const first = await startApp(undefined, { clock });
    const admin = httpClient(first.baseUrl, { id: 'u-admin', role: 'admin' });
    expect(
      (
        await admin.post('/api/teams', {
          teamId: 'gulf-sales',
          name: 'Gulf sales',
          region: ['AE', 'SA', 'QA'],
          productLines: [],
          calendarKey: 'dubai-sales',
        })
      ).status,
    ).toBe(201);
    for (const id of [...GULF, 'u-gulf-dana']) {
      await httpClient(first.baseUrl, { id, role: 'rep', teamId: 'gulf-sales' }).get(
        '/api/auth/me',
      );
    }
    const away = await httpClient(first.baseUrl, { id: 'u-gulf-dana', role: 'rep' }).post(
      '/api/users/u-gulf-dana/availability',
      { availability: 'away', reason: 'Canton Fair' },
    );
    expect(away.status).toBe(200);

    const before = await ownersOf(first, 6, 0);
    expect(before).toEqual([...GULF, ...GULF]);
    await first.stop({ keepData: true });

    const second = await startApp(first.dataDir, { clock });
    try {
      expect(await ownersOf(second, 3, 6)).toEqual(GULF);
      const manager = httpClient(second.baseUrl, { id: 'u-boss', role: 'manager' });
      const intake = httpClient(second.baseUrl, { id: 'alibaba', role: 'intake' });
      const lead = (await intake.post('/api/inquiries', inquiry(99))).body.id;
      const [, assigned] = (await manager.get(`/api/leads/${lead}/history`)).body;
      expect(assigned).toMatchObject({
        cause: { kind: 'rule', id: 'assignment.default#gulf-inquiries', version: 1 },
        actor: { userId: 'system' },
      });
      expect(assigned.reason).toMatch(/round robin/);
    } finally {
      await second.stop();
    }
  });

  it('gives simultaneous inquiries distinct turns, however their appends interleave', async () => {
    const running = await startApp(undefined, { clock });
    try {
      const admin = httpClient(running.baseUrl, { id: 'u-admin', role: 'admin' });
      await admin.post('/api/teams', {
        teamId: 'gulf-sales',
        name: 'Gulf sales',
        region: ['AE'],
        productLines: [],
        calendarKey: 'dubai-sales',
      });
      for (const id of GULF) {
        await httpClient(running.baseUrl, { id, role: 'rep', teamId: 'gulf-sales' }).get(
          '/api/auth/me',
        );
      }
      const intake = httpClient(running.baseUrl, { id: 'alibaba', role: 'intake' });
      const manager = httpClient(running.baseUrl, { id: 'u-boss', role: 'manager' });
      const created = await Promise.all(
        Array.from({ length: 9 }, (_, n) => intake.post('/api/inquiries', inquiry(200 + n))),
      );
      const owners = await Promise.all(
        created.map(
          async (response) =>
            (await manager.get(`/api/leads/${response.body.id}`)).body.state.ownerId,
        ),
      );
      for (const rep of GULF) expect(owners.filter((owner) => owner === rep)).toHaveLength(3);
    } finally {
      await running.stop();
    }
  });
});
