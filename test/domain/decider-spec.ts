import { DecideContext, Decider, fold } from '../../domain/shared/decider';
import { DomainError } from '../../domain/shared/domain-error';
import { Role } from '../../domain/shared/roles';

/**
 * Given/when/then for deciders:
 *   specify(decider, policies).given(events).when(command, contextOverrides?).then(events)
 *   ... .thenThrows('code', /message/)
 */
export const DEFAULT_NOW = '2026-03-01T09:00:00.000Z';
export const DEFAULT_ACTOR: { userId: string; role: Role } = { userId: 'u-rep-1', role: 'rep' };

export type ContextOverrides<P> = Partial<Omit<DecideContext<P>, 'policies'>> & {
  policies?: P;
};

export interface WhenClause<E> {
  then(expected: E[]): void;
  thenThrows(expectedCode: string, messageMatch?: RegExp): DomainError;
  /** The events decided, for assertions that need more than equality. */
  events(): E[];
}

export interface GivenClause<C, E, P> {
  when(command: C, contextOverrides?: ContextOverrides<P>): WhenClause<E>;
}

export const specify = <C, E, S, P>(decider: Decider<C, E, S, P>, defaultPolicies?: P) => ({
  given(history: E[] = []): GivenClause<C, E, P> {
    return {
      when(command: C, overrides: ContextOverrides<P> = {}): WhenClause<E> {
        const context: DecideContext<P> = {
          now: overrides.now ?? DEFAULT_NOW,
          actor: overrides.actor ?? DEFAULT_ACTOR,
          policies: (overrides.policies ?? defaultPolicies) as P,
        };
        const run = () => decider.decide(command, fold(decider, history), context);
        return {
          then(expected: E[]) {
            expect(run()).toEqual(expected);
          },
          events() {
            return run();
          },
          thenThrows(expectedCode: string, messageMatch?: RegExp) {
            let caught: unknown;
            try {
              run();
            } catch (error) {
              caught = error;
            }
            expect(caught).toBeInstanceOf(DomainError);
            const error = caught as DomainError;
            expect(error.code).toBe(expectedCode);
            if (messageMatch) expect(error.message).toMatch(messageMatch);
            return error;
          },
        };
      },
    };
  },
});
