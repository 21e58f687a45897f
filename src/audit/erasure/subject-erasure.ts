import { Inject, Injectable } from '@nestjs/common';
import {
  type ErasureSubject,
  type SubjectErased,
  subjectKeyOf,
} from '../../../domain/privacy/erasure.events';
import { DomainError } from '../../../domain/shared/domain-error';
import { CommandPipeline } from '../../commands/command-pipeline';
import { EVENT_STORE, EventStore, RecordedEvent } from '../../event-store/event-store.port';
import { CommandSender, WriteHeaders } from '../../http/command-sender';
import { currentRequestContext } from '../../http/request-context';
import { AddressBook } from '../../intake/address-book';
import { AttachmentStore } from '../../intake/attachment-store';
import { SUBJECT_KEY_STORE, SubjectKeyStore } from '../../personal-data/subject-key-store';
import { ProjectionRunner } from '../../projection-runner/projection-runner';
import { READ_STORE, ReadStore } from '../../read-store/read-store.port';
import { ReviewQueue } from '../../review/review-queue';
import { SqliteReadStore } from '../../read-store/sqlite/sqlite-read-store';
import { APP_SETTINGS, AppSettings } from '../../settings/app-settings';
import { CLOCK, Clock } from '../../shared/clock';
import { ErasureSubjects } from './erasure-subjects';

/** How long an erasure waits for the read models to blank the person before it answers. */
const READ_MODELS_TIMEOUT_MS = 30_000;

export interface ErasureRecord {
  erasureId: string;
  subject: ErasureSubject;
  requestRef: string;
  erasedBy: string;
  erasedAt: string;
  /** The data keys destroyed. */
  subjectIds: string[];
  /** How many events held the person's sealed fields; they keep their shape and read "[erased]". */
  sealedEvents: number;
  position: string;
  /** Every key named is destroyed (false only if an erasure was interrupted: repeat the request). */
  complete: boolean;
}

export interface ErasureOutcome extends ErasureRecord {
  /** True when this request repeated an earlier one under the same reference. */
  replayed: boolean;
  attachmentsDeleted: number;
  /** `pending`: the read models had not blanked the person yet; repeat the request to finish. */
  readModels: 'erased' | 'pending';
}

export const erasureStream = (erasureId: string) => `erasure-${erasureId}`;

/**
 * Erases a data subject. Order matters:
 * 1. their data keys are destroyed first, so every event applied from now on reads "[erased]";
 * 2. the log is then searched for what they sealed: nothing sealed under a live key can be missed;
 * 3. the erasure is recorded (who, when, which request), and read models blank what they copied;
 * 4. in-memory indexes forget them, their attachments are deleted, and the read store's freed
 *    pages and WAL are purged.
 * A repeat of the same request redoes whatever an interruption left undone, and records nothing new.
 * So does a request naming the person by another of their keys (the contact an erased lead became):
 * it answers with the erasure that already covers them.
 * Erasures run one at a time in this process, so two requests for one person never record two.
 */
@Injectable()
export class SubjectErasure {
  constructor(
    private readonly subjects: ErasureSubjects,
    private readonly sender: CommandSender,
    private readonly pipeline: CommandPipeline,
    private readonly attachments: AttachmentStore,
    private readonly runner: ProjectionRunner,
    private readonly addressBook: AddressBook,
    private readonly reviewQueue: ReviewQueue,
    @Inject(SUBJECT_KEY_STORE) private readonly keys: SubjectKeyStore,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(APP_SETTINGS) private readonly settings: AppSettings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private queue: Promise<unknown> = Promise.resolve();

  erase(
    subject: ErasureSubject,
    requestRef: string,
    headers: WriteHeaders,
  ): Promise<ErasureOutcome> {
    const run = this.queue.then(() => this.eraseNow(subject, requestRef, headers));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async eraseNow(
    subject: ErasureSubject,
    requestRef: string,
    headers: WriteHeaders,
  ): Promise<ErasureOutcome> {
    const earlier = await this.erasureCovering(subject);
    const erasureId =
      earlier?.data.erasureId ?? (subject.kind === 'lead' ? subject.leadId : subject.contactId);
    if (earlier && earlier.data.requestRef !== requestRef.trim()) {
      // Refused before anything is touched; the decider refuses the same way on append.
      throw new DomainError(
        'erasure.already_erased',
        `This person was already erased under request ${earlier.data.requestRef}.`,
        'requestRef',
        { requestRef: earlier.data.requestRef },
      );
    }
    await this.subjects.requireExists(subject);
    const subjectIds = earlier?.data.subjectIds ?? (await this.subjects.keysOf(subject));
    const actor = currentRequestContext()?.actor.userId ?? 'system';
    for (const subjectId of subjectIds) {
      if (await this.keys.isErased(subjectId)) continue;
      await this.keys.destroy(subjectId, {
        erasedAt: this.clock.now().toISOString(),
        erasedBy: actor,
        requestRef: requestRef.trim(),
      });
    }
    const sealedIn = earlier?.data.sealedIn ?? (await this.subjects.sealedIn(subjectIds));
    const written = await this.sender.send(
      'erasure',
      erasureId,
      { type: 'EraseSubject', data: { erasureId, subject, requestRef, subjectIds, sealedIn } },
      {},
      headers,
    );
    await this.forgetInMemoryCopies();
    let attachmentsDeleted = 0;
    for (const subjectId of subjectIds)
      attachmentsDeleted += await this.attachments.forget(subjectId);
    const readModels = await this.blankReadModels(written.position);
    const record = await this.recorded(erasureId);
    return {
      ...(await this.toRecord(record!)),
      replayed: written.events.length === 0,
      attachmentsDeleted,
      readModels,
    };
  }

  /** Every erasure recorded, oldest first. */
  async list(): Promise<ErasureRecord[]> {
    const records: ErasureRecord[] = [];
    for await (const event of this.erasures()) records.push(await this.toRecord(event));
    return records;
  }

  /** The erasure that destroyed this person's own key, under whichever of their keys it was asked. */
  private async erasureCovering(
    subject: ErasureSubject,
  ): Promise<RecordedEvent<SubjectErased> | undefined> {
    const own = await this.recorded(subject.kind === 'lead' ? subject.leadId : subject.contactId);
    if (own) return own;
    const key = subjectKeyOf(subject);
    // Erasures are few: reading them all is cheaper than keeping an index of their keys.
    for await (const event of this.erasures()) {
      if (event.data.subjectIds.includes(key)) return event;
    }
    return undefined;
  }

  private async *erasures(): AsyncGenerator<RecordedEvent<SubjectErased>> {
    let after: string | undefined;
    for (;;) {
      const page = await this.events.readAll({
        after,
        maxCount: 500,
        filter: { streamPrefixes: ['erasure-'], eventTypes: ['SubjectErased'] },
      });
      yield* page as unknown as Array<RecordedEvent<SubjectErased>>;
      if (page.length < 500) return;
      after = page[page.length - 1].position;
    }
  }

  private async recorded(erasureId: string): Promise<RecordedEvent<SubjectErased> | undefined> {
    const history = await this.pipeline.history(erasureStream(erasureId));
    return history.find((event) => event.type === 'SubjectErased') as
      RecordedEvent<SubjectErased> | undefined;
  }

  private async toRecord(event: RecordedEvent<SubjectErased>): Promise<ErasureRecord> {
    const { erasureId, subject, requestRef, erasedBy, subjectIds, sealedIn } = event.data;
    const erased = await Promise.all(subjectIds.map((id) => this.keys.isErased(id)));
    return {
      erasureId,
      subject,
      requestRef,
      erasedBy,
      erasedAt: event.metadata.occurredAt,
      subjectIds,
      sealedEvents: sealedIn.length,
      position: event.position,
      complete: erased.every(Boolean),
    };
  }

  /**
   * The in-memory indexes that hold addresses and phones (mail filing, dedup review) fold the
   * log: catching them up now makes them apply SubjectErased before the erasure answers.
   */
  private async forgetInMemoryCopies(): Promise<void> {
    await this.addressBook.refresh();
    await this.reviewQueue.catchUp();
  }

  /**
   * Waits until every read model has applied the erasure, then purges the embedded read store, so
   * the values they overwrote are gone from its file, its WAL and its full-text index.
   */
  private async blankReadModels(position: string | undefined): Promise<'erased' | 'pending'> {
    if (!this.settings.projections.run || position === undefined) return 'pending';
    if (!(await this.runner.waitFor(position, READ_MODELS_TIMEOUT_MS))) return 'pending';
    if (this.readStore instanceof SqliteReadStore) await this.readStore.purgeDeleted();
    return 'erased';
  }
}
