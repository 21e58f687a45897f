import { isDeepStrictEqual } from 'node:util';
import { SLA_POLICY_ID, SlaPolicy } from '../../../domain/policies/sla-policy';
import { EventActor } from '../../event-store/event-store.port';
import { PolicyRegistry } from '../../policies/policy-registry';
import { Team } from './team';

/** Whoever set the CRM up, as in the staff story. */
const SETUP_ADMIN: EventActor = { userId: 'generator', role: 'admin' };

/**
 * At go-live the SLA ladder is pointed at the generated organisation: every team's escalations go
 * to its sales manager, who also takes what no team lead can. The seed's placeholder manager is no
 * user here. Published once: a store that already holds these recipients gets nothing new.
 * Returns the version in force afterwards, or undefined without an SLA policy.
 */
export async function pointSlaAtTeam(
  registry: PolicyRegistry,
  team: Team,
): Promise<{ id: string; version: number } | undefined> {
  if (!registry.has(SLA_POLICY_ID)) return undefined;
  const current = registry.current<SlaPolicy>(SLA_POLICY_ID);
  const recipients: SlaPolicy['recipients'] = {
    managers: team.teams.map((sales) => ({ teamId: sales.id, userId: team.manager.id })),
    defaultManagerId: team.manager.id,
    fallbackRecipientId: team.manager.id,
  };
  if (isDeepStrictEqual(current.recipients, recipients))
    return { id: current.id, version: current.version };
  const { id: _id, version: _version, ...body } = current;
  const published = await registry.publish(SLA_POLICY_ID, { ...body, recipients }, SETUP_ADMIN, {
    expectedVersion: current.version,
    note: `Go-live: SLA escalations go to ${team.manager.name}`,
  });
  return { id: published.id, version: published.version };
}
