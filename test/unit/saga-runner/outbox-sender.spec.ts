import type { SagaCommand } from '../../../sagas/saga';
import { sendOutboxEntries } from '../../../src/saga-runner/outbox-sender';

const entry = (sequence: number, record: string, step: string) => ({
  id: `${String(sequence).padStart(12, '0')}:${record}:${step}`,
  sequence,
  command: {
    aggregate: 'automation',
    id: record,
    commandId: `${record}:${step}`,
    type: 'RecordAutomationDecision',
    data: {},
    occurredAt: '2026-03-02T09:00:00.000Z',
  } satisfies SagaCommand,
});

const tick = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 5));

describe('outbox sender', () => {
  it("sends different records' commands side by side, each record's in outbox order", async () => {
    const entries = [
      entry(1, 'a', '1'),
      entry(2, 'b', '1'),
      entry(3, 'a', '2'),
      entry(4, 'c', '1'),
      entry(5, 'a', '3'),
      entry(6, 'b', '2'),
    ];
    const recorded: string[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const sent = await sendOutboxEntries(
      entries,
      async (command) => {
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await tick();
        recorded.push(command.commandId);
        inFlight--;
      },
      () => undefined,
      2,
    );
    expect(sent.sort()).toEqual(entries.map((e) => e.id).sort());
    expect(mostInFlight).toBe(2);
    const of = (record: string) => recorded.filter((id) => id.startsWith(`${record}:`));
    expect(of('a')).toEqual(['a:1', 'a:2', 'a:3']);
    expect(of('b')).toEqual(['b:1', 'b:2']);
  });

  it("a failed send holds back that record's later commands only", async () => {
    const entries = [
      entry(1, 'a', '1'),
      entry(2, 'b', '1'),
      entry(3, 'b', '2'),
      entry(4, 'a', '2'),
    ];
    const failures: string[] = [];
    const sent = await sendOutboxEntries(
      entries,
      async (command) => {
        await tick();
        if (command.commandId === 'b:1') throw new Error('store unavailable');
      },
      (command, error) => failures.push(`${command.commandId}: ${error.message}`),
    );
    expect(sent.sort()).toEqual([entries[0].id, entries[3].id]);
    expect(failures).toEqual(['b:1: store unavailable']);
  });

  it("sends a record's commands in one append where it can, and the one that must go alone alone", async () => {
    const entries = [
      entry(1, 'a', '1'),
      entry(2, 'a', '2'),
      entry(3, 'a', '3'),
      entry(4, 'a', '4'),
    ];
    const batches: string[][] = [];
    const alone: string[] = [];
    const sent = await sendOutboxEntries(
      entries,
      async (command) => void alone.push(command.commandId),
      () => undefined,
      4,
      // Records up to, not including, step 3 (as if the pipeline had to refuse or re-date it).
      async (commands) => {
        batches.push(commands.map((c) => c.commandId));
        const stop = commands.findIndex((c) => c.commandId === 'a:3');
        return stop < 0 ? commands.length : stop;
      },
    );
    expect(batches).toEqual([['a:1', 'a:2', 'a:3', 'a:4']]);
    expect(alone).toEqual(['a:3', 'a:4']);
    expect(sent).toEqual(entries.map((e) => e.id));
  });

  it('a failed append of several falls back to single sends, which report the failure', async () => {
    const entries = [entry(1, 'a', '1'), entry(2, 'a', '2')];
    const failures: string[] = [];
    const sent = await sendOutboxEntries(
      entries,
      async () => {
        throw new Error('store unavailable');
      },
      (command, error) => failures.push(`${command.commandId}: ${error.message}`),
      4,
      async () => {
        throw new Error('store unavailable');
      },
    );
    expect(sent).toEqual([]);
    expect(failures).toEqual(['a:1: store unavailable']);
  });
});
