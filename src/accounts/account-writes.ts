import { CommandOptionsDto } from '../http/command-options.dto';

/** What CommandSender takes from a write's body: its options, and its reason for the metadata. */
export const writeOptions = ({
  occurredAt,
  expectedRevision,
  reason,
}: CommandOptionsDto & { reason?: string }): CommandOptionsDto =>
  ({ occurredAt, expectedRevision, ...(reason ? { reason } : {}) }) as CommandOptionsDto;

/** The fields a PATCH actually sent, without the command options: null stays (it clears). */
export const changedFields = (body: CommandOptionsDto): Record<string, unknown> => {
  const { occurredAt: _occurredAt, expectedRevision: _expectedRevision, ...fields } = body;
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
};
