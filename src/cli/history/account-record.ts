import { ContactRole, Lifecycle } from '../../../domain/account/account.commands';
import { judgeLifecycleChange } from '../../../domain/account/account.lifecycle';
import { SourceChannel } from '../../../domain/shared/channels';
import { EventActor } from '../../event-store/event-store.port';
import { Story } from './plan';
import { makePerson, Person, Prospect } from './prospects';
import { World } from './world';

export interface ContactRecord extends Person {
  contactId: string;
}

/** What the generator keeps of an account to write valid commands for it. */
export class AccountRecord {
  lifecycle: Lifecycle = 'potential';
  hasOrdered = false;
  grade: 'A' | 'B' | 'C';
  readonly contacts: ContactRecord[] = [];
  certifications: string[] = [];

  constructor(
    private readonly world: World,
    private readonly story: Story,
    readonly accountId: string,
    readonly prospect: Prospect,
    public ownerId: string,
    readonly sourceChannel: SourceChannel,
    primary: ContactRecord,
  ) {
    this.grade = prospect.grade;
    this.contacts.push(primary);
  }

  get primary(): ContactRecord {
    return this.contacts[0];
  }

  private asOwner(): { actor: EventActor; cause: { kind: 'person'; id: string } } {
    return {
      actor: { userId: this.ownerId, role: 'rep' },
      cause: { kind: 'person', id: this.ownerId },
    };
  }

  /**
   * Moves the lifecycle when the domain allows it; a move it would refuse is simply not made. Once
   * the account-lifecycle saga acts, the move is its to make: the story only notes where it stands.
   */
  moveLifecycle(to: Lifecycle, reason: string, actor?: EventActor): boolean {
    if (judgeLifecycleChange(this.lifecycle, to, this.hasOrdered) !== 'ok') return false;
    if (this.world.isAutomated(this.story.now)) {
      this.lifecycle = to;
      if (to === 'won' || to === 'repeat') this.hasOrdered = true;
      return true;
    }
    const meta = actor
      ? { actor, cause: { kind: 'person' as const, id: actor.userId } }
      : this.asOwner();
    this.story.domain(
      'account',
      this.accountId,
      'ChangeLifecycle',
      { accountId: this.accountId, to, reason, cause: meta.cause },
      meta,
    );
    this.lifecycle = to;
    if (to === 'won' || to === 'repeat') this.hasOrdered = true;
    return true;
  }

  /** A win is the first order ("won") or a further one ("repeat"). */
  recordOrder(orderReference: string): void {
    const to: Lifecycle = this.hasOrdered ? 'repeat' : 'won';
    if (this.lifecycle === 'repeat') return;
    if (judgeLifecycleChange(this.lifecycle, to, this.hasOrdered) !== 'ok')
      this.moveLifecycle('active', 'Customer re-engaged with a new order');
    this.moveLifecycle(to, `Order ${orderReference} placed`);
  }

  changeGrade(grade: 'A' | 'B' | 'C', reason: string): void {
    if (grade === this.grade) return;
    this.story.domain(
      'account',
      this.accountId,
      'ChangeGrade',
      { accountId: this.accountId, grade, reason },
      this.asOwner(),
    );
    this.grade = grade;
  }

  /** Another person at the buyer joins the conversation: engineering, quality or finance. */
  addContact(role: ContactRole): ContactRecord {
    const random = this.world.random;
    let person = makePerson(random, this.prospect.country, this.prospect.domain, role, false);
    for (let attempt = 0; attempt < 5 && this.hasEmail(person.email); attempt++)
      person = makePerson(random, this.prospect.country, this.prospect.domain, role, false);
    if (this.hasEmail(person.email)) person = { ...person, email: undefined };
    const contact: ContactRecord = { ...person, contactId: this.story.newId() };
    this.story.domain(
      'account',
      this.accountId,
      'AddContact',
      {
        accountId: this.accountId,
        contactId: contact.contactId,
        name: contact.name,
        ...(contact.email && { email: contact.email }),
        ...(contact.phone && { phone: contact.phone }),
        role,
        title: contact.title,
      },
      this.asOwner(),
    );
    this.contacts.push(contact);
    return contact;
  }

  hasEmail(email: string | undefined): boolean {
    return (
      email !== undefined &&
      this.contacts.some((contact) => contact.email?.toLowerCase() === email.toLowerCase())
    );
  }

  /** The buyer turns out to need more certificates than the profile says. */
  addCertifications(extra: string[]): void {
    const certifications = [...new Set([...this.certifications, ...extra])];
    if (certifications.length === this.certifications.length) return;
    this.updateProfile({ certifications });
    this.certifications = certifications;
  }

  updateProfile(changes: Record<string, unknown>): void {
    this.story.domain(
      'account',
      this.accountId,
      'UpdateAccountProfile',
      { accountId: this.accountId, changes },
      this.asOwner(),
    );
  }

  transferOwner(to: string, reason: string, actor: EventActor): void {
    this.story.domain(
      'account',
      this.accountId,
      'TransferAccountOwnership',
      {
        accountId: this.accountId,
        from: this.ownerId,
        to,
        reason,
        cause: { kind: 'person', id: actor.userId },
      },
      { actor, cause: { kind: 'person', id: actor.userId } },
    );
    this.ownerId = to;
  }
}
