import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { PolicyRef } from '../../domain/shared/decider';
import { WrongExpectedRevisionError } from '../event-store/event-store.errors';
import { EventActor, EventStore } from '../event-store/event-store.port';
import { Clock } from '../shared/clock';
import { InvalidPolicyError, validatePolicy } from './policy-validation';

export const POLICY_PUBLISHED = 'PolicyVersionPublished';
export const POLICY_REGISTRY = Symbol('POLICY_REGISTRY');

export interface PolicyVersion {
  id: string;
  version: number;
  body: Record<string, unknown> & { id: string; version: number };
  publishedAt: string;
  publishedBy: EventActor;
  note?: string;
}

export class UnknownPolicyError extends Error {
  readonly code = 'policy.not_found';
  constructor(readonly policyId: string) {
    super(`No policy with id ${policyId}`);
    this.name = 'UnknownPolicyError';
  }
}

const SYSTEM: EventActor = { userId: 'system', role: 'system' };
const streamOf = (id: string) => `policy-${id}`;

/**
 * One registry of versioned policies. Every version is an event on `policy-<id>`; the registry
 * keeps them all in memory so "the version in force at T" is a lookup.
 */
export class PolicyRegistry {
  private readonly versions = new Map<string, PolicyVersion[]>();

  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async load(): Promise<void> {
    this.versions.clear();
    const events = await this.store.readAll({
      filter: { streamPrefixes: ['policy-'], eventTypes: [POLICY_PUBLISHED] },
    });
    for (const event of events) this.remember(event.data as unknown as PolicyVersion);
  }

  /** Publishes each seed file whose policy is not in the store yet. A bad file stops the start. */
  async seed(directory: string): Promise<string[]> {
    const seeded: string[] = [];
    for (const file of readdirSync(directory)
      .filter((name) => name.endsWith('.json'))
      .sort()) {
      const source = join(directory, file);
      let body: unknown;
      try {
        body = JSON.parse(readFileSync(source, 'utf8'));
      } catch (error) {
        throw new InvalidPolicyError(source, [
          { key: '(file)', problem: (error as Error).message },
        ]);
      }
      const policy = validatePolicy(source, body);
      if (this.versions.has(policy.id)) continue;
      await this.append(policy, SYSTEM, -1, `seeded from ${file}`);
      seeded.push(policy.id);
    }
    return seeded;
  }

  /** A new version from operations; `expectedVersion` guards against overwriting a colleague's change. */
  async publish(
    id: string,
    body: unknown,
    actor: EventActor,
    options: { expectedVersion?: number; note?: string } = {},
  ): Promise<PolicyVersion> {
    const history = this.history(id);
    const current = history[history.length - 1].version;
    if (options.expectedVersion !== undefined && options.expectedVersion !== current) {
      throw new WrongExpectedRevisionError(streamOf(id), options.expectedVersion, current);
    }
    const next = { ...(body as Record<string, unknown>), id, version: current + 1 };
    const policy = validatePolicy(`policy ${id}`, next);
    return this.append(policy, actor, history.length - 1, options.note);
  }

  current<Policy>(id: string): Policy & { id: string; version: number } {
    const history = this.history(id);
    return history[history.length - 1].body as unknown as Policy & { id: string; version: number };
  }

  /** The version published last at or before `at`, or undefined when none was yet. */
  inForceAt(id: string, at: string): PolicyVersion | undefined {
    const instant = Date.parse(at);
    return this.history(id)
      .filter((version) => Date.parse(version.publishedAt) <= instant)
      .pop();
  }

  has(id: string): boolean {
    return this.versions.has(id);
  }

  version(id: string, version: number): PolicyVersion | undefined {
    return this.history(id).find((candidate) => candidate.version === version);
  }

  history(id: string): PolicyVersion[] {
    const versions = this.versions.get(id);
    if (!versions) throw new UnknownPolicyError(id);
    return versions;
  }

  list(): PolicyVersion[] {
    return [...this.versions.values()].map((versions) => versions[versions.length - 1]);
  }

  ref(id: string): PolicyRef {
    return { id, version: this.current(id).version };
  }

  private async append(
    body: PolicyVersion['body'],
    actor: EventActor,
    revision: number,
    note?: string,
  ): Promise<PolicyVersion> {
    const publishedAt = this.clock.now().toISOString();
    const version: PolicyVersion = {
      id: body.id,
      version: body.version,
      body,
      publishedAt,
      publishedBy: actor,
      ...(note ? { note } : {}),
    };
    const commandId = uuidv7();
    await this.store.append(
      streamOf(body.id),
      [
        {
          type: POLICY_PUBLISHED,
          data: version as unknown as Record<string, unknown>,
          metadata: {
            occurredAt: publishedAt,
            $correlationId: commandId,
            $causationId: commandId,
            commandId,
            actor,
            cause:
              actor.role === 'system'
                ? { kind: 'system', id: 'policy-seed' }
                : { kind: 'person', id: actor.userId },
            ...(note ? { reason: note } : {}),
          },
        },
      ],
      { expectedRevision: revision < 0 ? 'no_stream' : revision },
    );
    this.remember(version);
    return version;
  }

  private remember(version: PolicyVersion): void {
    const versions = this.versions.get(version.id) ?? [];
    versions.push(version);
    this.versions.set(version.id, versions);
  }
}
