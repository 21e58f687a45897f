import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { currentRequestContext } from '../http/request-context';
import { Metrics } from '../observability/metrics';
import { POLICY_REGISTRY, PolicyRegistry } from '../policies/policy-registry';
import { AGGREGATES, AggregateName } from './aggregates';
import { CommandEnvelope } from './command-envelope';
import { CommandPipeline } from './command-pipeline';
import { timedCommand } from './command-timer';

/**
 * Several domain commands for one record, recorded in order in one append (automation sending
 * what it decided for a record). Resolves to how many were recorded; the caller sends the next
 * one alone (ExecuteDomainCommand), which refuses it or records it with the reason why.
 */
export class ExecuteDomainCommandsInOrder {
  constructor(
    readonly aggregate: AggregateName,
    readonly aggregateId: string,
    readonly items: Array<{ command: { type: string; data: unknown }; envelope: CommandEnvelope }>,
  ) {}
}

@CommandHandler(ExecuteDomainCommandsInOrder)
export class ExecuteDomainCommandsInOrderHandler implements ICommandHandler<
  ExecuteDomainCommandsInOrder,
  number
> {
  constructor(
    private readonly pipeline: CommandPipeline,
    @Inject(POLICY_REGISTRY) private readonly policies: PolicyRegistry,
    private readonly metrics: Metrics,
  ) {}

  async execute({ aggregate, aggregateId, items }: ExecuteDomainCommandsInOrder): Promise<number> {
    // A caller's commands are held to their record scope: only ExecuteDomainCommand checks that.
    if (items.length === 0 || currentRequestContext()?.principal) return 0;
    const { kind, policies } = AGGREGATES[aggregate];
    return timedCommand(this.metrics, { aggregate, command: items[0].command.type }, () =>
      this.pipeline.executeInOrder(kind, aggregateId, items as never, policies(this.policies)),
    );
  }
}
