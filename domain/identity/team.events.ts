import { DomainEvent } from '../shared/decider';

export interface TeamCreated {
  teamId: string;
  name: string;
  /** Sorted: a region is a set of countries. */
  region: string[];
  /** Trimmed, lower-case keys. */
  productLines: string[];
  leadId: string | null;
  calendarKey: string;
}

export interface TeamRenamed {
  teamId: string;
  name: string;
}

export interface TeamRegionChanged {
  teamId: string;
  region: string[];
}

export interface TeamProductLinesChanged {
  teamId: string;
  productLines: string[];
}

export interface TeamLeadChanged {
  teamId: string;
  from: string | null;
  to: string | null;
}

export interface TeamCalendarChanged {
  teamId: string;
  from: string;
  to: string;
}

export type TeamEvent =
  | DomainEvent<'TeamCreated', TeamCreated>
  | DomainEvent<'TeamRenamed', TeamRenamed>
  | DomainEvent<'TeamRegionChanged', TeamRegionChanged>
  | DomainEvent<'TeamProductLinesChanged', TeamProductLinesChanged>
  | DomainEvent<'TeamLeadChanged', TeamLeadChanged>
  | DomainEvent<'TeamCalendarChanged', TeamCalendarChanged>;
