import { Logger } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AssignableTeam, AssignableUser } from '../../../domain/assignment/eligibility';
import { InitialOwner } from '../../../domain/lead/lead.commands';
import { LeadAssignment, ReceiptAssignment } from '../../../src/assignment/lead-assignment';
import { RotationFeed } from '../../../src/assignment/rotation-feed';
import { CommandPipeline } from '../../../src/commands/command-pipeline';
import { SqliteEventStore } from '../../../src/event-store/sqlite/sqlite-event-store';
import { BookOfBusiness } from '../../../src/identity/book-of-business';
import { DirectoryFeed } from '../../../src/identity/directory-feed';
import { PolicyRegistry } from '../../../src/policies/policy-registry';

const policy = (file: string) =>
  JSON.parse(readFileSync(join(__dirname, '../../../config/policies', file), 'utf8'));
const POLICIES: Record<string, unknown> = {
  'assignment.default': policy('assignment.default.json'),
  'calendars.default': policy('calendars.default.json'),
};

// Tuesday 10 March 2026, 12:00 in Dubai: the Gulf team is on shift.
const AT = '2026-03-10T08:00:00.000Z';
const GULF = ['u-gulf-1', 'u-gulf-2', 'u-gulf-3'];
const users: AssignableUser[] = GULF.map((userId) => ({
  userId,
  role: 'rep',
  teamId: 'gulf-sales',
  availability: 'available',
  active: true,
}));
const teams: AssignableTeam[] = [
  { teamId: 'gulf-sales', region: ['AE'], calendarKey: 'dubai-sales' },
];

interface Receipt {
  replayed: boolean;
  assignTo?: InitialOwner;
}

/** A receipt the test settles when it chooses, so decisions can be taken while it is pending. */
const deferred = () => {
  let settle!: { resolve: (receipt: Receipt) => void; reject: (error: Error) => void };
  let seen: ReceiptAssignment | undefined;
  const promise = new Promise<Receipt>((resolve, reject) => (settle = { resolve, reject }));
  return {
    receive: (assignment: ReceiptAssignment | undefined) => {
      seen = assignment;
      return promise;
    },
    get owner() {
      return seen?.assignTo.to;
    },
    get assignment() {
      return seen;
    },
    ...settle,
  };
};

/** Lets every queued decision run: decisions take microtasks, appends an event-loop turn. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('LeadAssignment: the owner decided for the append that receives the inquiry', () => {
  let store: SqliteEventStore;
  let assignment: LeadAssignment;

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(() => {
    store = SqliteEventStore.open({ file: ':memory:' });
    assignment = new LeadAssignment(
      undefined as unknown as CommandPipeline,
      { directory: { allUsers: () => users, allTeams: () => teams } } as unknown as DirectoryFeed,
      { openLoad: async () => new Map() } as unknown as BookOfBusiness,
      new RotationFeed(store),
      {
        has: (id: string) => id in POLICIES,
        current: (id: string) => POLICIES[id],
      } as unknown as PolicyRegistry,
    );
  });

  afterEach(() => store.close());

  const facts = (leadId: string) => ({
    leadId,
    channel: 'website_form' as const,
    country: 'AE',
    at: AT,
  });

  /** What a successful receipt writes: the rule's LeadAssigned on the new lead, under the command id. */
  const write = async (leadId: string, commandId: string, owner: InitialOwner) => {
    await store.append(
      `lead-${leadId}`,
      [
        {
          type: 'LeadAssigned',
          data: { leadId, ...owner },
          metadata: {
            occurredAt: AT,
            $correlationId: commandId,
            $causationId: commandId,
            commandId,
          },
        },
      ],
      { expectedRevision: 'any' },
    );
  };

  /** A receipt that writes its append, then waits for the test to settle it. */
  const receiveAndWrite = (leadId: string, commandId: string) => {
    const receipt = deferred();
    let written!: () => void;
    const isWritten = new Promise<void>((resolve) => (written = resolve));
    const done = assignment.assignOnReceipt(facts(leadId), { commandId }, async (decided) => {
      const outcome = receipt.receive(decided);
      await write(leadId, commandId, decided!.assignTo);
      written();
      return outcome;
    });
    return { receipt, done, isWritten };
  };

  it('hands the rule decision over as the initial owner, and the LeadAssigned as the system’s', async () => {
    const receipt = deferred();
    const done = assignment.assignOnReceipt(facts('l-1'), { commandId: 'c-1' }, receipt.receive);
    await settled();
    const cause = { kind: 'rule', id: 'assignment.default#gulf-inquiries', version: 1 };
    expect(receipt.assignment).toEqual({
      assignTo: { to: GULF[0], reason: expect.stringMatching(/round robin/), cause },
      decidedBy: {
        LeadAssigned: {
          actor: { userId: 'system', role: 'system' },
          cause,
          reason: receipt.assignment?.assignTo.reason,
        },
      },
    });
    receipt.resolve({ replayed: false });
    await expect(done).resolves.toEqual({ replayed: false });
  });

  it('gives simultaneous inquiries distinct turns while their appends are pending', async () => {
    const receipts = [deferred(), deferred(), deferred(), deferred()];
    const done = receipts.map((receipt, n) =>
      assignment.assignOnReceipt(facts(`l-${n}`), { commandId: `c-${n}` }, receipt.receive),
    );
    await settled();
    expect(receipts.map((receipt) => receipt.owner)).toEqual([...GULF, GULF[0]]);
    receipts.forEach((receipt) => receipt.resolve({ replayed: false }));
    await Promise.all(done);
  });

  it('counts a decision once when the rotation reads it back before it is released', async () => {
    const first = receiveAndWrite('l-1', 'c-1');
    await first.isWritten;
    // Written, not yet released: the rotation has read it from the store and must not count it twice.
    const second = deferred();
    const secondDone = assignment.assignOnReceipt(
      facts('l-2'),
      { commandId: 'c-2' },
      second.receive,
    );
    await settled();
    expect([first.receipt.owner, second.owner]).toEqual([GULF[0], GULF[1]]);
    first.receipt.resolve({ replayed: false });
    second.resolve({ replayed: false });
    await Promise.all([first.done, secondDone]);
  });

  it('gives back the turn of a receipt that fails or is refused', async () => {
    const failing = deferred();
    const failed = assignment.assignOnReceipt(facts('l-1'), { commandId: 'c-1' }, failing.receive);
    await settled();
    expect(failing.owner).toBe(GULF[0]);
    failing.reject(new Error('refused'));
    await expect(failed).rejects.toThrow('refused');

    const next = deferred();
    const nextDone = assignment.assignOnReceipt(facts('l-2'), { commandId: 'c-2' }, next.receive);
    await settled();
    expect(next.owner).toBe(GULF[0]);
    next.resolve({ replayed: false });
    await nextDone;
  });

  it('gives back the turn of a retry that was replayed', async () => {
    const replay = deferred();
    const replayed = assignment.assignOnReceipt(facts('l-1'), { commandId: 'c-1' }, replay.receive);
    await settled();
    replay.resolve({ replayed: true });
    await replayed;

    const next = deferred();
    const nextDone = assignment.assignOnReceipt(facts('l-2'), { commandId: 'c-2' }, next.receive);
    await settled();
    expect(next.owner).toBe(GULF[0]);
    next.resolve({ replayed: false });
    await nextDone;
  });

  it('lets a retry of an assigned inquiry take no turn, even while it is pending', async () => {
    const original = receiveAndWrite('l-1', 'same-key');
    await original.isWritten;
    original.receipt.resolve({ replayed: false });
    await original.done;

    // The retry decides again (it cannot know yet that the pipeline will replay it)…
    const retry = deferred();
    const retried = assignment.assignOnReceipt(
      facts('l-1'),
      { commandId: 'same-key' },
      retry.receive,
    );
    // …but a new inquiry meanwhile takes the next turn after the original, not after the retry.
    const fresh = deferred();
    const freshDone = assignment.assignOnReceipt(facts('l-2'), { commandId: 'c-2' }, fresh.receive);
    await settled();
    expect(original.receipt.owner).toBe(GULF[0]);
    expect(fresh.owner).toBe(GULF[1]);
    retry.resolve({ replayed: true });
    fresh.resolve({ replayed: false });
    await Promise.all([retried, freshDone]);
  });

  it('names the command a retry used on its own lead: the same key on another lead is another turn', async () => {
    const original = receiveAndWrite('l-1', 'same-key');
    await original.isWritten;
    original.receipt.resolve({ replayed: false });
    await original.done;

    const other = deferred();
    const otherDone = assignment.assignOnReceipt(
      facts('l-2'),
      { commandId: 'same-key' },
      other.receive,
    );
    const fresh = deferred();
    const freshDone = assignment.assignOnReceipt(facts('l-3'), { commandId: 'c-3' }, fresh.receive);
    await settled();
    expect([other.owner, fresh.owner]).toEqual([GULF[1], GULF[2]]);
    other.resolve({ replayed: false });
    fresh.resolve({ replayed: false });
    await Promise.all([otherDone, freshDone]);
  });

  it('decides nothing without an assignment policy in force', async () => {
    const none = new LeadAssignment(
      undefined as unknown as CommandPipeline,
      undefined as unknown as DirectoryFeed,
      undefined as unknown as BookOfBusiness,
      new RotationFeed(store),
      { has: () => false } as unknown as PolicyRegistry,
    );
    const receive = jest.fn(async () => ({ replayed: false }));
    await none.assignOnReceipt(facts('l-1'), { commandId: 'c-1' }, receive);
    expect(receive).toHaveBeenCalledWith(undefined);
  });
});
