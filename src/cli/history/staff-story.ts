import { EventActor } from '../../event-store/event-store.port';
import { DAY, HOUR } from './business-hours';
import { PRODUCTS } from './catalogue';
import { OutOfTime, Story } from './plan';
import { actorOf, Member } from './team';
import { World } from './world';

/** Whoever set the CRM up: teams and users are an admin's job. */
const SETUP_ADMIN: EventActor = { userId: 'generator', role: 'admin' };

/**
 * The sales organisation as users and teams, so owners and teams in the histories resolve: set up
 * before the first inquiry; then a new hire, a rep's leave, and the departure whose book is handed over.
 */
export function staffStory(world: World): void {
  const { team } = world;
  const story = new Story(
    world.plan,
    `gen:${world.plan.runKey}:staff`,
    world.from - 45 * DAY,
    world.until,
  );
  const setup = { actor: SETUP_ADMIN, cause: { kind: 'import' as const, id: 'generator' } };
  const productLines = [...new Set(PRODUCTS.map((product) => product.line))];
  try {
    for (const sales of team.teams) {
      story.domain(
        'team',
        sales.id,
        'CreateTeam',
        {
          teamId: sales.id,
          name: sales.name,
          region: sales.countries,
          productLines,
          ...(sales.leadId && { leadId: sales.leadId }),
          calendarKey: sales.calendarKey,
        },
        setup,
      );
    }
    const register = (member: Member) =>
      story.domain(
        'user',
        member.id,
        'RegisterUser',
        {
          userId: member.id,
          name: member.name,
          email: member.email,
          role: member.role,
          ...(member.teamKey && { teamId: team.teams.find((t) => t.key === member.teamKey)!.id }),
        },
        setup,
      );
    register(team.manager);
    register(team.teamLead);
    for (const rep of team.reps) if (rep.joinsAt === undefined) register(rep);

    const later: Array<[number, () => void]> = [];
    for (const rep of team.reps) {
      if (rep.joinsAt !== undefined) later.push([rep.joinsAt, () => register(rep)]);
      if (rep.away) {
        const self = { actor: actorOf(rep), cause: { kind: 'person' as const, id: rep.id } };
        later.push([
          rep.away.from,
          () =>
            story.domain(
              'user',
              rep.id,
              'SetAvailability',
              { userId: rep.id, availability: 'away', reason: 'Annual leave' },
              self,
            ),
        ]);
        later.push([
          rep.away.to,
          () =>
            story.domain(
              'user',
              rep.id,
              'SetAvailability',
              { userId: rep.id, availability: 'available', reason: 'Back from annual leave' },
              self,
            ),
        ]);
      }
    }
    const departure = team.departure;
    if (departure) {
      // After the manager has handed the leaver's leads, accounts, deals and tasks over.
      later.push([
        departure.at + 2 * HOUR,
        () =>
          story.domain(
            'user',
            departure.leaver.id,
            'DeactivateUser',
            {
              userId: departure.leaver.id,
              successorId: departure.successor.id,
              reason: 'left the company',
            },
            { actor: team.managerActor, cause: { kind: 'person', id: team.manager.id } },
          ),
      ]);
    }
    for (const [at, run] of later.sort((a, b) => a[0] - b[0])) {
      story.advance(at);
      run();
    }
  } catch (error) {
    if (!(error instanceof OutOfTime)) throw error;
  }
  story.finish();
}
