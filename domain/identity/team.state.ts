export interface Team {
  teamId: string;
  name: string;
  /** At least one country: export teams are cut by market first. */
  region: string[];
  /** Empty means the team sells every product line. */
  productLines: string[];
  leadId: string | null;
  calendarKey: string;
}

/** null until TeamCreated. */
export type TeamState = Team | null;

export const initialTeamState: TeamState = null;
