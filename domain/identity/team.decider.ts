import { DecideContext, Decider } from '../shared/decider';
import { refuse } from '../shared/validation';
import { authorize, TEAM_PERMISSIONS } from './identity.permissions';
import {
  ChangeTeamCalendar,
  ChangeTeamLead,
  ChangeTeamProductLines,
  ChangeTeamRegion,
  CreateTeam,
  RenameTeam,
  TeamCommand,
} from './team.commands';
import { TeamEvent } from './team.events';
import { teamEvolve } from './team.evolve';
import {
  checkCalendarKey,
  checkLeadId,
  checkTeamId,
  existingTeam,
  normaliseProductLines,
  normaliseRegion,
  normaliseTeamName,
  sameSet,
} from './team.rules';
import { initialTeamState, TeamState } from './team.state';

const createTeam = (command: CreateTeam, state: TeamState): TeamEvent[] => {
  if (state) refuse('team.already_exists', 'This team already exists.', 'teamId');
  checkTeamId(command.teamId);
  const name = normaliseTeamName(command.name);
  const region = normaliseRegion(command.region);
  const productLines = normaliseProductLines(command.productLines);
  if (command.leadId !== undefined) checkLeadId(command.leadId);
  const calendarKey = checkCalendarKey(command.calendarKey);
  return [
    {
      type: 'TeamCreated',
      data: {
        teamId: command.teamId,
        name,
        region,
        productLines,
        leadId: command.leadId ?? null,
        calendarKey,
      },
    },
  ];
};

const renameTeam = (command: RenameTeam, state: TeamState): TeamEvent[] => {
  const team = existingTeam(state);
  const name = normaliseTeamName(command.name);
  if (name === team.name)
    refuse('team.name_unchanged', `The team is already called ${name}.`, 'name');
  return [{ type: 'TeamRenamed', data: { teamId: team.teamId, name } }];
};

const changeRegion = (command: ChangeTeamRegion, state: TeamState): TeamEvent[] => {
  const team = existingTeam(state);
  const region = normaliseRegion(command.region);
  if (sameSet(region, team.region)) {
    refuse(
      'team.region_unchanged',
      `${team.name} already covers exactly these countries.`,
      'region',
    );
  }
  return [{ type: 'TeamRegionChanged', data: { teamId: team.teamId, region } }];
};

const changeProductLines = (command: ChangeTeamProductLines, state: TeamState): TeamEvent[] => {
  const team = existingTeam(state);
  const productLines = normaliseProductLines(command.productLines);
  if (sameSet(productLines, team.productLines)) {
    refuse(
      'team.product_lines_unchanged',
      `${team.name} already sells exactly these product lines.`,
      'productLines',
    );
  }
  return [{ type: 'TeamProductLinesChanged', data: { teamId: team.teamId, productLines } }];
};

const changeLead = (command: ChangeTeamLead, state: TeamState): TeamEvent[] => {
  const team = existingTeam(state);
  if (command.leadId !== null) checkLeadId(command.leadId);
  if (command.leadId === team.leadId) {
    refuse(
      'team.lead_unchanged',
      team.leadId === null
        ? `${team.name} already has no lead.`
        : `${team.leadId} already leads ${team.name}.`,
      'leadId',
    );
  }
  return [
    {
      type: 'TeamLeadChanged',
      data: { teamId: team.teamId, from: team.leadId, to: command.leadId },
    },
  ];
};

const changeCalendar = (command: ChangeTeamCalendar, state: TeamState): TeamEvent[] => {
  const team = existingTeam(state);
  const calendarKey = checkCalendarKey(command.calendarKey);
  if (calendarKey === team.calendarKey) {
    refuse(
      'team.calendar_unchanged',
      `${team.name} already works to the ${calendarKey} calendar.`,
      'calendarKey',
    );
  }
  return [
    {
      type: 'TeamCalendarChanged',
      data: { teamId: team.teamId, from: team.calendarKey, to: calendarKey },
    },
  ];
};

const decide = (command: TeamCommand, state: TeamState, { actor }: DecideContext): TeamEvent[] => {
  authorize(TEAM_PERMISSIONS[command.type], actor);
  switch (command.type) {
    case 'CreateTeam':
      return createTeam(command.data, state);
    case 'RenameTeam':
      return renameTeam(command.data, state);
    case 'ChangeTeamRegion':
      return changeRegion(command.data, state);
    case 'ChangeTeamProductLines':
      return changeProductLines(command.data, state);
    case 'ChangeTeamLead':
      return changeLead(command.data, state);
    case 'ChangeTeamCalendar':
      return changeCalendar(command.data, state);
  }
};

export const teamDecider: Decider<TeamCommand, TeamEvent, TeamState> = {
  initialState: initialTeamState,
  decide,
  evolve: teamEvolve,
};
