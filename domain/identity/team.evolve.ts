import { TeamEvent } from './team.events';
import { Team, TeamState } from './team.state';

const evolveTeam = (team: Team, event: TeamEvent): Team => {
  switch (event.type) {
    case 'TeamCreated':
      return team;
    case 'TeamRenamed':
      return { ...team, name: event.data.name };
    case 'TeamRegionChanged':
      return { ...team, region: event.data.region };
    case 'TeamProductLinesChanged':
      return { ...team, productLines: event.data.productLines };
    case 'TeamLeadChanged':
      return { ...team, leadId: event.data.to };
    case 'TeamCalendarChanged':
      return { ...team, calendarKey: event.data.to };
  }
};

export const teamEvolve = (state: TeamState, event: TeamEvent): TeamState => {
  if (event.type === 'TeamCreated') {
    const { teamId, name, region, productLines, leadId, calendarKey } = event.data;
    return { teamId, name, region, productLines, leadId, calendarKey };
  }
  return state && evolveTeam(state, event);
};
