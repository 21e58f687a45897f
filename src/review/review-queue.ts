import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { reviewReasons, ReviewEntry } from '../../domain/dedup/review';
import { DedupPolicy } from '../../domain/policies/dedup-policy';
import { ERASED } from '../../domain/privacy/erased';
import { type SubjectErased, subjectRecordIds } from '../../domain/privacy/erasure.events';
import { DomainError } from '../../domain/shared/domain-error';
import { AccountKeys } from '../dedup/account-keys';
import { WrongExpectedRevisionError } from '../event-store/event-store.errors';
import {
  EVENT_STORE,
  EventActor,
  EventStore,
  RecordedEvent,
} from '../event-store/event-store.port';
import { PersonalDataCipher } from '../personal-data/personal-data-cipher';
import { POLICY_REGISTRY, PolicyRegistry } from '../policies/policy-registry';
import { CLOCK, Clock } from '../shared/clock';
import { ACCOUNT_MATCH_EVENTS, AccountMatcher } from './account-matcher';
import {
  DEDUP_REVIEW_CONFIRMED,
  DEDUP_REVIEW_DISMISSED,
  DEDUP_REVIEW_OPENED,
  DedupReviewDecided,
  DedupReviewOpened,
  REVIEW_EVENTS,
  ReviewEvidence,
  reviewIdOf,
  reviewStream,
} from './review-events';

export type ReviewStatus = 'open' | 'dismissed' | 'confirmed';

export interface ReviewItem extends DedupReviewOpened {
  status: ReviewStatus;
  openedAt: string;
  /** Who decided, why and when; absent while open. */
  decision?: { by: string; reason: string; at: string };
  revision: number;
}

interface Inquirer {
  email?: string;
  website?: string;
  phone?: string;
  company?: string;
  country?: string;
}

const POLICY_ID = 'dedup.default';
const SYSTEM: EventActor = { userId: 'system', role: 'system' };
const FILTER = {
  streamPrefixes: ['account-', 'lead-', 'review-', 'erasure-'],
  eventTypes: [...ACCOUNT_MATCH_EVENTS, 'InquiryReceived', ...REVIEW_EVENTS, 'SubjectErased'],
};
const PAGE = 500;
/** How often the queue looks for new inquiries without being asked. */
export const REVIEW_POLL_MS = 2_000;

const idOf = (streamName: string) => streamName.slice(streamName.indexOf('-') + 1);

/**
 * The dedup review queue. A shared phone number or a similar company name never attaches an inquiry
 * to an account: switchboards and group names are shared, so a person decides.
 *
 * Follows the event store in order: account events feed the {@link AccountMatcher}, each
 * InquiryReceived is matched against the accounts as they stood then, and review events make the
 * queue. One review stream per (lead, account), created with `no_stream`: a repeated catch-up, or
 * another instance doing the same, never opens a second item. Like the matcher it is an in-memory
 * stop-gap until read models exist: after a restart it reads the store from the start again.
 */
@Injectable()
export class ReviewQueue implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('DedupReview');
  private readonly matcher = new AccountMatcher();
  private readonly items = new Map<string, ReviewItem>();
  private position?: string;
  private tail: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  private stopped = false;
  /** Whether the page being read opened review items. */
  private opened = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly cipher: PersonalDataCipher,
    private readonly keys: AccountKeys,
    @Inject(POLICY_REGISTRY) private readonly policies: PolicyRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    void this.catchUp().catch((error: Error) => this.warn(error));
    this.timer = setInterval(() => {
      this.catchUp().catch((error: Error) => this.warn(error));
    }, REVIEW_POLL_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.tail;
  }

  /** Review items, oldest first; `resolved` means dismissed or confirmed. */
  async list(status: 'open' | 'resolved'): Promise<ReviewItem[]> {
    await this.catchUp();
    return [...this.items.values()].filter((item) =>
      status === 'open' ? item.status === 'open' : item.status !== 'open',
    );
  }

  /** Records a reviewer's decision with who and why. Confirming merges nothing by itself. */
  async decide(
    reviewId: string,
    decision: 'dismissed' | 'confirmed',
    reason: string,
    who: { actor: EventActor; correlationId: string },
  ): Promise<ReviewItem> {
    await this.catchUp();
    const item = this.items.get(reviewId);
    if (!item) {
      throw new DomainError('review.not_found', `No dedup review with id ${reviewId}`, 'id', {
        id: reviewId,
      });
    }
    if (item.status !== 'open') {
      throw new DomainError(
        'review.already_resolved',
        `This review was already ${item.status} by ${item.decision?.by}`,
        'id',
        { status: item.status, decision: item.decision },
      );
    }
    const data: DedupReviewDecided = {
      reviewId,
      leadId: item.leadId,
      accountId: item.accountId,
      by: who.actor.userId,
      reason,
    };
    const commandId = randomUUID();
    await this.store.append(
      reviewStream(reviewId),
      [
        {
          type: decision === 'confirmed' ? DEDUP_REVIEW_CONFIRMED : DEDUP_REVIEW_DISMISSED,
          data: data as unknown as Record<string, unknown>,
          metadata: {
            occurredAt: this.clock.now().toISOString(),
            $correlationId: who.correlationId,
            $causationId: commandId,
            commandId,
            actor: who.actor,
            cause: { kind: 'person', id: who.actor.userId },
            reason,
          },
        },
      ],
      { expectedRevision: item.revision },
    );
    await this.catchUp();
    return this.items.get(reviewId)!;
  }

  /** Serialised, so two callers never fold the same events twice. */
  catchUp(): Promise<void> {
    const run = this.tail.then(() => this.readNew());
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async readNew(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      this.opened = false;
      const batch = await this.store.readAll({
        after: this.position,
        maxCount: PAGE,
        filter: FILTER,
      });
      for (const event of batch) {
        await this.apply({ ...event, data: await this.cipher.open(event.data) });
        this.position = event.position;
      }
      // Items opened while reading lie past this page: read on, so the caller sees them.
      if (batch.length < PAGE && !this.opened) return;
    }
  }

  private async apply(event: RecordedEvent): Promise<void> {
    if (event.type === 'InquiryReceived') return this.review(event);
    if (event.type === 'SubjectErased') return this.forget(event.data as unknown as SubjectErased);
    if (event.streamName.startsWith('account-')) return this.matcher.apply(event);
    if (!event.streamName.startsWith('review-')) return;
    const reviewId = idOf(event.streamName);
    if (event.type === DEDUP_REVIEW_OPENED) {
      const data = event.data as unknown as DedupReviewOpened;
      this.items.set(reviewId, {
        ...data,
        status: 'open',
        openedAt: event.metadata.occurredAt,
        revision: event.revision,
      });
      return;
    }
    const item = this.items.get(reviewId);
    if (!item) return;
    const data = event.data as unknown as DedupReviewDecided;
    item.status = event.type === DEDUP_REVIEW_CONFIRMED ? 'confirmed' : 'dismissed';
    item.decision = { by: data.by, reason: data.reason, at: event.metadata.occurredAt };
    item.revision = event.revision;
  }

  /**
   * An erased person's values, as a restart would read them: the phone their inquiry was queued
   * under reads "[erased]", and their phone as a contact no longer matches inquiries.
   */
  private forget(erased: SubjectErased): void {
    const leads = new Set(subjectRecordIds(erased, 'lead'));
    for (const item of this.items.values()) {
      if (leads.has(item.leadId) && item.evidence.phone !== undefined) {
        item.evidence = { ...item.evidence, phone: ERASED };
      }
    }
    this.matcher.forgetPhones(subjectRecordIds(erased, 'contact'));
  }

  /** Opens a review item per account the inquiry's phone or company name points to. */
  private async review(event: RecordedEvent): Promise<void> {
    if (!this.policies.has(POLICY_ID)) return;
    const policy = this.policies.current<DedupPolicy>(POLICY_ID);
    const leadId = idOf(event.streamName);
    const inquirer = ((event.data as { inquirer?: Inquirer }).inquirer ?? {}) as Inquirer;
    const { phone, holders } = this.matcher.phoneHolders(inquirer.phone, inquirer.country);
    const names = this.matcher.similarNames(
      inquirer.company,
      policy.nameSimilarityThreshold,
      policy.maxNameCandidates,
    );
    const candidates = holders.length + names.matches.length;
    if (candidates === 0) return;
    // An exact key (email, web domain) attaches the inquiry already: nothing to review there.
    const attached = await this.keys.match(inquirer);
    const entries = reviewReasons(
      {
        phone,
        phoneHolders: holders,
        nameMatches: names.matches,
        attachedTo: attached ? [attached.accountId] : [],
      },
      policy,
    );
    const byAccount = new Map<string, ReviewEntry[]>();
    for (const entry of entries) {
      byAccount.set(entry.matchedId, [...(byAccount.get(entry.matchedId) ?? []), entry]);
    }
    for (const [accountId, reasons] of byAccount) {
      const evidence: ReviewEvidence = {};
      for (const reason of reasons) Object.assign(evidence, reason.evidence);
      const opened: DedupReviewOpened = {
        reviewId: reviewIdOf(leadId, accountId),
        leadId,
        accountId,
        kind: reasons[0].kind,
        score: Math.max(...reasons.map((reason) => reason.score)),
        evidence,
        policy: { id: policy.id, version: policy.version },
        compared: names.compared,
      };
      await this.open(opened, event);
    }
  }

  private async open(opened: DedupReviewOpened, cause: RecordedEvent): Promise<void> {
    const stream = reviewStream(opened.reviewId);
    const data = await this.cipher.seal(
      DEDUP_REVIEW_OPENED,
      opened as unknown as Record<string, unknown>,
      stream,
    );
    try {
      await this.store.append(
        stream,
        [
          {
            type: DEDUP_REVIEW_OPENED,
            data,
            metadata: {
              occurredAt: this.clock.now().toISOString(),
              $correlationId: cause.metadata.$correlationId,
              $causationId: cause.id,
              actor: SYSTEM,
              cause: { kind: 'rule', id: opened.policy.id, version: opened.policy.version },
            },
          },
        ],
        { expectedRevision: 'no_stream' },
      );
      this.opened = true;
    } catch (error) {
      // Opened before: by an earlier catch-up, before a restart, or by another instance.
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
    }
  }

  private warn(error: Error): void {
    this.logger.warn({ msg: 'dedup review catch-up failed', error: error.message });
  }
}
