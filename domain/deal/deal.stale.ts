import { DomainError } from '../shared/domain-error';
import { hasRole } from '../shared/roles';
import { ClearDealStaleFlag, FlagDealStale, STALE_FLAG_CLEAR_REASONS } from './deal.commands';
import { DealContext } from './deal.context';
import { DealEvent } from './deal.events';
import { assertOpen } from './deal.guards';
import {
  invalid,
  optionalText,
  requireInstant,
  requireOneOf,
  requireWholeNumber,
} from './deal.input';
import { Deal } from './deal.state';

/** The stale flag is automation's judgement (what counts as activity lives in the saga). */
const assertSystem = (context: DealContext): void => {
  if (!hasRole(context.actor, 'system'))
    throw new DomainError(
      'deal.stale_flag.forbidden',
      'Only automation flags a deal as stale or clears the flag',
      undefined,
      { role: context.actor.role },
    );
};

export const flagStale = (
  command: FlagDealStale,
  deal: Deal,
  context: DealContext,
): DealEvent[] => {
  assertSystem(context);
  assertOpen(deal);
  const idleSince = requireInstant(command.data.idleSince, 'idleSince', 'Idle since');
  if (Date.parse(idleSince) > Date.parse(context.now))
    throw invalid('idleSince', 'Idle since may not be in the future');
  const staleAfterDays = requireWholeNumber(
    command.data.staleAfterDays,
    'staleAfterDays',
    'Stale after days',
    1,
  );
  const taskId = optionalText(command.data.taskId, 'taskId', 'Task');
  // The same idle period flagged again (a redelivered command) changes nothing.
  if (deal.staleFlag?.idleSince === idleSince) return [];
  return [
    {
      type: 'DealFlaggedStale',
      data: { idleSince, staleAfterDays, stage: deal.stage, ...(taskId && { taskId }) },
    },
  ];
};

export const clearStaleFlag = (
  command: ClearDealStaleFlag,
  deal: Deal,
  context: DealContext,
): DealEvent[] => {
  assertSystem(context);
  const reason = requireOneOf(command.data.reason, STALE_FLAG_CLEAR_REASONS, 'reason', 'Reason');
  if (!deal.staleFlag) return [];
  return [{ type: 'DealStaleFlagCleared', data: { idleSince: deal.staleFlag.idleSince, reason } }];
};
