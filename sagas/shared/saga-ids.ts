import { v5 as uuidv5 } from 'uuid';

/** The namespace of ids derived from command ids; the same as `deriveId` in src/http/command-sender. */
const DERIVED_IDS = '6f1c8f52-3f7e-4d2a-9a57-3f1b0c9f2a11';

/**
 * A record id derived from the command that creates it (e.g. a task from its CreateTask command),
 * so a redelivered timer or a replay names the same record and the stream's history makes the
 * second creation a no-op. Equal to `deriveId(commandId, role)` on the application side.
 */
export const deriveSagaId = (commandId: string, role: string): string =>
  uuidv5(`${role}:${commandId}`, DERIVED_IDS);
