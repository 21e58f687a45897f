import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Account } from '../../domain/account/account.state';
import { normalizeEmail } from '../../domain/dedup/email';
import { exactDedupKeys, ExactKeySource } from '../../domain/dedup/exact-keys';
import { DedupPolicy } from '../../domain/policies/dedup-policy';
import { RecordNotFoundError } from '../commands/command-errors';
import {
  EVENT_STORE,
  EventActor,
  EventMetadata,
  EventStore,
} from '../event-store/event-store.port';
import { KEY_RESERVED } from '../event-store/reservation';
import { KeyedHasher } from '../personal-data/keyed-hash';
import { POLICY_REGISTRY, PolicyRegistry } from '../policies/policy-registry';
import { RecordReader } from '../records/record-reader';
import { CLOCK, Clock } from '../shared/clock';
import { KeyPendingError } from './dedup-errors';
import { appendAt, currentHolding, Holding, release, reserve } from './key-reservations';

export interface DedupKey {
  kind: 'email' | 'domain';
  /** The input the key comes from, for the problem a conflict answers with. */
  field: 'email' | 'website';
  /** Keyed hash of the normalized value: reservation streams never hold the value. */
  hash: string;
}

/** The command a claim is made for, as the reservation's metadata names it. */
export interface KeyOrigin {
  commandId: string;
  correlationId?: string;
  actor: EventActor;
}

/** The account a key leads to, after following merges to the survivor. */
export interface AccountHolder {
  accountId: string;
  ownerId: string;
  key: DedupKey;
}

export interface ClaimOutcome {
  /** Keys this call wrote a claim for; keys the account already held are not listed. */
  reserved: DedupKey[];
  /** The first key another account holds. Nothing stays claimed then. */
  conflict?: AccountHolder;
}

/** How long a claim waits for an account that another request is writing right now. */
const PENDING_WAIT_MS = 5_000;
const POLL_MS = 20;
/** A claim whose account is still missing after this was left by a writer that failed or crashed. */
const STALE_MS = 60_000;
const MAX_MERGE_HOPS = 20;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// Wall time, not the injected clock: the store stamps recordedAt with it, and test clocks stand still.
const stale = (holding: Holding) =>
  holding.recordedAt !== undefined && Date.now() - Date.parse(holding.recordedAt) > STALE_MS;

/**
 * Exact dedup keys of accounts (normalized email, web domain outside free mail), reserved in
 * reservation streams: of two simultaneous claims one wins, the other learns the account.
 */
@Injectable()
export class AccountKeys {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly hasher: KeyedHasher,
    private readonly records: RecordReader,
    @Inject(POLICY_REGISTRY) private readonly policies: PolicyRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The person's email first, the strongest match; then the company's domain. */
  keysOf(source: ExactKeySource): DedupKey[] {
    const extraFreeMailDomains = this.policies.has('dedup.default')
      ? this.policies.current<DedupPolicy>('dedup.default').extraFreeMailDomains
      : [];
    const { email, domain } = exactDedupKeys(source, { extraFreeMailDomains });
    const keys: DedupKey[] = [];
    if (email) keys.push({ kind: 'email', field: 'email', hash: this.hasher.hash('email', email) });
    if (domain) {
      keys.push({ kind: 'domain', field: 'website', hash: this.hasher.hash('domain', domain) });
    }
    return keys;
  }

  /** Claims the keys for the account, in order, and stops at the first one another account holds. */
  async claim(accountId: string, keys: DedupKey[], origin: KeyOrigin): Promise<ClaimOutcome> {
    const reserved: DedupKey[] = [];
    try {
      for (const key of keys) {
        const outcome = await this.claimOne(accountId, key, origin);
        if (outcome === 'reserved') reserved.push(key);
        else if (outcome !== 'held') {
          await this.release(accountId, reserved, origin);
          return { reserved: [], conflict: outcome };
        }
      }
    } catch (error) {
      await this.release(accountId, reserved, origin);
      throw error;
    }
    return { reserved };
  }

  /** Gives back keys claimed for an account that will not be written after all. */
  async release(accountId: string, keys: DedupKey[], origin: KeyOrigin): Promise<void> {
    for (const key of keys) {
      await release(this.store, this.reservation(accountId, key), this.metadata(origin));
    }
  }

  /** The account holding the key; none while the holder is still being written. */
  async holderOf(key: DedupKey): Promise<AccountHolder | undefined> {
    const { ownerStream } = await currentHolding(this.store, key.kind, key.hash);
    return ownerStream ? this.survivorOf(ownerStream, key) : undefined;
  }

  /** The account an inquiry or a new account belongs to by an exact key, if any. */
  async match(source: ExactKeySource): Promise<AccountHolder | undefined> {
    for (const key of this.keysOf(source)) {
      const holder = await this.holderOf(key);
      if (holder) return holder;
    }
    return undefined;
  }

  /** The account's contact with this email, compared normalized. */
  async contactWith(accountId: string, email: string): Promise<string | undefined> {
    const wanted = normalizeEmail(email);
    const contacts = Object.values((await this.account(accountId))?.contacts ?? {});
    return (
      wanted && contacts.find((contact) => normalizeEmail(contact.email) === wanted)?.contactId
    );
  }

  /**
   * The account's contact with this email. While another request that claimed the email for this
   * account is still adding its contact, waits for it: a second contact with that email would be
   * refused by the account a moment later.
   */
  async contactFor(
    accountId: string,
    email: string,
    key: DedupKey,
    origin: KeyOrigin,
  ): Promise<string | undefined> {
    const deadline = Date.now() + PENDING_WAIT_MS;
    for (;;) {
      const contactId = await this.contactWith(accountId, email);
      if (contactId) return contactId;
      const holding = await currentHolding(this.store, key.kind, key.hash);
      const addedElsewhere =
        holding.ownerStream === `account-${accountId}` &&
        holding.causationId !== origin.commandId &&
        !stale(holding);
      if (!addedElsewhere) return undefined;
      if (Date.now() > deadline) throw new KeyPendingError(key.field);
      await sleep(POLL_MS);
    }
  }

  private async claimOne(
    accountId: string,
    key: DedupKey,
    origin: KeyOrigin,
  ): Promise<'reserved' | 'held' | AccountHolder> {
    const reservation = this.reservation(accountId, key);
    const deadline = Date.now() + PENDING_WAIT_MS;
    for (;;) {
      const { reserved, holding } = await reserve(this.store, reservation, this.metadata(origin));
      if (reserved) return 'reserved';
      // A retry of the same command names the same account: its own claim is no conflict.
      if (holding.ownerStream === reservation.ownerStream) return 'held';
      const holder = await this.survivorOf(holding.ownerStream!, key);
      if (holder) return holder.accountId === accountId ? 'held' : holder;
      const metadata = this.metadata(origin);
      if (
        stale(holding) &&
        (await appendAt(this.store, KEY_RESERVED, reservation, holding, metadata))
      )
        return 'reserved';
      if (Date.now() > deadline) throw new KeyPendingError(key.field);
      await sleep(POLL_MS);
    }
  }

  /** Follows merges: a key of a merged-away account leads to the survivor, and back after an unmerge. */
  private async survivorOf(ownerStream: string, key: DedupKey): Promise<AccountHolder | undefined> {
    let accountId = ownerStream.slice('account-'.length);
    for (let hop = 0; hop < MAX_MERGE_HOPS; hop++) {
      const account = await this.account(accountId);
      if (!account) return undefined;
      if (!account.mergedInto) return { accountId, ownerId: account.ownerId, key };
      accountId = account.mergedInto.survivorId;
    }
    return undefined;
  }

  private async account(accountId: string): Promise<Account | undefined> {
    try {
      return (await this.records.lookUp<Account>('account', accountId)).state;
    } catch (error) {
      if (error instanceof RecordNotFoundError) return undefined;
      throw error;
    }
  }

  private reservation(accountId: string, key: DedupKey) {
    return { kind: key.kind, keyHash: key.hash, ownerStream: `account-${accountId}` };
  }

  private metadata(origin: KeyOrigin): EventMetadata {
    return {
      occurredAt: this.clock.now().toISOString(),
      $correlationId: origin.correlationId ?? randomUUID(),
      $causationId: origin.commandId,
      actor: origin.actor,
    };
  }
}
