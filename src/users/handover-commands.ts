import { Cause } from '../../domain/shared/cause';
import { HeldRecord } from '../identity/book-of-business';

/** Recorded on every handover a deactivation makes, as the data's cause and the metadata's. */
export const DEACTIVATION_CAUSE = {
  kind: 'system',
  id: 'user-deactivation',
} as const satisfies Cause;

/** The command that hands one record from the leaver to their successor. */
export const handoverCommand = (
  record: HeldRecord,
  to: string,
  reason: string,
): { type: string; data: Record<string, unknown> } => {
  const from = record.holderId;
  const cause = { ...DEACTIVATION_CAUSE };
  switch (record.kind) {
    case 'account':
      return {
        type: 'TransferAccountOwnership',
        data: { accountId: record.id, from, to, reason, cause },
      };
    case 'lead':
      return {
        type: 'TransferLeadOwnership',
        data: { leadId: record.id, from, to, reason, cause },
      };
    case 'deal':
      return { type: 'TransferDealOwner', data: { to, reason, cause } };
    case 'task':
      return { type: 'ReassignTask', data: { taskId: record.id, to, reason } };
  }
};
