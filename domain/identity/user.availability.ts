import { DecideContext } from '../shared/decider';
import { instantMs, isIsoInstant, isOneOf, refuse } from '../shared/validation';
import { authorize, USER_PERMISSIONS } from './identity.permissions';
import { AVAILABILITIES, SetAvailability } from './user.commands';
import { UserEvent } from './user.events';
import { activeUser, checkOptionalReason } from './user.rules';
import { UserState } from './user.state';

const checkUntil = (command: SetAvailability, now: string): void => {
  const { availability, until } = command;
  if (until === undefined) return;
  if (availability !== 'away') {
    refuse('user.away_until_invalid', 'Only an away period can have an end time.', 'until');
  }
  if (!isIsoInstant(until)) {
    refuse(
      'user.away_until_invalid',
      'Give the end of the away period in UTC ISO format, e.g. 2026-03-09T08:00:00Z.',
      'until',
    );
  }
  if (instantMs(until) <= instantMs(now)) {
    refuse('user.away_until_past', 'The end of the away period must be in the future.', 'until', {
      now,
    });
  }
};

export const setAvailability = (
  command: SetAvailability,
  state: UserState,
  { actor, now }: DecideContext,
): UserEvent[] => {
  authorize(USER_PERMISSIONS.SetAvailability, actor, command.userId);
  const user = activeUser(state);
  const { availability, until, reason } = command;
  if (!isOneOf(AVAILABILITIES, availability)) {
    refuse('user.availability_invalid', 'Availability must be available or away.', 'availability');
  }
  checkUntil(command, now);
  checkOptionalReason(reason);
  // Changing only the end of an away period is a real change (extending a trip); the reason alone is not.
  if (availability === user.availability && until === user.awayUntil) {
    refuse(
      'user.availability_unchanged',
      until === undefined
        ? `${user.name} is already ${availability}.`
        : `${user.name} is already away until ${until}.`,
      'availability',
    );
  }
  return [
    {
      type: 'UserAvailabilityChanged',
      data: {
        userId: user.userId,
        availability,
        ...(until !== undefined && { until }),
        ...(reason !== undefined && { reason }),
      },
    },
  ];
};
