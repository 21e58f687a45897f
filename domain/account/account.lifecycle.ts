import { Lifecycle } from './account.commands';

/**
 * The one place that says where a customer relationship may go next.
 *
 *   potential -> active, won, dormant, lost     a first order may come straight from a prospect
 *   active    -> won, repeat, dormant, lost     repeat: a reactivated former customer orders again
 *   won       -> repeat, dormant, lost
 *   repeat    -> dormant, lost                  further orders keep it at repeat
 *   dormant   -> active, won, repeat, lost      woken up by a reply or an order
 *   lost      -> potential, active              reactivation only; an order needs an active deal first
 *
 * On top of the table: "won" is the first order, so a customer who has ordered before goes to
 * "repeat" instead, and "repeat" needs an earlier win.
 */
export const LIFECYCLE_TRANSITIONS: Readonly<Record<Lifecycle, readonly Lifecycle[]>> = {
  potential: ['active', 'won', 'dormant', 'lost'],
  active: ['won', 'repeat', 'dormant', 'lost'],
  won: ['repeat', 'dormant', 'lost'],
  repeat: ['dormant', 'lost'],
  dormant: ['active', 'won', 'repeat', 'lost'],
  lost: ['potential', 'active'],
};

export type LifecycleVerdict =
  'ok' | 'unchanged' | 'not_allowed' | 'repeat_expected' | 'no_prior_win';

export const judgeLifecycleChange = (
  from: Lifecycle,
  to: Lifecycle,
  hasOrdered: boolean,
): LifecycleVerdict => {
  if (from === to) return 'unchanged';
  if (!LIFECYCLE_TRANSITIONS[from].includes(to)) return 'not_allowed';
  if (to === 'won' && hasOrdered) return 'repeat_expected';
  if (to === 'repeat' && !hasOrdered) return 'no_prior_win';
  return 'ok';
};
