import { DomainError } from '../../../domain/shared/domain-error';
import {
  OwnerPairs,
  REPORT_SCOPES,
  ReportDimension,
  ReportScope,
  SCOPE_BREAKDOWNS,
} from '../../../projections/shared/rollup';
import type { Principal } from '../../identity/identity-events';
import type { ReadStore } from '../../read-store/read-store.port';
import { calendarGroups, ReportPeriod } from '../report-period';
import type { DimensionFilters, ReportGrouping } from '../report-query.dto';
import { Sums, sumRollup, UnsupportedFilterError } from '../rollup-query';

/** Maps a projection's logical collection to the physical one of its live generation. */
export type CollectionNames = (logical: string) => string;

/**
 * What a rollup report sums: at most one dimension filter (rollup buckets keep one dimension
 * each), grouped by a dimension and/or split by calendar periods. `pick` serves "one rep within a
 * team": the team filter grouped by owner, keeping that owner's group only (named `pickAs`).
 * `within` one owner or one team, the filter and the grouping name one other dimension.
 */
export interface Selection {
  filter?: { dim: ReportDimension; value: string };
  groupBy?: ReportDimension;
  time?: 'day' | 'week' | 'month';
  pick?: string;
  pickAs?: string;
  /** The dimensions the rollup files per owner besides the team (see OwnerPairs). */
  ownerPairs?: OwnerPairs;
  within?: { dim: ReportScope; value: string };
}

const TIME_GROUPINGS = new Set<ReportGrouping>(['day', 'week', 'month']);

/** The group every row falls in when the report is not grouped. */
export const ALL_GROUP = 'all';

export function filterCombinationError(field: string, message: string): DomainError {
  return new DomainError('report.filter_combination_unsupported', message, field);
}

/**
 * Role scope on top of the caller's filters: a rep sees their own figures only, a team lead their
 * team's (one of its reps at a time, as attributed while in the team); the other report roles
 * see everything they ask for.
 */
export function scopeFilters(
  principal: Principal | undefined,
  filters: DimensionFilters,
): DimensionFilters {
  if (!principal) return filters;
  if (principal.role === 'rep') {
    const { team: _team, ...rest } = filters;
    return { ...rest, owner: principal.userId };
  }
  if (principal.role === 'team_lead') {
    if (!principal.teamId) {
      throw new DomainError(
        'auth.report_forbidden',
        'A team lead in no team has no team figures to see',
        'team',
      );
    }
    return { ...filters, team: principal.teamId };
  }
  return filters;
}

/**
 * How a rollup answers these filters and this grouping: no filter; one filter grouped by nothing,
 * by itself or (the team and `ownerPairs`) by owner; an owner beside the team or an `ownerPairs`
 * dimension (that dimension grouped by owner, keeping the one rep); or, within an owner or a
 * team, one more dimension as a filter, a grouping or both (see SCOPE_BREAKDOWNS). Anything else
 * is a 400 naming the combination.
 */
export function selectionOf(
  filters: DimensionFilters,
  grouping?: ReportGrouping,
  ownerPairs: OwnerPairs = [],
): Selection {
  const time =
    grouping && TIME_GROUPINGS.has(grouping) ? (grouping as Selection['time']) : undefined;
  const groupBy = time ? undefined : (grouping as ReportDimension | undefined);
  const given = (Object.entries(filters) as Array<[ReportDimension, string]>).filter(
    ([, value]) => value !== undefined,
  );
  const rest = {
    ...(groupBy ? { groupBy } : {}),
    ...(time ? { time } : {}),
    ...(ownerPairs.length > 0 ? { ownerPairs } : {}),
  };
  const paired =
    filters.owner === undefined
      ? undefined
      : (['team' as const, ...ownerPairs] as ReportDimension[]).find(
          (dim) => filters[dim] !== undefined,
        );
  if (paired !== undefined && given.length === 2 && (!groupBy || groupBy === 'owner')) {
    return {
      ...rest,
      filter: { dim: paired, value: filters[paired]! },
      groupBy: 'owner',
      pick: filters.owner,
      pickAs: groupBy === 'owner' ? filters.owner : ALL_GROUP,
    };
  }
  if (given.length === 0) return rest;
  const [dim, value] = given[0];
  const perRep = groupBy === 'owner' && (dim === 'team' || ownerPairs.includes(dim));
  if (given.length === 1 && (!groupBy || groupBy === dim || perRep)) {
    return { ...rest, filter: { dim, value } };
  }
  const scope = REPORT_SCOPES.find((candidate) => filters[candidate] !== undefined);
  const others = given.filter(([other]) => other !== scope);
  const [other] = others;
  const inScope = groupBy ?? other?.[0];
  if (
    scope !== undefined &&
    others.length <= 1 &&
    inScope !== undefined &&
    SCOPE_BREAKDOWNS[scope].includes(inScope) &&
    (!other || !groupBy || other[0] === groupBy)
  ) {
    return {
      ...rest,
      within: { dim: scope, value: filters[scope]! },
      ...(other ? { filter: { dim: other[0], value: other[1] } } : {}),
    };
  }
  if (scope !== undefined && others.length > 1) {
    throw filterCombinationError(
      others[1][0],
      `Within an owner or a team, a report takes one more filter (got ${others.map(([d]) => d).join(' and ')})`,
    );
  }
  if (scope === undefined && given.length > 1) {
    throw filterCombinationError(
      given[1][0],
      `A report filters by one dimension at a time, or by an owner or a team and one more (got ${given.map(([d]) => d).join(' and ')})`,
    );
  }
  throw filterCombinationError(
    'groupBy',
    scope === undefined
      ? `A report can filter by ${dim} or group by ${groupBy}, not both at once (within an owner or a team it can)`
      : `Within ${scope === 'owner' ? 'an owner' : 'a team'}, a report groups by the other filter or by one of ${SCOPE_BREAKDOWNS[scope].join(', ')}`,
  );
}

/**
 * Sums a rollup over the period, per group: calendar periods in the report's time zone, values of
 * a dimension, or one group `all`. Reads bucket documents only (a few per group and level).
 */
export async function sumGroups(
  store: ReadStore,
  collection: string,
  period: ReportPeriod,
  selection: Selection,
): Promise<Array<{ group: string; sums: Sums }>> {
  if (selection.time) {
    const result: Array<{ group: string; sums: Sums }> = [];
    for (const group of calendarGroups(period, selection.time)) {
      const sums = await sumSelected(store, collection, group.from, group.to, selection);
      // Calendar groups within a single dimension group (or the whole population).
      const [only] = [...sums.values()];
      result.push({ group: group.key, sums: only ?? {} });
    }
    return result;
  }
  return groupsOf(
    await sumSelected(store, collection, period.from, period.to, selection),
    selection,
  );
}

/** Rows in a stable order: one `all` group, or the dimension's values sorted. */
export function groupsOf(
  sums: Map<string, Sums>,
  selection: Selection,
): Array<{ group: string; sums: Sums }> {
  if (!selection.groupBy || selection.pick !== undefined) {
    const key = selection.pickAs ?? ALL_GROUP;
    return [{ group: key, sums: sums.get(key) ?? {} }];
  }
  return [...sums.entries()]
    .map(([group, groupSums]) => ({ group, sums: groupSums }))
    .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
}

/** One period, one selection; a `pick` answers as the single group `pickAs`. */
export async function sumSelected(
  store: ReadStore,
  collection: string,
  from: Date,
  to: Date,
  selection: Selection,
): Promise<Map<string, Sums>> {
  try {
    const sums = await sumRollup(store, collection, {
      from,
      to,
      filter: selection.filter,
      groupBy: selection.groupBy,
      ownerPairs: selection.ownerPairs,
      within: selection.within,
    });
    if (selection.pick === undefined) return sums;
    const picked = sums.get(selection.pick);
    return new Map(picked ? [[selection.pickAs ?? ALL_GROUP, picked]] : []);
  } catch (error) {
    if (error instanceof UnsupportedFilterError)
      throw filterCombinationError('groupBy', error.message);
    throw error;
  }
}

/** A share rounded to 4 decimal places; null when there is nothing to divide by. */
export const ratio = (numerator: number, denominator: number): number | null =>
  denominator === 0 ? null : Math.round((numerator / denominator) * 10_000) / 10_000;
