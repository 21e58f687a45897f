import { ScoringPolicy } from '../../domain/policies/scoring-policy';
import { accountDecider } from '../../domain/account/account.decider';
import { automationDecider } from '../../domain/automation/automation.decider';
import { dealDecider } from '../../domain/deal/deal.decider';
import { erasureDecider } from '../../domain/privacy/erasure.decider';
import { leadDecider } from '../../domain/lead/lead.decider';
import { taskDecider } from '../../domain/task/task.decider';
import { teamDecider } from '../../domain/identity/team.decider';
import { userDecider } from '../../domain/identity/user.decider';
import { PolicyRegistry } from '../policies/policy-registry';
import { AggregateKind } from './command-pipeline';

export type AggregateName =
  'lead' | 'account' | 'deal' | 'task' | 'user' | 'team' | 'automation' | 'erasure';

interface AggregateEntry {
  // The pipeline is generic; each entry pairs a decider with the policies it is decided under.
  kind: AggregateKind<never, never, unknown, unknown>;
  policies(registry: PolicyRegistry): unknown;
}

const entry = <C, E, S, P>(
  kind: AggregateKind<C, E, S, P>,
  policies: (registry: PolicyRegistry) => P,
): AggregateEntry => ({
  kind: kind as unknown as AggregateEntry['kind'],
  policies,
});

export const AGGREGATES: Record<AggregateName, AggregateEntry> = {
  lead: entry({ name: 'lead', decider: leadDecider, creates: ['ReceiveInquiry'] }, (registry) => ({
    scoring: registry.has('scoring.default')
      ? registry.current<ScoringPolicy>('scoring.default')
      : undefined,
  })),
  account: entry(
    { name: 'account', decider: accountDecider, creates: ['RegisterAccount'] },
    () => undefined,
  ),
  deal: entry({ name: 'deal', decider: dealDecider, creates: ['OpenDeal'] }, (registry) => ({
    stages: registry.current('stages.default'),
    lossReasons: registry.current('loss-reasons.default'),
  })),
  task: entry({ name: 'task', decider: taskDecider, creates: ['CreateTask'] }, () => undefined),
  user: entry({ name: 'user', decider: userDecider, creates: ['RegisterUser'] }, () => undefined),
  team: entry({ name: 'team', decider: teamDecider, creates: ['CreateTeam'] }, () => undefined),
  automation: entry(
    { name: 'automation', decider: automationDecider, creates: ['RecordAutomationDecision'] },
    () => undefined,
  ),
  erasure: entry(
    { name: 'erasure', decider: erasureDecider, creates: ['EraseSubject'] },
    () => undefined,
  ),
};
