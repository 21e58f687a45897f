import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '../../domain/shared/domain-error';
import { WrongExpectedRevisionError } from '../event-store/event-store.errors';
import { currentRequestContext } from '../http/request-context';
import { RecordAccess } from '../identity/record-access';
import { Metrics } from '../observability/metrics';
import { POLICY_REGISTRY, PolicyRegistry } from '../policies/policy-registry';
import { AGGREGATES, AggregateName } from './aggregates';
import { CommandEnvelope, CommandOutcome } from './command-envelope';
import { CommandPipeline } from './command-pipeline';
import { timedCommand } from './command-timer';

/** A domain command for one aggregate, as it travels on the CommandBus. */
export class ExecuteDomainCommand {
  constructor(
    readonly aggregate: AggregateName,
    readonly aggregateId: string,
    readonly command: { type: string; data: unknown },
    readonly envelope: CommandEnvelope,
  ) {}
}

@CommandHandler(ExecuteDomainCommand)
export class ExecuteDomainCommandHandler implements ICommandHandler<
  ExecuteDomainCommand,
  CommandOutcome
> {
  constructor(
    private readonly pipeline: CommandPipeline,
    @Inject(POLICY_REGISTRY) private readonly policies: PolicyRegistry,
    private readonly metrics: Metrics,
    private readonly access: RecordAccess,
  ) {}

  async execute({
    aggregate,
    aggregateId,
    command,
    envelope,
  }: ExecuteDomainCommand): Promise<CommandOutcome> {
    const { kind, policies } = AGGREGATES[aggregate];
    // Commands sent while serving a request are held to the caller's record scope.
    const principal = currentRequestContext()?.principal;
    const authorize = principal
      ? (state: unknown, decided: { type: string; data: unknown }, createdBy: string | undefined) =>
          this.access.assertMayChange(principal, aggregate, state, decided, createdBy)
      : undefined;
    try {
      return await timedCommand(
        this.metrics,
        { aggregate, command: command.type },
        () =>
          this.pipeline.execute(
            kind,
            aggregateId,
            command as never,
            envelope,
            policies(this.policies),
            authorize,
          ),
        (outcome) => (outcome.replayed ? 'replayed' : 'ok'),
      );
    } catch (error) {
      const code =
        error instanceof DomainError || error instanceof WrongExpectedRevisionError
          ? error.code
          : 'internal';
      this.metrics.commandErrors.inc({ aggregate, code });
      throw error;
    }
  }
}
