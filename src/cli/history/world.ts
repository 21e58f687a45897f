import {
  CalendarPolicy,
  findCalendar,
  TeamCalendar,
} from '../../../domain/policies/calendar-policy';
import { FxPolicy } from '../../../domain/policies/fx-policy';
import { LossReasonPolicy } from '../../../domain/policies/loss-reason-policy';
import { ScoringPolicy } from '../../../domain/policies/scoring-policy';
import { StagePolicy } from '../../../domain/policies/stage-policy';
import { EventActor, EventCause } from '../../event-store/event-store.port';
import { Region } from './countries';
import { Plan } from './plan';
import { Random } from './random';
import { available, Rep, Team } from './team';

/** The policies in force when the run starts; the histories are decided under them. */
export interface PoliciesInForce {
  stages: StagePolicy;
  lossReasons: LossReasonPolicy;
  fx: FxPolicy;
  /** Absent when no scoring policy is in force: leads are then not scored. */
  scoring?: ScoringPolicy;
  /** The team calendars SLA clocks and first-response times run on. */
  calendars?: CalendarPolicy;
}

/** The importer: inquiries, assignments by rule and automatic tasks are entered as this actor. */
export const INTAKE: EventActor = { userId: 'generator', role: 'intake' };
export const IMPORT_CAUSE: EventCause = { kind: 'import', id: 'generator' };
/** Assignment by region with round robin; no assignment policy is in the registry yet, see the report. */
export const ASSIGNMENT_RULE: EventCause = { kind: 'rule', id: 'assignment.by-region', version: 1 };

const REGION_LABELS: Record<Region, string> = {
  mena: 'Middle East & Türkiye',
  europe: 'Europe',
  americas: 'Americas',
  apac_africa: 'Asia-Pacific & Africa',
};

/** Everything the stories share: the clock window, the team, the policies and the run's counters. */
export class World {
  dealsPlanned = 0;
  leadsPlanned = 0;
  accountsPlanned = 0;
  /** First deals still to come from stories not yet planned: repeat orders must leave room for them. */
  reservedDeals = 0;
  private readonly roundRobin = new Map<Region, number>();
  private readonly domains = new Set<string>();
  private orderNumbers = 4100;
  private formNumbers = 1200;

  constructor(
    readonly random: Random,
    readonly plan: Plan,
    readonly team: Team,
    readonly policies: PoliciesInForce,
    readonly from: number,
    readonly until: number,
    readonly dealTarget: number,
    /** From here on the CRM is in service: inquiries arrive live and start SLA clocks. */
    readonly liveFrom: number = until,
  ) {
    this.automatedFrom = liveFrom;
  }

  isLive(at: number): boolean {
    return at >= this.liveFrom;
  }

  /**
   * From here on the deal and account sagas act (`sagas/shared/live-window.ts`): events recorded at
   * go-live are live when they happened within the automation's live window before it. The stories
   * then leave stage tasks and lifecycle moves to the sagas, and only keep them before.
   */
  automatedFrom: number;

  isAutomated(at: number): boolean {
    return at >= this.automatedFrom;
  }

  /** The calendar of the rep's team, or undefined when the policy has none for it. */
  calendarOf(rep: Rep): TeamCalendar | undefined {
    const team = this.team.teams.find((candidate) => candidate.key === rep.region);
    return (
      team && this.policies.calendars && findCalendar(this.policies.calendars, team.calendarKey)
    );
  }

  /** Round robin within the region, skipping reps who are away or not employed at `at`. */
  assignByRegion(region: Region, at: number): { rep: Rep; reason: string } {
    const regional = this.team.reps.filter((rep) => rep.region === region);
    const counter = this.roundRobin.get(region) ?? 0;
    const skipped: string[] = [];
    for (let offset = 0; offset < regional.length; offset++) {
      const rep = regional[(counter + offset) % regional.length];
      if (!available(rep, at)) {
        if (rep.away && rep.away.from <= at && at < rep.away.to) skipped.push(`${rep.id} (away)`);
        continue;
      }
      this.roundRobin.set(region, counter + offset + 1);
      const skipNote = skipped.length > 0 ? `; skipped ${skipped.join(', ')}` : '';
      return { rep, reason: `Region ${REGION_LABELS[region]}: round robin${skipNote}` };
    }
    const overflow = this.team.reps.filter((rep) => available(rep, at));
    const rep = overflow[counter % overflow.length];
    this.roundRobin.set(region, counter + 1);
    return {
      rep,
      reason: `Region ${REGION_LABELS[region]}: nobody available; overflow to ${rep.id}`,
    };
  }

  /** A web domain no other generated company uses. */
  claimDomain(candidate: string): string {
    let domain = candidate;
    for (let n = 2; this.domains.has(domain); n++) {
      const dot = candidate.indexOf('.');
      domain = `${candidate.slice(0, dot)}${n}${candidate.slice(dot)}`;
    }
    this.domains.add(domain);
    return domain;
  }

  mayAddDeal(): boolean {
    return this.dealsPlanned + this.reservedDeals < this.dealTarget;
  }

  nextOrderNumber(): number {
    return ++this.orderNumbers;
  }

  nextFormNumber(): number {
    return ++this.formNumbers;
  }
}
