import { Role } from '../../../domain/shared/roles';
import { EventActor } from '../../event-store/event-store.port';
import { COUNTRIES, Region } from './countries';
import { Random } from './random';

const DAY = 86_400_000;
const STAFF_DOMAIN = 'ningbo-flowtech.example';

export interface Member {
  /** A user id like the ones identity issues (UUIDv7). */
  id: string;
  name: string;
  email: string;
  role: Role;
  teamKey?: Region;
}

export interface Rep extends Member {
  region: Region;
  /** The zone of the team calendar the rep works to (reps keep their buyers' office hours). */
  shiftZone: string;
  languages: string[];
  joinsAt?: number;
  leavesAt?: number;
  /** Away and skipped by assignment. */
  away?: { from: number; to: number };
}

export interface SalesTeam {
  key: Region;
  id: string;
  name: string;
  countries: string[];
  calendarKey: string;
  zone: string;
  leadId?: string;
}

export interface Team {
  reps: Rep[];
  teams: SalesTeam[];
  manager: Member;
  teamLead: Member;
  managerActor: EventActor;
  teamLeadActor: EventActor;
  /** The rep who leaves, the colleague who takes over, and when. */
  departure?: { leaver: Rep; successor: Rep; at: number };
}

export const actorOf = (member: Member): EventActor => ({ userId: member.id, role: member.role });

const TEAMS: Array<Omit<SalesTeam, 'id' | 'countries'>> = [
  { key: 'mena', name: 'Middle East & Türkiye', calendarKey: 'dubai-sales', zone: 'Asia/Dubai' },
  { key: 'europe', name: 'Europe', calendarKey: 'berlin-sales', zone: 'Europe/Berlin' },
  { key: 'americas', name: 'Americas', calendarKey: 'chicago-sales', zone: 'America/Chicago' },
  {
    key: 'apac_africa',
    name: 'Asia-Pacific & Africa',
    calendarKey: 'shenzhen-sales',
    zone: 'Asia/Shanghai',
  },
];

const email = (name: string): string =>
  `${name.toLowerCase().replace(/\s+/g, '.')}@${STAFF_DOMAIN}`;

/**
 * Eight reps in four regional teams, a team lead and the sales manager; one rep leaves during the
 * period and a new hire takes over their book. Ids are drawn from the run's id generator.
 */
export function buildTeam(from: number, until: number, ids: Random): Team {
  const span = until - from;
  const leaveAt = until - Math.min(150 * DAY, Math.floor(span * 0.3));
  const teams: SalesTeam[] = TEAMS.map((team) => ({
    ...team,
    id: ids.uuidv7(from - 60 * DAY),
    countries: COUNTRIES.filter((country) => country.region === team.key).map((c) => c.code),
  }));
  const zoneOf = (region: Region) => teams.find((team) => team.key === region)!.zone;
  const rep = (
    name: string,
    region: Region,
    languages: string[],
    extra: Partial<Rep> = {},
  ): Rep => ({
    id: ids.uuidv7(from - 60 * DAY),
    name,
    email: email(name),
    role: 'rep',
    teamKey: region,
    region,
    shiftZone: zoneOf(region),
    languages,
    ...extra,
  });
  const reps: Rep[] = [
    rep('Li Na', 'mena', ['en', 'ar']),
    rep('Omar Haddad', 'mena', ['en', 'ar', 'tr'], { leavesAt: leaveAt }),
    rep('Sara Khan', 'mena', ['en', 'ar'], { joinsAt: leaveAt - 21 * DAY }),
    rep('Anna Schmidt', 'europe', ['en', 'de', 'fr']),
    rep('Wang Lei', 'europe', ['en']),
    rep('Carlos Mendes', 'americas', ['en', 'es', 'pt']),
    rep('Emily Zhou', 'americas', ['en']),
    rep('Priya Nair', 'apac_africa', ['en', 'hi']),
    rep('Chen Jie', 'apac_africa', ['en', 'vi'], {
      away: { from: until - 300 * DAY, to: until - 279 * DAY },
    }),
  ];
  const teamLead: Member = {
    id: ids.uuidv7(from - 60 * DAY),
    name: 'Liu Yang',
    email: email('Liu Yang'),
    role: 'team_lead',
    teamKey: 'mena',
  };
  teams[0].leadId = teamLead.id;
  const manager: Member = {
    id: ids.uuidv7(from - 60 * DAY),
    name: 'Zhang Min',
    email: email('Zhang Min'),
    role: 'manager',
  };
  const leaver = reps[1];
  const successor = reps[2];
  return {
    reps,
    teams,
    manager,
    teamLead,
    managerActor: actorOf(manager),
    teamLeadActor: actorOf(teamLead),
    departure: leaveAt > from + 60 * DAY ? { leaver, successor, at: leaveAt } : undefined,
  };
}

/** Employed at `at` (whether or not away). */
export const employed = (rep: Rep, at: number): boolean =>
  (rep.joinsAt === undefined || rep.joinsAt <= at) &&
  (rep.leavesAt === undefined || at < rep.leavesAt);

export const available = (rep: Rep, at: number): boolean =>
  employed(rep, at) && !(rep.away && rep.away.from <= at && at < rep.away.to);

export const repById = (team: Team, id: string): Rep => {
  const rep = team.reps.find((candidate) => candidate.id === id);
  if (!rep) throw new Error(`No rep ${id} in the generated team`);
  return rep;
};
