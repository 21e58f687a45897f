/**
 * The saga side of the app, in the bench process, on a fresh embedded store: the event store
 * (synchronous=FULL), the read store, personal-data sealing, the policy registry seeded from
 * config/ and the command pipeline, wired as the app wires them; the saga runner with ALL_SAGAS as
 * SagasModule builds it, sending through a command bus that runs the pipeline as the app's handler
 * does. Every part reads one clock: wall time plus an offset that `skip` moves forward once, before
 * anything is due, so a 30-minute clock need not be waited out. Due times and commit times (the
 * store's recordedAt) are read off the same clock, which runs at wall speed: the lag is wall time.
 */
import type { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { INQUIRY_CHANNELS } from '../domain/shared/channels';
import { ALL_SAGAS } from '../sagas/all-sagas';
import { makeInquiry, makeProspect, payloadHash } from '../src/cli/history/prospects';
import { Random } from '../src/cli/history/random';
import { AGGREGATES } from '../src/commands/aggregates';
import type { CommandEnvelope } from '../src/commands/command-envelope';
import { CommandPipeline } from '../src/commands/command-pipeline';
import type { ExecuteDomainCommand } from '../src/commands/execute-domain-command';
import type { RecordedEvent } from '../src/event-store/event-store.port';
import { SqliteEventStore } from '../src/event-store/sqlite/sqlite-event-store';
import { PersonalDataCipher } from '../src/personal-data/personal-data-cipher';
import { PERSONAL_FIELDS } from '../src/personal-data/personal-fields';
import { SqliteSubjectKeyStore } from '../src/personal-data/sqlite-subject-key-store';
import { PolicyRegistry } from '../src/policies/policy-registry';
import type { ProjectionRunner } from '../src/projection-runner/projection-runner';
import { ReadModels } from '../src/projection-runner/read-models';
import { SqliteReadStore } from '../src/read-store/sqlite/sqlite-read-store';
import { sagaDispatch } from '../src/saga-runner/saga-dispatch';
import { createSagaRunner } from '../src/saga-runner/saga-runner';
import { sagaRunnerSettings } from '../src/saga-runner/saga-runner-settings';
import { readSettings } from '../src/settings/app-settings';
import type { Clock } from '../src/shared/clock';

/** Wall time plus an offset; moving it forward is time passing while nothing is due. */
export class SkippingClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Epoch milliseconds on this clock. */
  ms(): number {
    return Date.now() + this.offsetMs;
  }

  skip(ms: number): void {
    if (ms < 0) throw new Error('The clock only moves forward');
    this.offsetMs += ms;
  }
}

const SEED_DIR = join(__dirname, '..', 'config', 'policies');
const INTAKE = { userId: 'intake:bench', role: 'intake' };
const OPERATIONS = { userId: 'u-bench-operations', role: 'operations' };

export class SagaBenchWorld {
  private runner?: ProjectionRunner;

  private constructor(
    readonly clock: SkippingClock,
    readonly dir: string,
    readonly events: SqliteEventStore,
    readonly store: SqliteReadStore,
    readonly cipher: PersonalDataCipher,
    readonly pipeline: CommandPipeline,
    readonly registry: PolicyRegistry,
  ) {}

  static async open(dir: string): Promise<SagaBenchWorld> {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const clock = new SkippingClock();
    const events = SqliteEventStore.open({
      file: join(dir, 'events.sqlite'),
      synchronous: 'FULL',
      clock: () => clock.now(),
    });
    const store = SqliteReadStore.open({ file: join(dir, 'readmodels.sqlite') });
    const cipher = new PersonalDataCipher(
      new SqliteSubjectKeyStore(events.sharedConnection(), Buffer.alloc(32, 7)),
      PERSONAL_FIELDS,
    );
    const registry = new PolicyRegistry(events, clock);
    await registry.load();
    await registry.seed(SEED_DIR);
    return new SagaBenchWorld(
      clock,
      dir,
      events,
      store,
      cipher,
      new CommandPipeline(events, cipher, clock),
      registry,
    );
  }

  /** Operations publish a new version of an SLA policy, as through PUT /api/policies/:id. */
  async publishSla(body: Record<string, unknown>): Promise<void> {
    await this.registry.publish('sla.default', body, OPERATIONS, { note: 'saga benchmark' });
  }

  /** The saga runner as SagasModule builds it (ALL_SAGAS, its lane settings, its dispatch). */
  async startSagas(): Promise<ProjectionRunner> {
    const settings = readSettings({});
    const bus = {
      // What ExecuteDomainCommandHandler does for a saga (no request, so no caller scope).
      execute: ({ aggregate, aggregateId, command, envelope }: ExecuteDomainCommand) =>
        this.pipeline.execute(
          AGGREGATES[aggregate].kind,
          aggregateId,
          command as never,
          envelope,
          AGGREGATES[aggregate].policies(this.registry),
        ),
    } as unknown as CommandBus;
    this.runner = createSagaRunner(
      {
        events: this.events,
        store: this.store,
        cipher: this.cipher,
        clock: this.clock,
        holder: `bench:${process.pid}:${randomUUID()}`,
        ...sagaRunnerSettings(settings.projections),
        log: () => undefined,
      },
      ALL_SAGAS,
      sagaDispatch(bus, this.clock),
      new ReadModels(this.store),
    );
    await this.runner.start();
    return this.runner;
  }

  async stopSagas(): Promise<void> {
    await this.runner?.stop();
    this.runner = undefined;
  }

  /** Saga lanes that stopped on a failure, by name. */
  async failedSagas(): Promise<string[]> {
    if (!this.runner) return [];
    return (await this.runner.status()).projections
      .filter((lane) => lane.state === 'failed')
      .map((lane) => `${lane.name}: ${lane.failure?.message ?? 'failed'}`);
  }

  async close(): Promise<void> {
    await this.stopSagas();
    await this.store.close();
    await this.events.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Reads the log after `after`, page by page, keeping only events of `types`. */
  async *read(after: string | undefined, types: string[]): AsyncGenerator<RecordedEvent> {
    let position = after;
    for (;;) {
      const page = await this.events.readAll({
        after: position,
        maxCount: 5000,
        filter: { eventTypes: types },
      });
      if (page.length === 0) return;
      yield* page;
      position = page[page.length - 1].position;
    }
  }
}

/** Inquiries as the intake receives them: distinct buyers, sealed personal data, live. */
export class InquirySource {
  private readonly random: Random;
  private serial = 0;
  private domains = 0;

  constructor(
    private readonly world: SagaBenchWorld,
    seed: string,
  ) {
    this.random = new Random(seed);
  }

  /** Receives one inquiry that happened at `occurredAt`; returns its lead id. */
  async receive(occurredAt: Date): Promise<string> {
    const leadId = uuidv7();
    const serial = ++this.serial;
    const channel = this.random.pick(INQUIRY_CHANNELS.filter((c) => c !== 'trade_show'));
    const prospect = makeProspect(this.random, (domain) =>
      domain.replace('.', `${++this.domains}.`),
    );
    const at = occurredAt.getTime();
    const content = makeInquiry(this.random, prospect, channel, at, () => serial);
    await this.send(leadId, 'ReceiveInquiry', occurredAt, {
      leadId,
      channel,
      sourceRef: `${content.sourceRef ?? channel}#saga-bench-${serial}`,
      payloadHash: payloadHash(channel, content, at),
      inquirer: content.inquirer,
      attachments: content.attachments,
      live: true,
    });
    return leadId;
  }

  /** The owner's first outbound reply: stops the lead's first-response clock. */
  async respond(leadId: string, at: Date): Promise<void> {
    await this.send(leadId, 'RecordResponse', at, {
      leadId,
      direction: 'outbound',
      channel: 'email',
      at: at.toISOString(),
      summary: 'Thanks for your inquiry; datasheet and price list attached.',
    });
  }

  private async send(
    leadId: string,
    type: string,
    occurredAt: Date,
    data: Record<string, unknown>,
  ): Promise<void> {
    const envelope: CommandEnvelope = {
      commandId: randomUUID(),
      actor: INTAKE,
      cause: { kind: 'person', id: INTAKE.userId },
      occurredAt: occurredAt.toISOString(),
      mayBackdate: true,
    };
    await this.world.pipeline.execute(
      AGGREGATES.lead.kind,
      leadId,
      { type, data } as never,
      envelope,
      AGGREGATES.lead.policies(this.world.registry),
    );
  }
}
