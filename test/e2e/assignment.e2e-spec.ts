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
  describe('in the same append as the inquiry', () => {
    let running: RunningApp;
    let intake: ReturnType<typeof httpClient>;
    let manager: ReturnType<typeof httpClient>;
    const ownerOf = async (id: string) =>
      (await manager.get(`/api/leads/${id}`)).body.state.ownerId as string;

    beforeEach(async () => {
      running = await startApp(undefined, { clock });
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
      intake = httpClient(running.baseUrl, { id: 'alibaba', role: 'intake' });
      manager = httpClient(running.baseUrl, { id: 'u-boss', role: 'manager' });
    });

    afterEach(() => running.stop());

    it('records the inquiry and its rule assignment as one command', async () => {
      const created = await intake.post('/api/inquiries', inquiry(300));
      expect(created).toMatchObject({
        status: 201,
        body: { events: ['InquiryReceived', 'LeadAssigned'], revision: 1, replayed: false },
      });
      const [received, assigned] = (await manager.get(`/api/leads/${created.body.id}/history`))
        .body;
      expect(received).toMatchObject({
        type: 'InquiryReceived',
        actor: { userId: 'intake:alibaba', role: 'intake' },
      });
      expect(assigned).toMatchObject({
        type: 'LeadAssigned',
        actor: { userId: 'system', role: 'system' },
        cause: { kind: 'rule', id: 'assignment.default#gulf-inquiries', version: 1 },
        data: {
          to: GULF[0],
          cause: { kind: 'rule', id: 'assignment.default#gulf-inquiries', version: 1 },
        },
      });
      expect(assigned.reason).toMatch(/round robin/);
      expect(assigned.reason).toBe(assigned.data.reason);
      // One command, one append: the same command id, business time and time of recording.
      expect(assigned.commandId).toBe(received.commandId);
      expect(assigned.occurredAt).toBe(received.occurredAt);
      expect(assigned.recordedAt).toBe(received.recordedAt);
      expect(received.reason).toBeUndefined();
    });

    it('answers a retry with the original result, without appending or taking a turn', async () => {
      const key = { 'Idempotency-Key': 'alibaba-inquiry-301' };
      const first = await intake.post('/api/inquiries', inquiry(301), key);
      expect(first.body).toMatchObject({ events: ['InquiryReceived', 'LeadAssigned'] });
      const again = await intake.post('/api/inquiries', inquiry(301), key);
      expect(again).toMatchObject({ status: 201, body: { ...first.body, replayed: true } });
      expect((await manager.get(`/api/leads/${first.body.id}/history`)).body).toHaveLength(2);

      // Retries racing new inquiries: the retries take no turn, the new inquiries take the next ones.
      const racing = await Promise.all([
        intake.post('/api/inquiries', inquiry(301), key),
        intake.post('/api/inquiries', inquiry(302)),
        intake.post('/api/inquiries', inquiry(301), key),
        intake.post('/api/inquiries', inquiry(303)),
      ]);
      expect(racing[0].body).toEqual({ ...first.body, replayed: true });
      expect(racing[2].body).toEqual({ ...first.body, replayed: true });
      const owners = [
        await ownerOf(first.body.id),
        await ownerOf(racing[1].body.id),
        await ownerOf(racing[3].body.id),
      ];
      expect([...owners].sort()).toEqual(GULF);
      const next = await intake.post('/api/inquiries', inquiry(304));
      expect(await ownerOf(next.body.id)).toBe(GULF[0]);
    });

    it('gives back the turn of an inquiry that is refused after its owner was decided', async () => {
      const first = await intake.post('/api/inquiries', inquiry(310));
      expect(await ownerOf(first.body.id)).toBe(GULF[0]);
      // Live by the window, but refused by the pipeline: an intake key may not back-date, and
      // the time lies ahead anyway.
      const refused = await intake.post('/api/inquiries', {
        ...inquiry(311),
        occurredAt: '2026-03-10T06:30:00.000Z',
      });
      expect(refused.status).toBeGreaterThanOrEqual(400);
      const next = await intake.post('/api/inquiries', inquiry(312));
      expect(await ownerOf(next.body.id)).toBe(GULF[1]);
    });
  });
});
