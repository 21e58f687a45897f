import type { ProjectionCollection, ProjectionView } from '../projections/projection';
import { streamId } from '../projections/projection';
import { entryAt } from '../projections/team-membership.projection';
import type { RecordedEvent } from '../src/event-store/event-store.port';
import type { ReadDocument } from '../src/read-store/read-store.port';

/**
 * Who is chased when an SLA clock runs late: the lead of the owner's team and its managers (users
 * with the manager role in that team), as they were at the instant of the escalation. Folded from
 * team and user events into two small preloaded collections, dated like the team-membership fold.
 */
export const SLA_TEAMS = 'sla_teams';
export const SLA_USERS = 'sla_users';

export const SLA_PEOPLE_COLLECTIONS: ProjectionCollection[] = [
  { name: SLA_TEAMS, preload: true },
  { name: SLA_USERS, preload: true },
];

export const SLA_PEOPLE_EVENT_TYPES = [
  'TeamCreated',
  'TeamLeadChanged',
  'UserRegistered',
  'UserRoleChanged',
  'UserMovedToTeam',
  'UserDeactivated',
  'UserReactivated',
] as const;

/** `sla_teams/<teamId>`: the team lead and the team's managers from each instant on. */
interface TeamPeopleDocument extends ReadDocument {
  leads?: Array<{ from: string; userId: string | null }>;
  managers?: Array<{ from: string; ids: string[] }>;
}

/** `sla_users/<userId>`: what makes the user a team's manager, now. */
interface UserDocument extends ReadDocument {
  role: string;
  teamId: string | null;
  active: boolean;
}

/** Folds a team or user event; false when the event is none of those. */
export function applySlaPeople(event: RecordedEvent, view: ProjectionView): boolean {
  const at = event.metadata.occurredAt;
  const data = event.data as Record<string, unknown>;
  const id = streamId(event);
  switch (event.type) {
    case 'TeamCreated':
      addTeamLead(view, id, at, (data.leadId as string | null | undefined) ?? null);
      return true;
    case 'TeamLeadChanged':
      addTeamLead(view, id, at, (data.to as string | null | undefined) ?? null);
      return true;
    case 'UserRegistered':
      changeUser(view, id, at, {
        role: data.role as string,
        teamId: (data.teamId as string | null | undefined) ?? null,
        active: true,
      });
      return true;
    case 'UserRoleChanged':
      changeUser(view, id, at, { role: data.to as string });
      return true;
    case 'UserMovedToTeam':
      changeUser(view, id, at, { teamId: (data.to as string | null | undefined) ?? null });
      return true;
    case 'UserDeactivated':
      changeUser(view, id, at, { active: false });
      return true;
    case 'UserReactivated':
      changeUser(view, id, at, { active: true });
      return true;
    default:
      return false;
  }
}

export function teamLeadAt(
  view: ProjectionView,
  teamId: string | undefined,
  at: string,
): string | undefined {
  if (!teamId) return undefined;
  return entryAt(view.get<TeamPeopleDocument>(SLA_TEAMS, teamId)?.leads, at)?.userId ?? undefined;
}

/** The team's active managers at `at`, sorted by id so the choice of the first is stable. */
export function teamManagersAt(
  view: ProjectionView,
  teamId: string | undefined,
  at: string,
): string[] {
  if (!teamId) return [];
  const managers = view.get<TeamPeopleDocument>(SLA_TEAMS, teamId)?.managers;
  // Before the first manager joined the team, it had none (unlike entryAt's "first entry").
  if (!managers?.length || Date.parse(managers[0].from) > Date.parse(at)) return [];
  return entryAt(managers, at)?.ids ?? [];
}

function addTeamLead(view: ProjectionView, teamId: string, at: string, userId: string | null) {
  const doc = view.get<TeamPeopleDocument>(SLA_TEAMS, teamId) ?? { id: teamId };
  view.put(SLA_TEAMS, { ...doc, leads: [...(doc.leads ?? []), { from: at, userId }] });
}

const managerOf = (user: UserDocument | undefined): string | null =>
  user && user.active && user.role === 'manager' ? user.teamId : null;

function changeUser(
  view: ProjectionView,
  userId: string,
  at: string,
  change: Partial<Omit<UserDocument, 'id'>>,
): void {
  const before = view.get<UserDocument>(SLA_USERS, userId);
  const after: UserDocument = {
    ...(before ?? { id: userId, role: 'rep', teamId: null, active: true }),
    ...change,
  };
  view.put(SLA_USERS, after);
  const [from, to] = [managerOf(before), managerOf(after)];
  if (from === to) return;
  if (from) changeManagers(view, from, at, (ids) => ids.filter((id) => id !== userId));
  if (to) changeManagers(view, to, at, (ids) => [...ids, userId].sort());
}

function changeManagers(
  view: ProjectionView,
  teamId: string,
  at: string,
  change: (ids: string[]) => string[],
): void {
  const doc = view.get<TeamPeopleDocument>(SLA_TEAMS, teamId) ?? { id: teamId };
  const managers = doc.managers ?? [];
  const current = managers.length ? managers[managers.length - 1].ids : [];
  view.put(SLA_TEAMS, { ...doc, managers: [...managers, { from: at, ids: change(current) }] });
}
