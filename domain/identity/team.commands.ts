export interface CreateTeam {
  teamId: string;
  name: string;
  /** ISO 3166-1 alpha-2 codes, upper case. */
  region: string[];
  productLines: string[];
  leadId?: string;
  /** A key into the calendar policy, e.g. 'berlin-sales'. */
  calendarKey: string;
}

export interface RenameTeam {
  teamId: string;
  name: string;
}

export interface ChangeTeamRegion {
  teamId: string;
  region: string[];
}

export interface ChangeTeamProductLines {
  teamId: string;
  productLines: string[];
}

export interface ChangeTeamLead {
  teamId: string;
  /** null leaves the team without a lead. */
  leadId: string | null;
}

export interface ChangeTeamCalendar {
  teamId: string;
  calendarKey: string;
}

export type TeamCommand =
  | { type: 'CreateTeam'; data: CreateTeam }
  | { type: 'RenameTeam'; data: RenameTeam }
  | { type: 'ChangeTeamRegion'; data: ChangeTeamRegion }
  | { type: 'ChangeTeamProductLines'; data: ChangeTeamProductLines }
  | { type: 'ChangeTeamLead'; data: ChangeTeamLead }
  | { type: 'ChangeTeamCalendar'; data: ChangeTeamCalendar };
