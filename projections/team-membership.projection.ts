import type { BusinessCalendar } from '../domain/calendar/business-calendar';
import { CalendarPolicy, findCalendar } from '../domain/policies/calendar-policy';
import type { RecordedEvent } from '../src/event-store/event-store.port';
import type { ReadDocument } from '../src/read-store/read-store.port';
import { ProjectionCollection, ProjectionView, streamId } from './projection';

/**
 * A shared fold, not a read model of its own: which team a user was in, and which calendar a team
 * worked to, at any instant. Reports attribute a measured event to the owner's team at the time of
 * that event (DESIGN.md, "Report definitions"), so a projection that reports by team includes
 * {@link MEMBERSHIP_COLLECTIONS} and {@link MEMBERSHIP_EVENT_TYPES}, hands every event to
 * {@link applyMembership}, and asks {@link teamAt}. The collections are small and preloaded: the
 * runner holds them whole in memory, so lookups need no `reads`.
 *
 * Histories are kept in stream order, which is business order (occurredAt never goes back within a
 * stream). An instant before the first entry answers with the first entry: a deal imported with a
 * date before its owner was registered belongs to the team the owner joined with.
 */

export const MEMBERSHIPS = 'memberships';
export const TEAM_CALENDARS = 'team_calendars';
export const POLICIES = 'policies';

export const POLICY_PUBLISHED = 'PolicyVersionPublished';
export const CALENDAR_POLICY_ID = 'calendars.default';

export const MEMBERSHIP_COLLECTIONS: ProjectionCollection[] = [
  { name: MEMBERSHIPS, preload: true },
  { name: TEAM_CALENDARS, preload: true },
];

export const MEMBERSHIP_EVENT_TYPES = [
  'UserRegistered',
  'UserMovedToTeam',
  'TeamCreated',
  'TeamCalendarChanged',
] as const;

/** `memberships/<userId>`: the user's team from each instant on (null: in no team). */
export interface MembershipDocument extends ReadDocument {
  teams: Array<{ from: string; teamId: string | null }>;
}

/** `team_calendars/<teamId>`: the team's calendar key from each instant on. */
export interface TeamCalendarDocument extends ReadDocument {
  calendars: Array<{ from: string; key: string }>;
}

/** `policies/<policyId>`: the latest version of a policy the projection follows. */
export interface PolicyDocument<Body = Record<string, unknown>> extends ReadDocument {
  version: number;
  publishedAt: string;
  body: Body;
}

/** Folds a membership or team-calendar event; false when the event is none of those. */
export function applyMembership(event: RecordedEvent, view: ProjectionView): boolean {
  const at = event.metadata.occurredAt;
  const data = event.data as Record<string, unknown>;
  switch (event.type) {
    case 'UserRegistered':
      appendEntry(view, MEMBERSHIPS, streamId(event), 'teams', {
        from: at,
        teamId: (data.teamId as string | null | undefined) ?? null,
      });
      return true;
    case 'UserMovedToTeam':
      appendEntry(view, MEMBERSHIPS, streamId(event), 'teams', {
        from: at,
        teamId: (data.to as string | null | undefined) ?? null,
      });
      return true;
    case 'TeamCreated':
      appendEntry(view, TEAM_CALENDARS, streamId(event), 'calendars', {
        from: at,
        key: data.calendarKey as string,
      });
      return true;
    case 'TeamCalendarChanged':
      appendEntry(view, TEAM_CALENDARS, streamId(event), 'calendars', {
        from: at,
        key: data.to as string,
      });
      return true;
    default:
      return false;
  }
}

/** The team `userId` was in at `at`; undefined when the user is unknown or was in no team. */
export function teamAt(
  view: ProjectionView,
  userId: string | undefined,
  at: string,
): string | undefined {
  if (!userId) return undefined;
  const doc = view.get<MembershipDocument>(MEMBERSHIPS, userId);
  return entryAt(doc?.teams, at)?.teamId ?? undefined;
}

/** The calendar key team `teamId` worked to at `at`. */
export function calendarKeyAt(
  view: ProjectionView,
  teamId: string | undefined,
  at: string,
): string | undefined {
  if (!teamId) return undefined;
  return entryAt(view.get<TeamCalendarDocument>(TEAM_CALENDARS, teamId)?.calendars, at)?.key;
}

// ---- Policies ---------------------------------------------------------------------------------

/** Include when the projection folds policies; the runner preloads it (a handful of documents). */
export const POLICY_COLLECTION: ProjectionCollection = { name: POLICIES, preload: true };

/**
 * Keeps the latest published version of the policies named in `ids`. "Latest" is in log order, so
 * a rebuild from the same events reads the same version at the same event. Policy tables are
 * dated inside (FX rates per day, calendar holidays per date), so the latest version is also the
 * best knowledge about any past date.
 */
export function applyPolicy(
  event: RecordedEvent,
  view: ProjectionView,
  ids: readonly string[],
): boolean {
  if (event.type !== POLICY_PUBLISHED) return false;
  const data = event.data as {
    id?: string;
    version?: number;
    publishedAt?: string;
    body?: Record<string, unknown>;
  };
  if (!data.id || !ids.includes(data.id) || !data.body) return true;
  const current = view.get<PolicyDocument>(POLICIES, data.id);
  if (current && current.version >= (data.version ?? 0)) return true;
  view.put(POLICIES, {
    id: data.id,
    version: data.version ?? 0,
    publishedAt: data.publishedAt ?? event.metadata.occurredAt,
    body: data.body,
  });
  return true;
}

export function latestPolicy<Body>(
  view: ProjectionView,
  id: string,
): (Body & { id: string; version: number }) | undefined {
  const doc = view.get<PolicyDocument<Body>>(POLICIES, id);
  return doc
    ? ({ ...doc.body, id, version: doc.version } as Body & { id: string; version: number })
    : undefined;
}

/**
 * The business calendar of `userId`'s team at `at`: membership at `at`, the team's calendar key at
 * `at`, that key in the latest calendar policy. Undefined when any link is missing.
 */
export function ownerCalendarAt(
  view: ProjectionView,
  userId: string | undefined,
  at: string,
): { teamId: string; calendarKey: string; calendar: BusinessCalendar } | undefined {
  const teamId = teamAt(view, userId, at);
  const calendarKey = calendarKeyAt(view, teamId, at);
  if (!teamId || !calendarKey) return undefined;
  const policy = latestPolicy<CalendarPolicy>(view, CALENDAR_POLICY_ID);
  const calendar = policy && findCalendar(policy, calendarKey);
  return calendar ? { teamId, calendarKey, calendar } : undefined;
}

// ---- Dated histories --------------------------------------------------------------------------

function appendEntry(
  view: ProjectionView,
  collection: string,
  id: string,
  field: string,
  entry: { from: string; [key: string]: unknown },
): void {
  const doc = view.get(collection, id);
  const entries = [...((doc?.[field] as Array<{ from: string }> | undefined) ?? []), entry];
  view.put(collection, { ...(doc ?? { id }), [field]: entries });
}

/** The entry in force at `at`: the last one from at or before it, else the first one. */
export function entryAt<E extends { from: string }>(
  entries: E[] | undefined,
  at: string,
): E | undefined {
  if (!entries || entries.length === 0) return undefined;
  const instant = Date.parse(at);
  let found = entries[0];
  for (const entry of entries) {
    if (Date.parse(entry.from) <= instant) found = entry;
    else break;
  }
  return found;
}
