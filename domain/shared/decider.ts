/**
 * Every aggregate is a decider: pure functions, no I/O, no clock. Time, the actor and the
 * policies in force come in with the command's context.
 */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
}

export interface PolicyRef {
  id: string;
  version: number;
}

export interface DecideContext<Policies = unknown> {
  /** Business time of the command (ISO 8601 UTC). Becomes the events' occurredAt. */
  now: string;
  actor: { userId: string; role: string };
  policies: Policies;
}

export interface Decider<Command, Event, State, Policies = unknown> {
  initialState: State;
  decide(command: Command, state: State, context: DecideContext<Policies>): Event[];
  evolve(state: State, event: Event): State;
}

export const fold = <Event, State>(
  decider: Pick<Decider<never, Event, State>, 'initialState' | 'evolve'>,
  events: Iterable<Event>,
): State => {
  let state = decider.initialState;
  for (const event of events) state = decider.evolve(state, event);
  return state;
};
