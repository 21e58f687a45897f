import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGGREGATES } from '../../../src/commands/aggregates';
import type { CommandEnvelope } from '../../../src/commands/command-envelope';
import { CommandPipeline } from '../../../src/commands/command-pipeline';
import type { EventStore } from '../../../src/event-store/event-store.port';
import { SqliteEventStore } from '../../../src/event-store/sqlite/sqlite-event-store';
import { PersonalDataCipher } from '../../../src/personal-data/personal-data-cipher';
import { PERSONAL_FIELDS } from '../../../src/personal-data/personal-fields';
import { SqliteSubjectKeyStore } from '../../../src/personal-data/sqlite-subject-key-store';

const automation = AGGREGATES.automation.kind;
const SYSTEM = { userId: 'system', role: 'system' };
const at = (minutes: number) =>
  new Date(Date.parse('2026-03-02T09:00:00.000Z') + minutes * 60_000).toISOString();

const decision = (step: string, minutes: number, data: Record<string, unknown> = {}) => ({
  command: {
    type: 'RecordAutomationDecision',
    data: {
      saga: 'sla-escalation',
      recordKind: 'lead',
      recordId: 'lead-1',
      decision: 'scheduled',
      step,
      ...data,
    },
  },
  envelope: {
    commandId: `sla:${step}`,
    actor: SYSTEM,
    cause: { kind: 'saga', id: 'sla-escalation' },
    occurredAt: at(minutes),
    mayBackdate: true,
  } as CommandEnvelope,
});

describe('a record’s saga commands in one append (CommandPipeline.executeInOrder)', () => {
  let dir: string;
  let events: SqliteEventStore;
  let keys: SqliteSubjectKeyStore;
  let pipeline: CommandPipeline;
  let appends: number;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'in-order-'));
    events = SqliteEventStore.open({ file: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
    keys = new SqliteSubjectKeyStore(join(dir, 'keys.sqlite'), Buffer.alloc(32, 5));
    appends = 0;
    const counted: EventStore = Object.create(events);
    counted.append = (...args) => {
      appends += 1;
      return events.append(...args);
    };
    pipeline = new CommandPipeline(counted, new PersonalDataCipher(keys, PERSONAL_FIELDS), {
      now: () => new Date(at(60)),
    });
  });

  afterEach(async () => {
    await events.close();
    await keys.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (items: ReturnType<typeof decision>[]) =>
    pipeline.executeInOrder(automation, 'lead-1', items as never, undefined as never);
  const stored = async () =>
    (await events.readStream('automation-lead-1')).map((e) => ({
      step: e.data.step,
      commandId: e.metadata.commandId,
      occurredAt: e.metadata.occurredAt,
      revision: e.revision,
    }));

  it('records every command in order, each with its own id and time, in one append', async () => {
    const recorded = await run([
      decision('target', 1),
      decision('level_1', 1),
      decision('level_2', 2),
    ]);
    expect(recorded).toBe(3);
    expect(appends).toBe(1);
    expect(await stored()).toEqual([
      { step: 'target', commandId: 'sla:target', occurredAt: at(1), revision: 0 },
      { step: 'level_1', commandId: 'sla:level_1', occurredAt: at(1), revision: 1 },
      { step: 'level_2', commandId: 'sla:level_2', occurredAt: at(2), revision: 2 },
    ]);
  });

  it('counts commands already recorded without recording them again', async () => {
    await run([decision('target', 1), decision('level_1', 1)]);
    expect(await run([decision('target', 1), decision('level_1', 1), decision('level_2', 2)])).toBe(
      3,
    );
    expect((await stored()).map((e) => e.step)).toEqual(['target', 'level_1', 'level_2']);
  });

  it('stops before a command the decider refuses, and records the ones before it', async () => {
    const refused = decision('level_1', 1, { decision: 'no-such-decision' });
    expect(await run([decision('target', 1), refused, decision('level_2', 2)])).toBe(1);
    expect((await stored()).map((e) => e.step)).toEqual(['target']);
  });

  it('stops before a command dated before the record’s last change (the single send re-dates it)', async () => {
    await run([decision('target', 5), decision('level_1', 5)]);
    expect(await run([decision('level_2', 6), decision('level_3', 4)])).toBe(1);
    expect((await stored()).map((e) => e.step)).toEqual(['target', 'level_1', 'level_2']);
  });

  it('goes on from what another writer appended meanwhile, without duplicating it', async () => {
    const first = run([decision('target', 1), decision('level_1', 1)]);
    const second = run([decision('target', 1), decision('level_1', 1), decision('level_2', 2)]);
    expect(await Promise.all([first, second])).toEqual([2, 3]);
    expect((await stored()).map((e) => e.step)).toEqual(['target', 'level_1', 'level_2']);
  });
});
