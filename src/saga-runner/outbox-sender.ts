import type { SagaCommand } from '../../sagas/saga';
import type { ReadDocument } from '../read-store/read-store.port';

/** Sends one decided command; resolves when it is recorded (or was already), rejects to retry later. */
export type CommandDispatch = (command: SagaCommand, saga: string) => Promise<void>;

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
  const worker = async () => {
    while (next < records.length) {
      for (const entry of records[next++]) {
        const command = entry.command as SagaCommand;
        try {
          await send(command);
        } catch (error) {
          onFailure(command, error as Error);
          break;
        }
        sent.push(entry.id);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, records.length) }, worker));
  return sent;
}
