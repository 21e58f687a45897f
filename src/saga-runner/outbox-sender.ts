import type { SagaCommand } from '../../sagas/saga';
import type { ReadDocument } from '../read-store/read-store.port';

/** Sends one decided command; resolves when it is recorded (or was already), rejects to retry later. */
export type CommandDispatch = (command: SagaCommand, saga: string) => Promise<void>;

/**
 * Sends a record's commands in order, as many as go in one append; resolves to how many were
 * recorded (0: send the first alone).
 */
export type CommandDispatchInOrder = (commands: SagaCommand[], saga: string) => Promise<number>;

/** Commands to different records are sent side by side, so their appends share group commits. */
export const OUTBOX_SENDS_IN_FLIGHT = 32;

/**
 * Sends outbox entries (in sequence order) and returns the ids of those recorded. Each record's
 * commands go one after another in outbox order, so a record's history keeps the saga's order;
 * different records go side by side. A failed send stops only its record's later commands, which
 * stay in the outbox for the next round.
 */
export async function sendOutboxEntries(
  entries: ReadDocument[],
  send: (command: SagaCommand) => Promise<void>,
  onFailure: (command: SagaCommand, error: Error) => void,
  inFlight = OUTBOX_SENDS_IN_FLIGHT,
  sendInOrder?: (commands: SagaCommand[]) => Promise<number>,
): Promise<string[]> {
  const byRecord = new Map<string, ReadDocument[]>();
  for (const entry of entries) {
    const command = entry.command as SagaCommand;
    const record = `${command.aggregate}-${command.id}`;
    const queue = byRecord.get(record) ?? [];
    queue.push(entry);
    byRecord.set(record, queue);
  }
  const records = [...byRecord.values()];
  const sent: string[] = [];
  let next = 0;
  const sendRecord = async (queue: ReadDocument[]) => {
    for (let at = 0; at < queue.length;) {
      if (sendInOrder && queue.length - at > 1) {
        // A failure here is found again, and reported, by sending the first one alone.
        const recorded = await sendInOrder(
          queue.slice(at).map((entry) => entry.command as SagaCommand),
        ).catch(() => 0);
        for (const entry of queue.slice(at, at + recorded)) sent.push(entry.id);
        at += recorded;
        if (at === queue.length) return;
      }
      const command = queue[at].command as SagaCommand;
      try {
        await send(command);
      } catch (error) {
        onFailure(command, error as Error);
        return;
      }
      sent.push(queue[at].id);
      at += 1;
    }
  };
  const worker = async () => {
    while (next < records.length) await sendRecord(records[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, records.length) }, worker));
  return sent;
}
