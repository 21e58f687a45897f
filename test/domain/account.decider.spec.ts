import { accountDecider } from '../../domain/account/account.decider';
import {
  AccountCommand,
  AccountProfileChanges,
  AddContact,
  Contact,
  Lifecycle,
  RegisterAccount,
} from '../../domain/account/account.commands';
import { AccountEvent, AccountRegistered } from '../../domain/account/account.events';
import { LIFECYCLE_TRANSITIONS } from '../../domain/account/account.lifecycle';
import { Cause } from '../../domain/shared/cause';
import { specify } from './decider-spec';

const account = specify(accountDecider);

const NOW = '2026-03-01T09:00:00.000Z';
const manager: Cause = { kind: 'person', id: 'u-manager-1' };
const wonSaga: Cause = { kind: 'saga', id: 'account-lifecycle' };

const registration: RegisterAccount = {
  accountId: 'a-1',
  name: 'Weber Pumpen GmbH',
  country: 'DE',
  website: 'weber-pumps.de',
  mainProducts: ['industrial pumps', 'valves'],
  customerType: 'manufacturer',
  sourceChannel: 'trade_show',
  ownerId: 'u-rep-1',
  grade: 'B',
};
const { accountId: _id, ownerId: _owner, grade: _grade, ...profile } = registration;

const registeredAs = (changes: Partial<AccountRegistered> = {}): AccountEvent => ({
  type: 'AccountRegistered',
  data: { ...registration, lifecycle: 'potential', ...changes },
});
const registered = registeredAs();

const jonas: Contact = {
  contactId: 'c-1',
  name: 'Jonas Weber',
  email: 'jonas@weber-pumps.de',
  phone: '+4930123456',
  role: 'purchasing',
  title: 'Head of Purchasing',
};
const maria: Contact = { contactId: 'c-2', name: 'Maria Kern', role: 'quality' };
const jonasAdded: AccountEvent = { type: 'ContactAdded', data: { accountId: 'a-1', ...jonas } };
const mariaAdded: AccountEvent = { type: 'ContactAdded', data: { accountId: 'a-1', ...maria } };

const lifecycleChanged = (from: Lifecycle, to: Lifecycle): AccountEvent => ({
  type: 'AccountLifecycleChanged',
  data: { accountId: 'a-1', from, to, reason: 'test', cause: wonSaga },
});

const register = (changes: Partial<RegisterAccount> = {}): AccountCommand => ({
  type: 'RegisterAccount',
  data: { ...registration, ...changes },
});
const update = (changes: AccountProfileChanges): AccountCommand => ({
  type: 'UpdateAccountProfile',
  data: { accountId: 'a-1', changes },
});
const changeLifecycle = (to: Lifecycle, reason = 'Deal d-1 won'): AccountCommand => ({
  type: 'ChangeLifecycle',
  data: { accountId: 'a-1', to, reason, cause: wonSaga },
});
const addContact = (changes: Partial<AddContact> = {}): AccountCommand => ({
  type: 'AddContact',
  data: { accountId: 'a-1', ...maria, ...changes },
});
const merge = (survivorId = 'a-2'): AccountCommand => ({
  type: 'MergeAccountInto',
  data: { accountId: 'a-1', survivorId, mergeId: 'm-1', reason: 'Same company', cause: manager },
});

describe('RegisterAccount', () => {
  it('registers a prospect with the required fields', () => {
    account.given([]).when(register()).then([registered]);
  });

  it('keeps business and trade fields, and no stray input', () => {
    const full = {
      purchaseVolumeBand: '200k_1m' as const,
      purchaseCycle: 'quarterly' as const,
      targetMarkets: ['DE', 'AT', 'CH'],
      certifications: ['CE', 'RoHS'] as ('CE' | 'RoHS')[],
      competitorBrands: ['Grundfos'],
      priceSensitivity: 'high' as const,
      leadTimeSensitivity: 'medium' as const,
      timeZone: 'Europe/Berlin',
      language: 'de',
      ports: ['Hamburg'],
      incoterms: ['FOB', 'CIF'] as ('FOB' | 'CIF')[],
      paymentTerms: ['T/T', 'L/C'] as ('T/T' | 'L/C')[],
    };
    account
      .given([])
      .when(register({ ...full, lifecycle: 'active', notes: 'x' } as Partial<RegisterAccount>))
      .then([registeredAs({ ...full, lifecycle: 'active' })]);
  });

  it('takes a referral as the source channel, besides every inquiry channel', () => {
    account
      .given([])
      .when(register({ sourceChannel: 'referral' }))
      .then([registeredAs({ sourceChannel: 'referral' })]);
  });

  it('refuses registering the same account twice', () => {
    account.given([registered]).when(register()).thenThrows('account.already_exists');
  });

  it.each<[string, Partial<RegisterAccount>, string]>([
    ['no id', { accountId: '' }, 'account.id_required'],
    ['no owner', { ownerId: ' ' }, 'account.owner_required'],
    ['a grade other than A, B or C', { grade: 'D' as 'A' }, 'account.grade_invalid'],
    ['an unknown lifecycle', { lifecycle: 'vip' as 'won' }, 'account.lifecycle_invalid'],
    ['no name', { name: '' }, 'account.name_required'],
    ['a country name instead of its code', { country: 'Germany' }, 'account.country_invalid'],
    ['a lower-case country code', { country: 'de' }, 'account.country_invalid'],
    ['no website', { website: undefined as unknown as string }, 'account.website_invalid'],
    ['a website that is not a domain', { website: 'weber pumps' }, 'account.website_invalid'],
    ['no main products', { mainProducts: [] }, 'account.main_products_required'],
    [
      'a product listed twice',
      { mainProducts: ['pumps', 'pumps'] },
      'account.main_products_required',
    ],
    [
      'an unknown customer type',
      { customerType: 'retailer' as 'trader' },
      'account.customer_type_invalid',
    ],
    [
      'an unknown source channel',
      { sourceChannel: 'fax' as 'email' },
      'account.source_channel_invalid',
    ],
    [
      'an unknown volume band',
      { purchaseVolumeBand: 'huge' as 'over_5m' },
      'account.purchase_volume_band_invalid',
    ],
    [
      'an unknown purchase cycle',
      { purchaseCycle: 'weekly' as 'monthly' },
      'account.purchase_cycle_invalid',
    ],
    [
      'a target market that is not a country',
      { targetMarkets: ['EU'] },
      'account.target_markets_invalid',
    ],
    [
      'an unknown certification',
      { certifications: ['GS' as 'CE'] },
      'account.certifications_invalid',
    ],
    ['a blank competitor', { competitorBrands: [''] }, 'account.competitor_brands_invalid'],
    [
      'an unknown price sensitivity',
      { priceSensitivity: 'extreme' as 'high' },
      'account.price_sensitivity_invalid',
    ],
    [
      'an unknown lead-time sensitivity',
      { leadTimeSensitivity: 'x' as 'low' },
      'account.lead_time_sensitivity_invalid',
    ],
    ['a time zone that is not a zone name', { timeZone: 'GMT +1' }, 'account.time_zone_invalid'],
    ['a language that is not a language code', { language: 'German' }, 'account.language_invalid'],
    ['a blank port', { ports: [' '] }, 'account.ports_invalid'],
    ['an unknown Incoterm', { incoterms: ['FOT' as 'FOB'] }, 'account.incoterms_invalid'],
    ['an unknown payment term', { paymentTerms: ['CAD' as 'OA'] }, 'account.payment_terms_invalid'],
    [
      'a payment term spelt without its slash',
      { paymentTerms: ['TT' as 'T/T'] },
      'account.payment_terms_invalid',
    ],
  ])('refuses %s', (_case, changes, code) => {
    account.given([]).when(register(changes)).thenThrows(code);
  });
});

describe('UpdateAccountProfile', () => {
  it('records only the fields that changed', () => {
    account
      .given([registered])
      .when(update({ name: registration.name, country: 'AT', incoterms: ['FOB'] }))
      .then([
        {
          type: 'AccountProfileUpdated',
          data: { accountId: 'a-1', changes: { country: 'AT', incoterms: ['FOB'] } },
        },
      ]);
  });

  it('clears an optional field with null', () => {
    account
      .given([registeredAs({ ports: ['Hamburg'] })])
      .when(update({ ports: null, language: null }))
      .then([
        { type: 'AccountProfileUpdated', data: { accountId: 'a-1', changes: { ports: null } } },
      ]);
  });

  it('refuses an update that changes nothing', () => {
    account
      .given([
        registered,
        { type: 'AccountProfileUpdated', data: { accountId: 'a-1', changes: { language: 'de' } } },
      ])
      .when(update({ language: 'de', mainProducts: [...profile.mainProducts], timeZone: null }))
      .thenThrows('account.profile_unchanged', /Nothing changed/);
  });

  it('refuses clearing a required field', () => {
    const error = account
      .given([registered])
      .when(update({ country: null } as unknown as AccountProfileChanges))
      .thenThrows('account.country_required', /cannot be left empty/);
    expect(error.field).toBe('country');
  });

  it('refuses invalid values and unknown fields', () => {
    account
      .given([registered])
      .when(update({ grade: 'A' } as AccountProfileChanges))
      .thenThrows('account.field_unknown');
    account
      .given([registered])
      .when(update({ incoterms: ['FOB', 'FOB'] }))
      .thenThrows('account.incoterms_invalid');
  });

  it('refuses on a missing account', () => {
    account
      .given([])
      .when(update({ country: 'AT' }))
      .thenThrows('account.not_found');
  });
});

describe('ChangeGrade', () => {
  const regrade = (grade: 'A' | 'B' | 'C', reason = 'Annual volume doubled'): AccountCommand => ({
    type: 'ChangeGrade',
    data: { accountId: 'a-1', grade, reason },
  });

  it('changes the grade with its reason', () => {
    account
      .given([registered])
      .when(regrade('A'))
      .then([
        {
          type: 'AccountGradeChanged',
          data: { accountId: 'a-1', from: 'B', to: 'A', reason: 'Annual volume doubled' },
        },
      ]);
  });

  it('refuses the same grade, an unknown grade or no reason', () => {
    account.given([registered]).when(regrade('B')).thenThrows('account.grade_unchanged');
    account
      .given([registered])
      .when(regrade('E' as 'A'))
      .thenThrows('account.grade_invalid');
    account.given([registered]).when(regrade('A', '')).thenThrows('account.reason_required');
  });
});

describe('ChangeLifecycle', () => {
  it('moves a prospect to active, recording the cause', () => {
    account
      .given([registered])
      .when(changeLifecycle('active', 'First sample order'))
      .then([
        {
          type: 'AccountLifecycleChanged',
          data: {
            accountId: 'a-1',
            from: 'potential',
            to: 'active',
            reason: 'First sample order',
            cause: wonSaga,
          },
        },
      ]);
  });

  it('follows the transition table from every stage', () => {
    const stages = Object.keys(LIFECYCLE_TRANSITIONS) as Lifecycle[];
    for (const from of stages) {
      // Imported as won or repeat means the customer has ordered before.
      const hasOrdered = from === 'won' || from === 'repeat';
      const given = account.given([registeredAs({ lifecycle: from })]);
      for (const to of stages) {
        const when = given.when(changeLifecycle(to));
        if (from === to) when.thenThrows('account.lifecycle_unchanged');
        else if (!LIFECYCLE_TRANSITIONS[from].includes(to)) {
          when.thenThrows('account.lifecycle_transition_invalid');
        } else if (to === 'won' && hasOrdered) when.thenThrows('account.lifecycle_repeat_expected');
        else if (to === 'repeat' && !hasOrdered) when.thenThrows('account.lifecycle_no_prior_win');
        else when.then([withReason(lifecycleChanged(from, to))]);
      }
    }
  });

  it('marks the first order won and later ones repeat', () => {
    account
      .given([registeredAs({ lifecycle: 'active' })])
      .when(changeLifecycle('won'))
      .events();
    account
      .given([registeredAs({ lifecycle: 'active' }), lifecycleChanged('active', 'won')])
      .when(changeLifecycle('repeat'))
      .then([withReason(lifecycleChanged('won', 'repeat'))]);
  });

  it('wakes a dormant customer with a second order as repeat, not won', () => {
    const history = [
      registered,
      lifecycleChanged('potential', 'won'),
      lifecycleChanged('won', 'dormant'),
    ];
    account
      .given(history)
      .when(changeLifecycle('repeat'))
      .then([withReason(lifecycleChanged('dormant', 'repeat'))]);
    account
      .given(history)
      .when(changeLifecycle('won'))
      .thenThrows('account.lifecycle_repeat_expected', /repeat/);
  });

  it('reactivates a lost customer, whose next order is repeat', () => {
    const history = [registeredAs({ lifecycle: 'repeat' }), lifecycleChanged('repeat', 'lost')];
    account
      .given(history)
      .when(changeLifecycle('won'))
      .thenThrows('account.lifecycle_transition_invalid', /lost to won/);
    account
      .given(history)
      .when(changeLifecycle('active'))
      .then([withReason(lifecycleChanged('lost', 'active'))]);
    account
      .given([...history, lifecycleChanged('lost', 'active')])
      .when(changeLifecycle('won'))
      .thenThrows('account.lifecycle_repeat_expected');
  });

  it('refuses leaving repeat for won or active', () => {
    const history = [registeredAs({ lifecycle: 'repeat' })];
    account
      .given(history)
      .when(changeLifecycle('won'))
      .thenThrows('account.lifecycle_transition_invalid');
    account
      .given(history)
      .when(changeLifecycle('active'))
      .thenThrows('account.lifecycle_transition_invalid');
  });

  it('refuses an unknown stage, no reason or no cause', () => {
    account
      .given([registered])
      .when(changeLifecycle('vip' as Lifecycle))
      .thenThrows('account.lifecycle_invalid');
    account
      .given([registered])
      .when(changeLifecycle('active', ' '))
      .thenThrows('account.reason_required');
    account
      .given([registered])
      .when({
        type: 'ChangeLifecycle',
        data: {
          accountId: 'a-1',
          to: 'active',
          reason: 'r',
          cause: { kind: 'rule', id: 'r-1' } as Cause,
        },
      })
      .thenThrows('account.cause_invalid');
  });
});

const withReason = (event: AccountEvent): AccountEvent =>
  event.type === 'AccountLifecycleChanged'
    ? { ...event, data: { ...event.data, reason: 'Deal d-1 won' } }
    : event;

describe('AddContact', () => {
  it('adds a contact with a role', () => {
    account.given([registered]).when(addContact()).then([mariaAdded]);
    account
      .given([registered])
      .when(addContact({ ...jonas }))
      .then([jonasAdded]);
  });

  it('refuses a second contact with the same email, whatever its case', () => {
    const error = account
      .given([registered, jonasAdded])
      .when(addContact({ email: 'JONAS@weber-pumps.de' }))
      .thenThrows('account.contact_email_taken', /Jonas Weber/);
    expect(error.details).toEqual({ contactId: 'c-1' });
  });

  it.each<[string, Partial<AddContact>, string]>([
    ['no contact id', { contactId: '' }, 'account.contact_id_required'],
    ['no name', { name: '' }, 'account.contact_name_required'],
    ['an unknown role', { role: 'ceo' as 'owner' }, 'account.contact_role_invalid'],
    ['a bad email', { email: 'maria@' }, 'account.contact_email_invalid'],
    ['a phone not in E.164', { phone: '0049 30 123' }, 'account.contact_phone_invalid'],
    ['a blank title', { title: '' }, 'account.contact_title_invalid'],
  ])('refuses %s', (_case, changes, code) => {
    account.given([registered]).when(addContact(changes)).thenThrows(code);
  });

  it('refuses a contact id already on the account', () => {
    account.given([registered, mariaAdded]).when(addContact()).thenThrows('account.contact_exists');
  });
});

describe('UpdateContact', () => {
  const updateContact = (changes: Record<string, unknown>, contactId = 'c-1'): AccountCommand => ({
    type: 'UpdateContact',
    data: { accountId: 'a-1', contactId, changes },
  });

  it('records only what changed, null clearing a detail', () => {
    account
      .given([registered, jonasAdded])
      .when(updateContact({ name: 'Jonas Weber', role: 'owner', title: null, phone: null }))
      .then([
        {
          type: 'ContactUpdated',
          data: {
            accountId: 'a-1',
            contactId: 'c-1',
            changes: { role: 'owner', title: null, phone: null },
          },
        },
      ]);
  });

  it('refuses an update that changes nothing', () => {
    account
      .given([registered, mariaAdded])
      .when(updateContact({ name: 'Maria Kern', email: null }, 'c-2'))
      .thenThrows('account.contact_unchanged');
  });

  it('refuses an email another contact has', () => {
    account
      .given([registered, jonasAdded, mariaAdded])
      .when(updateContact({ email: 'jonas@weber-pumps.de' }, 'c-2'))
      .thenThrows('account.contact_email_taken');
  });

  it('refuses invalid details, clearing the name, unknown fields and unknown contacts', () => {
    const given = account.given([registered, jonasAdded]);
    given.when(updateContact({ phone: '12345' })).thenThrows('account.contact_phone_invalid');
    given.when(updateContact({ name: null })).thenThrows('account.contact_name_required');
    given.when(updateContact({ birthday: '1980-01-01' })).thenThrows('account.field_unknown');
    given.when(updateContact({ name: 'X' }, 'c-9')).thenThrows('account.contact_not_found');
  });
});

describe('RemoveContact', () => {
  const remove = (contactId = 'c-1', reason = 'Left the company'): AccountCommand => ({
    type: 'RemoveContact',
    data: { accountId: 'a-1', contactId, reason },
  });
  const removed: AccountEvent = {
    type: 'ContactRemoved',
    data: { accountId: 'a-1', contactId: 'c-1', reason: 'Left the company' },
  };

  it('removes a contact with its reason', () => {
    account.given([registered, jonasAdded]).when(remove()).then([removed]);
  });

  it('refuses unknown or already removed contacts, and no reason', () => {
    account.given([registered]).when(remove()).thenThrows('account.contact_not_found');
    account
      .given([registered, jonasAdded, removed])
      .when(remove())
      .thenThrows('account.contact_not_found');
    account
      .given([registered, jonasAdded])
      .when(remove('c-1', ''))
      .thenThrows('account.reason_required');
  });

  it('frees the email of a removed contact', () => {
    account
      .given([registered, jonasAdded, removed])
      .when(addContact({ contactId: 'c-3', email: 'jonas@weber-pumps.de' }))
      .then([
        {
          type: 'ContactAdded',
          data: { accountId: 'a-1', ...maria, contactId: 'c-3', email: 'jonas@weber-pumps.de' },
        },
      ]);
  });
});

describe('TransferAccountOwnership', () => {
  const transfer = (
    from = 'u-rep-1',
    to = 'u-rep-2',
    reason = 'Territory change',
  ): AccountCommand => ({
    type: 'TransferAccountOwnership',
    data: { accountId: 'a-1', from, to, reason, cause: manager },
  });

  it('hands the account over, recording who did it and why', () => {
    account
      .given([registered])
      .when(transfer())
      .then([
        {
          type: 'AccountOwnershipTransferred',
          data: {
            accountId: 'a-1',
            from: 'u-rep-1',
            to: 'u-rep-2',
            reason: 'Territory change',
            cause: manager,
          },
        },
      ]);
  });

  it('refuses when someone else moved the account meanwhile', () => {
    const error = account
      .given([registered])
      .when(transfer('u-rep-7'))
      .thenThrows('account.owner_changed');
    expect(error.details).toEqual({ currentOwnerId: 'u-rep-1' });
  });

  it('refuses the current owner, no new owner, no reason or no cause', () => {
    account
      .given([registered])
      .when(transfer('u-rep-1', 'u-rep-1'))
      .thenThrows('account.already_owner');
    account.given([registered]).when(transfer('u-rep-1', '')).thenThrows('account.owner_required');
    account
      .given([registered])
      .when(transfer('u-rep-1', 'u-rep-2', ''))
      .thenThrows('account.reason_required');
    account
      .given([registered])
      .when({
        type: 'TransferAccountOwnership',
        data: {
          accountId: 'a-1',
          from: 'u-rep-1',
          to: 'u-rep-2',
          reason: 'r',
          cause: undefined as unknown as Cause,
        },
      })
      .thenThrows('account.cause_invalid');
  });
});

describe('merge and unmerge', () => {
  const mergedInto: AccountEvent = {
    type: 'AccountMergedInto',
    data: {
      accountId: 'a-1',
      survivorId: 'a-2',
      mergeId: 'm-1',
      mergedAt: NOW,
      movedContacts: [jonas, maria],
      reason: 'Same company',
      cause: manager,
    },
  };
  const survivor = registeredAs({ accountId: 'a-2', name: 'Weber Pumps', ownerId: 'u-rep-3' });
  const absorb: AccountCommand = {
    type: 'AbsorbAccount',
    data: { accountId: 'a-2', mergedId: 'a-1', mergeId: 'm-1', contacts: [jonas, maria] },
  };
  const absorbed: AccountEvent = { type: 'AccountAbsorbed', data: absorb.data as never };
  const jonasMoved = { ...jonas, title: 'Managing Director' };
  const unmerge = (returnedContacts: Contact[] = [jonasMoved]): AccountCommand => ({
    type: 'UnmergeAccount',
    data: {
      accountId: 'a-1',
      reason: 'Sister companies, not one',
      cause: manager,
      returnedContacts,
    },
  });
  const release = (contactIds = ['c-1'], mergeId = 'm-1'): AccountCommand => ({
    type: 'ReleaseMergedAccount',
    data: { accountId: 'a-2', mergedId: 'a-1', mergeId, contactIds },
  });
  const unmerged: AccountEvent = {
    type: 'AccountUnmerged',
    data: {
      accountId: 'a-1',
      survivorId: 'a-2',
      mergeId: 'm-1',
      mergedAt: NOW,
      unmergedAt: '2026-03-05T09:00:00.000Z',
      returnedContacts: [jonasMoved],
      reason: 'Sister companies, not one',
      cause: manager,
    },
  };

  it('records the merge on the absorbed account, with its contacts and time', () => {
    account.given([registered, jonasAdded, mariaAdded]).when(merge()).then([mergedInto]);
  });

  it('refuses merging into itself, twice, or without what a merge needs', () => {
    account.given([registered]).when(merge('a-1')).thenThrows('account.merge_into_self');
    account
      .given([registered, mergedInto])
      .when(merge('a-3'))
      .thenThrows('account.already_merged', /a-2/);
    account.given([registered]).when(merge('')).thenThrows('account.survivor_required');
    account.given([]).when(merge()).thenThrows('account.not_found');
    account
      .given([registered])
      .when({
        type: 'MergeAccountInto',
        data: { accountId: 'a-1', survivorId: 'a-2', mergeId: '', reason: 'r', cause: manager },
      })
      .thenThrows('account.merge_id_required');
    account
      .given([registered])
      .when({
        type: 'MergeAccountInto',
        data: { accountId: 'a-1', survivorId: 'a-2', mergeId: 'm-1', reason: '', cause: manager },
      })
      .thenThrows('account.reason_required');
  });

  it('keeps a merged account read-only, pointing to the survivor', () => {
    const given = account.given([registered, jonasAdded, mariaAdded, mergedInto]);
    const error = given.when(addContact({ contactId: 'c-5' })).thenThrows('account.merged', /a-2/);
    expect(error.details).toEqual({ survivorId: 'a-2' });
    given.when(changeLifecycle('active')).thenThrows('account.merged');
    given.when(update({ country: 'AT' })).thenThrows('account.merged');
  });

  it('moves the contacts to the survivor', () => {
    account.given([survivor]).when(absorb).then([absorbed]);
  });

  it('refuses absorbing itself, the same account twice, clashing contacts, or into a merged account', () => {
    account
      .given([survivor])
      .when({
        type: 'AbsorbAccount',
        data: { accountId: 'a-2', mergedId: 'a-2', mergeId: 'm-1', contacts: [] },
      })
      .thenThrows('account.merge_into_self');
    account.given([survivor, absorbed]).when(absorb).thenThrows('account.already_absorbed');
    account
      .given([survivor, { type: 'ContactAdded', data: { ...jonas, accountId: 'a-2' } }])
      .when(absorb)
      .thenThrows('account.contact_exists');
    account
      .given([
        survivor,
        {
          ...mergedInto,
          data: { ...(mergedInto.data as object), accountId: 'a-2', survivorId: 'a-9' },
        } as AccountEvent,
      ])
      .when(absorb)
      .thenThrows('account.merged');
    account.given([]).when(absorb).thenThrows('account.not_found');
  });

  it('unmerges, taking back the moved contacts still on the survivor', () => {
    account
      .given([registered, jonasAdded, mariaAdded, mergedInto])
      .when(unmerge(), { now: '2026-03-05T09:00:00.000Z' })
      .then([unmerged]);
  });

  it('is workable again after an unmerge, and can be merged again', () => {
    const history = [registered, jonasAdded, mariaAdded, mergedInto, unmerged];
    account
      .given(history)
      .when(changeLifecycle('active'))
      .then([withReason(lifecycleChanged('potential', 'active'))]);
    account
      .given(history)
      .when(addContact({ contactId: 'c-9', email: 'jonas@weber-pumps.de' }))
      .thenThrows('account.contact_email_taken');
    const [event] = account.given(history).when(merge('a-3')).events();
    expect(event.data).toMatchObject({ survivorId: 'a-3', movedContacts: [jonasMoved] });
  });

  it('refuses unmerging an account that is not merged', () => {
    account.given([registered]).when(unmerge()).thenThrows('account.not_merged');
    account
      .given([registered, mergedInto, unmerged])
      .when(unmerge())
      .thenThrows('account.not_merged');
  });

  it('refuses taking back contacts that did not come from the merge, and no reason', () => {
    const given = account.given([registered, jonasAdded, mergedInto]);
    given
      .when(unmerge([{ contactId: 'c-8', name: 'New buyer', role: 'purchasing' }]))
      .thenThrows('account.contact_not_from_merge');
    given
      .when({
        type: 'UnmergeAccount',
        data: { accountId: 'a-1', reason: '', cause: manager, returnedContacts: [] },
      })
      .thenThrows('account.reason_required');
  });

  it('releases the returned contacts from the survivor, keeping those added after the merge', () => {
    const addedLater: AccountEvent = {
      type: 'ContactAdded',
      data: { accountId: 'a-2', contactId: 'c-9', name: 'Lena Vogt', role: 'finance' },
    };
    account
      .given([survivor, absorbed, addedLater])
      .when(release())
      .then([
        {
          type: 'MergedAccountReleased',
          data: { accountId: 'a-2', mergedId: 'a-1', mergeId: 'm-1', contactIds: ['c-1'] },
        },
      ]);
    account
      .given([survivor, absorbed, addedLater])
      .when(release(['c-9']))
      .thenThrows('account.contact_not_from_merge');
  });

  it('refuses releasing an account that was never absorbed, or under another merge', () => {
    account.given([survivor]).when(release()).thenThrows('account.not_absorbed');
    account
      .given([survivor, absorbed])
      .when(release(['c-1'], 'm-2'))
      .thenThrows('account.not_absorbed');
    const released: AccountEvent = {
      type: 'MergedAccountReleased',
      data: { accountId: 'a-2', mergedId: 'a-1', mergeId: 'm-1', contactIds: ['c-1'] },
    };
    account
      .given([survivor, absorbed, released])
      .when(release())
      .thenThrows('account.not_absorbed');
  });

  it('refuses releasing a contact the survivor has since removed', () => {
    const removed: AccountEvent = {
      type: 'ContactRemoved',
      data: { accountId: 'a-2', contactId: 'c-1', reason: 'Left' },
    };
    account
      .given([survivor, absorbed, removed])
      .when(release())
      .thenThrows('account.contact_not_from_merge');
  });
});
