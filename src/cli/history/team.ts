import { EventActor } from '../../event-store/event-store.port';
import { Region } from './countries';

const DAY = 86_400_000;

export interface Rep {
  id: string;
  name: string;
  region: Region;
  /** The zone whose office hours the rep works (reps keep their buyers' hours). */
  shiftZone: string;
  languages: string[];
  joinsAt?: number;
  leavesAt?: number;
  /** Away and skipped by assignment. */
  away?: { from: number; to: number };
}

export interface Team {
  reps: Rep[];
  manager: EventActor;
  teamLead: EventActor;
  /** The rep who leaves, the colleague who takes over, and when. */
  departure?: { leaver: Rep; successor: Rep; at: number };
}

export const actorOf = (rep: Rep): EventActor => ({ userId: rep.id, role: 'rep' });

/** Eight reps in four regional teams; one leaves during the period and a new hire takes over. */
export function buildTeam(from: number, until: number): Team {
  const span = until - from;
  const leaveAt = until - Math.min(150 * DAY, Math.floor(span * 0.3));
  const reps: Rep[] = [
    {
      id: 'rep.li.na',
      name: 'Li Na',
      region: 'mena',
      shiftZone: 'Asia/Dubai',
      languages: ['en', 'ar'],
    },
    {
      id: 'rep.omar.haddad',
      name: 'Omar Haddad',
      region: 'mena',
      shiftZone: 'Asia/Dubai',
      languages: ['en', 'ar', 'tr'],
      leavesAt: leaveAt,
    },
    {
      id: 'rep.sara.khan',
      name: 'Sara Khan',
      region: 'mena',
      shiftZone: 'Asia/Dubai',
      languages: ['en', 'ar'],
      joinsAt: leaveAt - 21 * DAY,
    },
    {
      id: 'rep.anna.schmidt',
      name: 'Anna Schmidt',
      region: 'europe',
      shiftZone: 'Europe/Berlin',
      languages: ['en', 'de', 'fr'],
    },
    {
      id: 'rep.wang.lei',
      name: 'Wang Lei',
      region: 'europe',
      shiftZone: 'Europe/Berlin',
      languages: ['en'],
    },
    {
      id: 'rep.carlos.mendes',
      name: 'Carlos Mendes',
      region: 'americas',
      shiftZone: 'America/Sao_Paulo',
      languages: ['en', 'es', 'pt'],
    },
    {
      id: 'rep.emily.zhou',
      name: 'Emily Zhou',
      region: 'americas',
      shiftZone: 'America/Chicago',
      languages: ['en'],
    },
    {
      id: 'rep.priya.nair',
      name: 'Priya Nair',
      region: 'apac_africa',
      shiftZone: 'Asia/Kolkata',
      languages: ['en', 'hi'],
    },
    {
      id: 'rep.chen.jie',
      name: 'Chen Jie',
      region: 'apac_africa',
      shiftZone: 'Asia/Shanghai',
      languages: ['en', 'vi'],
      away: { from: until - 300 * DAY, to: until - 279 * DAY },
    },
  ];
  const leaver = reps.find((rep) => rep.id === 'rep.omar.haddad')!;
  const successor = reps.find((rep) => rep.id === 'rep.sara.khan')!;
  return {
    reps,
    manager: { userId: 'mgr.zhang.min', role: 'manager' },
    teamLead: { userId: 'tl.liu.yang', role: 'team_lead' },
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
