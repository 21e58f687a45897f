import { fold } from '../../domain/shared/decider';
import { Role } from '../../domain/shared/roles';
import { CreateTeam, TeamCommand } from '../../domain/identity/team.commands';
import { teamDecider } from '../../domain/identity/team.decider';
import { TeamEvent } from '../../domain/identity/team.events';
import { specify } from './decider-spec';

const team = specify(teamDecider);

const as = (role: Role) => ({ actor: { userId: `u-${role}`, role } });
const asAdmin = as('admin');
const asManager = as('manager');

const newTeam: CreateTeam = {
  teamId: 't-dach',
  name: 'DACH',
  region: ['DE', 'AT', 'CH'],
  productLines: ['Valves', 'pumps'],
  leadId: 'u-lena',
  calendarKey: 'berlin-sales',
};

const created: TeamEvent = {
  type: 'TeamCreated',
  data: {
    teamId: 't-dach',
    name: 'DACH',
    region: ['AT', 'CH', 'DE'],
    productLines: ['valves', 'pumps'],
    leadId: 'u-lena',
    calendarKey: 'berlin-sales',
  },
};

const create = (changes: Partial<CreateTeam> = {}): TeamCommand => ({
  type: 'CreateTeam',
  data: { ...newTeam, ...changes },
});
const rename = (name: string): TeamCommand => ({
  type: 'RenameTeam',
  data: { teamId: 't-dach', name },
});
const changeRegion = (region: string[]): TeamCommand => ({
  type: 'ChangeTeamRegion',
  data: { teamId: 't-dach', region },
});
const changeProductLines = (productLines: string[]): TeamCommand => ({
  type: 'ChangeTeamProductLines',
  data: { teamId: 't-dach', productLines },
});
const changeLead = (leadId: string | null): TeamCommand => ({
  type: 'ChangeTeamLead',
  data: { teamId: 't-dach', leadId },
});
const changeCalendar = (calendarKey: string): TeamCommand => ({
  type: 'ChangeTeamCalendar',
  data: { teamId: 't-dach', calendarKey },
});

describe('CreateTeam', () => {
  it('creates a team with its region sorted and its product lines as keys', () => {
    team.given([]).when(create(), asAdmin).then([created]);
    expect(fold(teamDecider, [created])).toEqual(created.data);
  });

  it('creates a team with no lead, selling every product line', () => {
    team
      .given([])
      .when(create({ leadId: undefined, productLines: [], name: '  DACH ' }), asAdmin)
      .then([{ type: 'TeamCreated', data: { ...created.data, leadId: null, productLines: [] } }]);
  });

  it('refuses anyone but an admin', () => {
    const error = team
      .given([])
      .when(create(), asManager)
      .thenThrows(
        'team.create_forbidden',
        /Only an admin may create a team; you are signed in as a manager/,
      );
    expect(error.details).toEqual({ role: 'manager', allowedRoles: ['admin'] });
  });

  it('refuses a second team with the same id', () => {
    team.given([created]).when(create(), asAdmin).thenThrows('team.already_exists');
  });

  it.each<[string, Partial<CreateTeam>, string, string]>([
    ['no id', { teamId: '' }, 'team.id_required', 'teamId'],
    ['no name', { name: ' ' }, 'team.name_required', 'name'],
    ['a name over 100 characters', { name: 'x'.repeat(101) }, 'team.name_too_long', 'name'],
    ['an empty region', { region: [] }, 'team.region_required', 'region'],
    ['no region', { region: undefined as unknown as string[] }, 'team.region_required', 'region'],
    ['a lower-case country', { region: ['de'] }, 'team.region_invalid', 'region'],
    ['a made-up country', { region: ['DE', 'XX'] }, 'team.region_invalid', 'region'],
    ['an alpha-3 country', { region: ['DEU'] }, 'team.region_invalid', 'region'],
    ['a country twice', { region: ['DE', 'AT', 'DE'] }, 'team.region_duplicate', 'region'],
    [
      'product lines that are not a list',
      { productLines: 'valves' as unknown as string[] },
      'team.product_line_invalid',
      'productLines',
    ],
    [
      'a blank product line',
      { productLines: ['valves', ' '] },
      'team.product_line_invalid',
      'productLines[1]',
    ],
    [
      'a product line over 100 characters',
      { productLines: ['v'.repeat(101)] },
      'team.product_line_invalid',
      'productLines[0]',
    ],
    [
      'the same product line in another case',
      { productLines: ['Valves', ' valves'] },
      'team.product_line_duplicate',
      'productLines',
    ],
    ['a blank lead', { leadId: ' ' }, 'team.lead_invalid', 'leadId'],
    [
      'an upper-case calendar key',
      { calendarKey: 'Berlin-Sales' },
      'team.calendar_invalid',
      'calendarKey',
    ],
    [
      'a calendar key with spaces',
      { calendarKey: 'berlin sales' },
      'team.calendar_invalid',
      'calendarKey',
    ],
    [
      'a calendar key starting with a digit',
      { calendarKey: '9-sales' },
      'team.calendar_invalid',
      'calendarKey',
    ],
    [
      'a calendar key over 64 characters',
      { calendarKey: 'a'.repeat(65) },
      'team.calendar_invalid',
      'calendarKey',
    ],
    [
      'no calendar',
      { calendarKey: undefined as unknown as string },
      'team.calendar_invalid',
      'calendarKey',
    ],
  ])('refuses %s', (_case, changes, code, field) => {
    const error = team.given([]).when(create(changes), asAdmin).thenThrows(code);
    expect(error.field).toBe(field);
  });

  it('names the offending countries', () => {
    const error = team
      .given([])
      .when(create({ region: ['DE', 'XX', 'UK'] }), asAdmin)
      .thenThrows('team.region_invalid', /XX, UK/);
    expect(error.details).toEqual({ invalid: ['XX', 'UK'] });
  });
});

describe('RenameTeam', () => {
  it('lets an admin rename a team', () => {
    team
      .given([created])
      .when(rename('DACH & Benelux'), asAdmin)
      .then([{ type: 'TeamRenamed', data: { teamId: 't-dach', name: 'DACH & Benelux' } }]);
  });

  it('refuses a manager', () => {
    team
      .given([created])
      .when(rename('Central Europe'), asManager)
      .thenThrows('team.rename_forbidden');
  });

  it('refuses the same name and a blank one', () => {
    team.given([created]).when(rename(' DACH '), asAdmin).thenThrows('team.name_unchanged');
    team.given([created]).when(rename(''), asAdmin).thenThrows('team.name_required');
  });
});

describe('ChangeTeamRegion', () => {
  it.each([asAdmin, asManager])('lets $actor.role change the region', (context) => {
    team
      .given([created])
      .when(changeRegion(['NL', 'DE', 'BE']), context)
      .then([
        { type: 'TeamRegionChanged', data: { teamId: 't-dach', region: ['BE', 'DE', 'NL'] } },
      ]);
  });

  it('refuses a team lead', () => {
    team
      .given([created])
      .when(changeRegion(['DE']), as('team_lead'))
      .thenThrows('team.region_change_forbidden');
  });

  it('refuses the same countries in another order', () => {
    team
      .given([created])
      .when(changeRegion(['CH', 'DE', 'AT']), asManager)
      .thenThrows('team.region_unchanged', /already covers/);
  });

  it('refuses an empty or invalid region', () => {
    team.given([created]).when(changeRegion([]), asManager).thenThrows('team.region_required');
    team
      .given([created])
      .when(changeRegion(['EU']), asManager)
      .thenThrows('team.region_invalid');
  });
});

describe('ChangeTeamProductLines', () => {
  it.each([asAdmin, asManager])('lets $actor.role change the product lines', (context) => {
    team
      .given([created])
      .when(changeProductLines(['Valves', 'Fittings ']), context)
      .then([
        {
          type: 'TeamProductLinesChanged',
          data: { teamId: 't-dach', productLines: ['valves', 'fittings'] },
        },
      ]);
  });

  it('lets a team sell every product line', () => {
    team
      .given([created])
      .when(changeProductLines([]), asManager)
      .then([{ type: 'TeamProductLinesChanged', data: { teamId: 't-dach', productLines: [] } }]);
  });

  it('refuses an operations user', () => {
    team
      .given([created])
      .when(changeProductLines(['valves']), as('operations'))
      .thenThrows('team.product_lines_change_forbidden');
  });

  it('refuses the same lines in another order or case', () => {
    team
      .given([created])
      .when(changeProductLines(['PUMPS', 'valves']), asManager)
      .thenThrows('team.product_lines_unchanged');
  });

  it('refuses duplicates and blanks', () => {
    team
      .given([created])
      .when(changeProductLines(['pumps', 'Pumps']), asManager)
      .thenThrows('team.product_line_duplicate', /pumps/);
    team
      .given([created])
      .when(changeProductLines(['']), asManager)
      .thenThrows('team.product_line_invalid');
  });
});

describe('ChangeTeamLead', () => {
  const noLead: TeamEvent = {
    type: 'TeamLeadChanged',
    data: { teamId: 't-dach', from: 'u-lena', to: null },
  };

  it.each([asAdmin, asManager])('lets $actor.role change the lead', (context) => {
    team
      .given([created])
      .when(changeLead('u-jonas'), context)
      .then([
        { type: 'TeamLeadChanged', data: { teamId: 't-dach', from: 'u-lena', to: 'u-jonas' } },
      ]);
  });

  it('removes the lead and appoints one again', () => {
    team.given([created]).when(changeLead(null), asManager).then([noLead]);
    team
      .given([created, noLead])
      .when(changeLead('u-jonas'), asManager)
      .then([{ type: 'TeamLeadChanged', data: { teamId: 't-dach', from: null, to: 'u-jonas' } }]);
    team
      .given([created, noLead])
      .when(changeLead(null), asManager)
      .thenThrows('team.lead_unchanged', /no lead/);
  });

  it('refuses the current lead and a blank one', () => {
    team
      .given([created])
      .when(changeLead('u-lena'), asManager)
      .thenThrows('team.lead_unchanged', /u-lena already leads DACH/);
    team.given([created]).when(changeLead(''), asManager).thenThrows('team.lead_invalid');
  });

  it('refuses a rep', () => {
    team
      .given([created])
      .when(changeLead('u-rep'), as('rep'))
      .thenThrows('team.lead_change_forbidden');
  });
});

describe('ChangeTeamCalendar', () => {
  it('lets an admin change the calendar', () => {
    team
      .given([created])
      .when(changeCalendar('dubai-sales'), asAdmin)
      .then([
        {
          type: 'TeamCalendarChanged',
          data: { teamId: 't-dach', from: 'berlin-sales', to: 'dubai-sales' },
        },
      ]);
  });

  it('refuses a manager', () => {
    team
      .given([created])
      .when(changeCalendar('dubai-sales'), asManager)
      .thenThrows('team.calendar_change_forbidden', /Only an admin/);
  });

  it('refuses the same calendar and a malformed key', () => {
    team
      .given([created])
      .when(changeCalendar('berlin-sales'), asAdmin)
      .thenThrows('team.calendar_unchanged');
    team
      .given([created])
      .when(changeCalendar('berlin_sales'), asAdmin)
      .thenThrows('team.calendar_invalid');
  });
});

describe('missing teams', () => {
  it.each([
    rename('Central Europe'),
    changeRegion(['DE']),
    changeProductLines(['valves']),
    changeLead('u-jonas'),
    changeCalendar('dubai-sales'),
  ])('refuses $type on a missing team', (command) => {
    team.given([]).when(command, asAdmin).thenThrows('team.not_found');
  });
});
