import { leadDecider } from '../../domain/lead/lead.decider';
import {
  ConvertLead,
  LeadCommand,
  ReceiveInquiry,
  RecordResponse,
  ScoreDimensions,
} from '../../domain/lead/lead.commands';
import { LeadEvent } from '../../domain/lead/lead.events';
import { LeadPolicies } from '../../domain/lead/lead.scoring';
import { DEFAULT_NOW, specify } from './decider-spec';

const scoring = {
  id: 'lead-scoring',
  version: 2,
  weights: {
    requirementClarity: 3,
    purchaseStage: 2,
    volumeAndFrequency: 2,
    termsAcceptability: 2,
    responsiveness: 1,
  },
  convertAt: 70,
  nurtureBelow: 40,
};
const lead = specify(leadDecider, { scoring } as LeadPolicies);

const HASH = 'a'.repeat(64);
const RECEIVED_AT = '2026-03-01T08:00:00.000Z';
const rule = { kind: 'rule' as const, id: 'assign-by-country', version: 4 };

const inquiry: ReceiveInquiry = {
  leadId: 'l-1',
  channel: 'alibaba',
  sourceRef: 'ALB-778812',
  payloadHash: HASH,
  inquirer: {
    name: 'Jonas Weber',
    email: 'jonas@weber-pumps.de',
    phone: '+4930123456',
    company: 'Weber Pumpen GmbH',
    country: 'DE',
    website: 'weber-pumps.de',
    message: 'Need 2,000 pcs of 304 stainless valves, drawings attached.',
  },
  attachments: [
    { sha256: 'b'.repeat(64), filename: 'valve.pdf', mime: 'application/pdf', size: 20480 },
  ],
  live: true,
};

const received: LeadEvent = {
  type: 'InquiryReceived',
  data: { ...inquiry, receivedAt: RECEIVED_AT },
};
const assigned: LeadEvent = {
  type: 'LeadAssigned',
  data: { leadId: 'l-1', to: 'u-rep-1', reason: 'Germany goes to the DACH team', cause: rule },
};
const disqualified: LeadEvent = {
  type: 'LeadDisqualified',
  data: { leadId: 'l-1', reason: 'spam' },
};
const qualified: LeadEvent = { type: 'LeadQualified', data: { leadId: 'l-1' } };
const nurtured: LeadEvent = { type: 'LeadNurtured', data: { leadId: 'l-1' } };
const converted: LeadEvent = {
  type: 'LeadConverted',
  data: {
    leadId: 'l-1',
    ownerId: 'u-rep-1',
    channel: 'alibaba',
    accountId: 'a-1',
    contactId: 'c-1',
    dealId: 'd-1',
    deal: { title: 'Valves 2,000 pcs', productLine: 'valves', currency: 'EUR' },
  },
};

const receive = (changes: Partial<ReceiveInquiry> = {}): LeadCommand => ({
  type: 'ReceiveInquiry',
  data: { ...inquiry, ...changes },
});
const assign = (
  to = 'u-rep-1',
  cause: unknown = rule,
  reason = 'Germany goes to the DACH team',
): LeadCommand => ({
  type: 'AssignLead',
  data: { leadId: 'l-1', to, reason, cause: cause as typeof rule },
});
const transfer = (
  from = 'u-rep-1',
  to = 'u-rep-2',
  reason = 'Rep left the company',
): LeadCommand => ({
  type: 'TransferLeadOwnership',
  data: { leadId: 'l-1', from, to, reason, cause: { kind: 'person', id: 'u-manager-1' } },
});
const respond = (changes: Partial<RecordResponse> = {}): LeadCommand => ({
  type: 'RecordResponse',
  data: {
    leadId: 'l-1',
    direction: 'outbound',
    channel: 'email',
    at: '2026-03-01T08:20:00.000Z',
    ...changes,
  },
});
const score = (dimensions: Partial<ScoreDimensions>): LeadCommand => ({
  type: 'RecordScore',
  data: {
    leadId: 'l-1',
    dimensions: {
      requirementClarity: 0,
      purchaseStage: 0,
      volumeAndFrequency: 0,
      termsAcceptability: 0,
      responsiveness: 0,
      ...dimensions,
    },
  },
});
const qualify: LeadCommand = { type: 'QualifyLead', data: { leadId: 'l-1' } };
const nurture: LeadCommand = {
  type: 'NurtureLead',
  data: { leadId: 'l-1', reason: 'Budget next year' },
};
const disqualify: LeadCommand = { type: 'DisqualifyLead', data: { leadId: 'l-1', reason: 'spam' } };

const newAccount = {
  name: 'Weber Pumpen GmbH',
  country: 'DE',
  website: 'weber-pumps.de',
  mainProducts: ['industrial pumps'],
  customerType: 'manufacturer' as const,
  grade: 'B' as const,
};
const conversion: ConvertLead = {
  leadId: 'l-1',
  accountId: 'a-1',
  contactId: 'c-1',
  dealId: 'd-1',
  newAccount,
  deal: { title: 'Valves 2,000 pcs', productLine: 'valves', currency: 'EUR' },
};
const convert = (changes: Partial<ConvertLead> = {}): LeadCommand => ({
  type: 'ConvertLead',
  data: { ...conversion, ...changes },
});

describe('ReceiveInquiry', () => {
  it('records a live inquiry with its attachments at business time', () => {
    lead.given([]).when(receive(), { now: RECEIVED_AT }).then([received]);
  });

  it('records an imported inquiry as not live, so no first-response clock starts', () => {
    lead
      .given([])
      .when(receive({ live: false, sourceRef: undefined }), { now: '2025-11-03T10:00:00.000Z' })
      .then([
        {
          type: 'InquiryReceived',
          data: {
            leadId: 'l-1',
            channel: 'alibaba',
            payloadHash: HASH,
            inquirer: inquiry.inquirer,
            attachments: inquiry.attachments,
            live: false,
            receivedAt: '2025-11-03T10:00:00.000Z',
          },
        },
      ]);
  });

  it('accepts a trade-show card with only a name and a company', () => {
    const inquirer = { name: 'Ana Ruiz', company: 'Hidro Ibérica S.L.' };
    const [event] = lead
      .given([])
      .when(receive({ channel: 'trade_show', inquirer, attachments: [] }))
      .events();
    expect(event.data).toMatchObject({ channel: 'trade_show', inquirer, attachments: [] });
  });

  it('refuses receiving the same lead twice', () => {
    lead.given([received]).when(receive()).thenThrows('lead.already_exists');
  });

  it.each<[string, Partial<ReceiveInquiry>, string, string]>([
    ['no lead id', { leadId: '' }, 'lead.id_required', 'leadId'],
    ['an unknown channel', { channel: 'fax' as 'email' }, 'lead.channel_invalid', 'channel'],
    ['a blank source reference', { sourceRef: ' ' }, 'lead.source_ref_invalid', 'sourceRef'],
    [
      'a payload hash that is not sha256',
      { payloadHash: 'abc' },
      'lead.payload_hash_invalid',
      'payloadHash',
    ],
    ['no live flag', { live: undefined as unknown as boolean }, 'lead.live_required', 'live'],
    [
      'an anonymous inquiry',
      { inquirer: { message: 'price?' } },
      'lead.inquirer_unknown',
      'inquirer',
    ],
    ['a bad email', { inquirer: { email: 'jonas@' } }, 'lead.email_invalid', 'inquirer.email'],
    [
      'a phone not in E.164',
      { inquirer: { phone: '030 123456' } },
      'lead.phone_invalid',
      'inquirer.phone',
    ],
    [
      'a country that is not ISO alpha-2',
      { inquirer: { name: 'J', country: 'Germany' } },
      'lead.country_invalid',
      'inquirer.country',
    ],
    [
      'a bad website',
      { inquirer: { name: 'J', website: 'not a site' } },
      'lead.website_invalid',
      'inquirer.website',
    ],
    [
      'a blank name',
      { inquirer: { name: ' ', email: 'j@x.de' } },
      'lead.name_invalid',
      'inquirer.name',
    ],
    [
      'a blank company',
      { inquirer: { name: 'J', company: '' } },
      'lead.company_invalid',
      'inquirer.company',
    ],
    [
      'a blank message',
      { inquirer: { name: 'J', message: ' ' } },
      'lead.message_invalid',
      'inquirer.message',
    ],
    [
      'an attachment without hash',
      { attachments: [{ sha256: 'x', filename: 'a.pdf', mime: 'application/pdf', size: 1 }] },
      'lead.attachment_invalid',
      'attachments[0].sha256',
    ],
    [
      'an attachment with a negative size',
      { attachments: [{ sha256: HASH, filename: 'a.pdf', mime: 'application/pdf', size: -1 }] },
      'lead.attachment_invalid',
      'attachments[0].size',
    ],
    [
      'an attachment with a bad mime type',
      { attachments: [{ sha256: HASH, filename: 'a.pdf', mime: 'pdf', size: 1 }] },
      'lead.attachment_invalid',
      'attachments[0].mime',
    ],
  ])('refuses %s', (_case, changes, code, field) => {
    expect(lead.given([]).when(receive(changes)).thenThrows(code).field).toBe(field);
  });
});

describe('ReceiveInquiry with an owner decided by a rule', () => {
  const initialOwner = {
    to: 'u-rep-1',
    reason: 'Germany goes to the DACH team',
    cause: rule,
  };

  it('receives and assigns the lead in one step, naming the rule and its version', () => {
    lead
      .given([])
      .when(receive({ assignTo: initialOwner }), { now: RECEIVED_AT })
      .then([received, assigned]);
  });

  it('leaves a lead with no owner decided unassigned', () => {
    lead
      .given([])
      .when(receive({ assignTo: undefined }), { now: RECEIVED_AT })
      .then([received]);
  });

  it('gives the same state as receiving and then assigning', () => {
    const together = lead
      .given([])
      .when(receive({ assignTo: initialOwner }))
      .events();
    const apart = [...lead.given([]).when(receive()).events()];
    apart.push(...lead.given(apart).when(assign()).events());
    const fold = (events: LeadEvent[]) => events.reduce(leadDecider.evolve, null);
    expect(fold(together)).toEqual(fold(apart));
    expect(fold(together)).toMatchObject({ ownerId: 'u-rep-1', status: 'new' });
  });

  it('refuses receiving an already received lead, even with an owner decided', () => {
    lead
      .given([received, assigned])
      .when(receive({ assignTo: { ...initialOwner, to: 'u-rep-2' } }))
      .thenThrows('lead.already_exists');
  });

  it('refuses an invalid inquiry before looking at the owner', () => {
    expect(
      lead
        .given([])
        .when(receive({ channel: 'fax' as 'email', assignTo: { ...initialOwner, to: '' } }))
        .thenThrows('lead.channel_invalid').field,
    ).toBe('channel');
  });

  it.each<[string, unknown, string, string]>([
    ['no owner', { ...initialOwner, to: ' ' }, 'lead.owner_required', 'assignTo.to'],
    ['an owner that is not an object', 'u-rep-1', 'lead.owner_required', 'assignTo.to'],
    ['no reason', { ...initialOwner, reason: '' }, 'lead.reason_required', 'assignTo.reason'],
    [
      'a rule cause without its version',
      { ...initialOwner, cause: { kind: 'rule', id: 'assign-by-country' } },
      'lead.cause_invalid',
      'assignTo.cause',
    ],
    [
      'an unknown cause',
      { ...initialOwner, cause: { kind: 'robot', id: 'r' } },
      'lead.cause_invalid',
      'assignTo.cause',
    ],
  ])('refuses %s, receiving nothing', (_case, assignTo, code, field) => {
    const changes = { assignTo: assignTo as ReceiveInquiry['assignTo'] };
    expect(lead.given([]).when(receive(changes)).thenThrows(code).field).toBe(field);
  });
});

describe('AssignLead', () => {
  it('assigns an unowned lead, recording the rule and version that chose the rep', () => {
    lead.given([received]).when(assign()).then([assigned]);
  });

  it('refuses assigning to the current owner', () => {
    lead.given([received, assigned]).when(assign('u-rep-1')).thenThrows('lead.already_owner');
  });

  it('refuses assigning a lead that already has an owner: that is a transfer', () => {
    const error = lead
      .given([received, assigned])
      .when(assign('u-rep-2'))
      .thenThrows('lead.already_assigned', /transfer/);
    expect(error.details).toEqual({ currentOwnerId: 'u-rep-1' });
  });

  it('refuses without a rep, a reason or a proper cause', () => {
    lead.given([received]).when(assign('')).thenThrows('lead.owner_required');
    lead
      .given([received])
      .when(assign('u-rep-1', rule, ''))
      .thenThrows('lead.reason_required');
    lead
      .given([received])
      .when(assign('u-rep-1', { kind: 'rule', id: 'assign-by-country' }))
      .thenThrows('lead.cause_invalid', /version/);
    lead
      .given([received])
      .when(assign('u-rep-1', { kind: 'robot', id: 'r' }))
      .thenThrows('lead.cause_invalid');
  });

  it('refuses on a missing, converted or disqualified lead', () => {
    lead.given([]).when(assign()).thenThrows('lead.not_found');
    lead
      .given([received, assigned, converted])
      .when(assign('u-rep-2'))
      .thenThrows('lead.already_converted');
    lead.given([received, disqualified]).when(assign()).thenThrows('lead.disqualified');
  });
});

describe('TransferLeadOwnership', () => {
  it('hands the lead over, recording who did it and why', () => {
    lead
      .given([received, assigned])
      .when(transfer())
      .then([
        {
          type: 'LeadOwnershipTransferred',
          data: {
            leadId: 'l-1',
            from: 'u-rep-1',
            to: 'u-rep-2',
            reason: 'Rep left the company',
            cause: { kind: 'person', id: 'u-manager-1' },
          },
        },
      ]);
  });

  it('refuses transferring an unowned lead', () => {
    lead
      .given([received])
      .when(transfer())
      .thenThrows('lead.unassigned', /assign/);
  });

  it('refuses when someone else moved the lead meanwhile', () => {
    const error = lead
      .given([received, assigned])
      .when(transfer('u-rep-9'))
      .thenThrows('lead.owner_changed');
    expect(error.details).toEqual({ currentOwnerId: 'u-rep-1' });
  });

  it('refuses transferring to the current owner', () => {
    lead
      .given([received, assigned])
      .when(transfer('u-rep-1', 'u-rep-1'))
      .thenThrows('lead.already_owner');
  });

  it('refuses without a new owner or a reason, or on a closed lead', () => {
    lead
      .given([received, assigned])
      .when(transfer('u-rep-1', ''))
      .thenThrows('lead.owner_required');
    lead
      .given([received, assigned])
      .when(transfer('u-rep-1', 'u-rep-2', ''))
      .thenThrows('lead.reason_required');
    lead.given([received, assigned, disqualified]).when(transfer()).thenThrows('lead.disqualified');
    lead
      .given([received, assigned, converted])
      .when(transfer())
      .thenThrows('lead.already_converted');
  });
});

describe('RecordResponse', () => {
  const firstReply: LeadEvent[] = [
    {
      type: 'LeadResponseRecorded',
      data: {
        leadId: 'l-1',
        direction: 'outbound',
        channel: 'email',
        at: '2026-03-01T08:20:00.000Z',
      },
    },
    {
      type: 'FirstResponseRecorded',
      data: {
        leadId: 'l-1',
        at: '2026-03-01T08:20:00.000Z',
        channel: 'email',
        secondsSinceInquiry: 1200,
      },
    },
  ];

  it('marks the first outbound response, with seconds since the inquiry', () => {
    lead.given([received]).when(respond()).then(firstReply);
  });

  it('records an inbound message without touching the first response', () => {
    lead
      .given([received])
      .when(
        respond({ direction: 'inbound', channel: 'whatsapp', summary: 'Asked for the catalogue' }),
      )
      .then([
        {
          type: 'LeadResponseRecorded',
          data: {
            leadId: 'l-1',
            direction: 'inbound',
            channel: 'whatsapp',
            at: '2026-03-01T08:20:00.000Z',
            summary: 'Asked for the catalogue',
          },
        },
      ]);
  });

  it('does not mark later outbound responses as first', () => {
    lead
      .given([received, ...firstReply])
      .when(respond({ at: '2026-03-01T08:50:00.000Z', channel: 'phone' }))
      .then([
        {
          type: 'LeadResponseRecorded',
          data: {
            leadId: 'l-1',
            direction: 'outbound',
            channel: 'phone',
            at: '2026-03-01T08:50:00.000Z',
          },
        },
      ]);
  });

  it('corrects the first response when an earlier reply turns up in the email archive', () => {
    lead
      .given([received, ...firstReply])
      .when(respond({ at: '2026-03-01T08:05:00.000Z' }))
      .then([
        {
          type: 'LeadResponseRecorded',
          data: {
            leadId: 'l-1',
            direction: 'outbound',
            channel: 'email',
            at: '2026-03-01T08:05:00.000Z',
          },
        },
        {
          type: 'FirstResponseRecorded',
          data: {
            leadId: 'l-1',
            at: '2026-03-01T08:05:00.000Z',
            channel: 'email',
            secondsSinceInquiry: 300,
            supersedes: '2026-03-01T08:20:00.000Z',
          },
        },
      ]);
  });

  it('still records messages on a disqualified lead', () => {
    lead.given([received, disqualified]).when(respond()).then(firstReply);
  });

  it('refuses on a converted lead: the conversation continues on the deal', () => {
    lead
      .given([received, assigned, converted])
      .when(respond())
      .thenThrows('lead.already_converted', /deal/);
  });

  it.each<[string, Partial<RecordResponse>, string]>([
    ['an unknown direction', { direction: 'sideways' as 'inbound' }, 'lead.direction_invalid'],
    ['an unknown channel', { channel: 'pigeon' as 'email' }, 'lead.response_channel_invalid'],
    ['a time that is not UTC ISO', { at: '1 March 2026' }, 'lead.response_time_invalid'],
    [
      'a response before the inquiry',
      { at: '2026-03-01T07:59:59.000Z' },
      'lead.response_before_inquiry',
    ],
    ['a response after now', { at: '2026-03-01T09:00:01.000Z' }, 'lead.response_in_future'],
    ['a blank summary', { summary: '' }, 'lead.summary_invalid'],
  ])('refuses %s', (_case, changes, code) => {
    lead.given([received]).when(respond(changes)).thenThrows(code);
  });

  it('refuses on a missing lead', () => {
    lead.given([]).when(respond()).thenThrows('lead.not_found');
  });
});

describe('RecordScore', () => {
  const scored = (dimensions: ScoreDimensions, total: number, recommendation: string) => ({
    type: 'LeadScored',
    data: {
      leadId: 'l-1',
      dimensions,
      total,
      recommendation,
      policy: { id: 'lead-scoring', version: 2 },
    },
  });

  it('recommends converting a high score, naming the policy version', () => {
    const dimensions = {
      requirementClarity: 5,
      purchaseStage: 4,
      volumeAndFrequency: 3,
      termsAcceptability: 3,
      responsiveness: 2,
    };
    // (15 + 8 + 6 + 6 + 2) / 50 = 74 %
    lead
      .given([received])
      .when(score(dimensions))
      .then([scored(dimensions, 74, 'convert')] as LeadEvent[]);
  });

  it('sends a low score to the nurture queue', () => {
    const [event] = lead
      .given([received])
      .when(score({ requirementClarity: 1, purchaseStage: 1 }))
      .events();
    expect(event.data).toMatchObject({ total: 10, recommendation: 'nurture' });
  });

  it('recommends nothing in between', () => {
    const [event] = lead
      .given([received])
      .when(
        score({
          requirementClarity: 3,
          purchaseStage: 3,
          volumeAndFrequency: 2,
          termsAcceptability: 3,
        }),
      )
      .events();
    expect(event.data).toMatchObject({ total: 50, recommendation: 'none' });
  });

  it('rounds the total half up', () => {
    const weights = {
      ...scoring.weights,
      requirementClarity: 1,
      purchaseStage: 1,
      responsiveness: 2,
    };
    // 1 of 40 possible points = 2.5 %
    const [event] = lead
      .given([received])
      .when(score({ requirementClarity: 1 }), { policies: { scoring: { ...scoring, weights } } })
      .events();
    expect(event.data).toMatchObject({ total: 3, recommendation: 'nurture' });
  });

  it.each([
    ['above 5', { responsiveness: 6 }],
    ['negative', { purchaseStage: -1 }],
    ['fractional', { volumeAndFrequency: 2.5 }],
    ['missing', { termsAcceptability: undefined }],
  ])('refuses a dimension that is %s', (_case, dimensions) => {
    lead
      .given([received])
      .when(score(dimensions as Partial<ScoreDimensions>))
      .thenThrows('lead.score_invalid', /0 to 5/);
  });

  it('refuses without a usable scoring policy', () => {
    lead
      .given([received])
      .when(score({}), { policies: {} })
      .thenThrows('lead.scoring_policy_missing');
    lead
      .given([received])
      .when(score({}), { policies: { scoring: { ...scoring, convertAt: 30 } } })
      .thenThrows('lead.scoring_policy_invalid');
    const zeroWeights = { ...scoring, weights: { ...scoring.weights, requirementClarity: 0 } };
    for (const key of Object.keys(zeroWeights.weights) as (keyof typeof scoring.weights)[]) {
      zeroWeights.weights[key] = 0;
    }
    lead
      .given([received])
      .when(score({}), { policies: { scoring: zeroWeights } })
      .thenThrows('lead.scoring_policy_invalid');
  });

  it('refuses scoring a closed lead', () => {
    lead.given([received, disqualified]).when(score({})).thenThrows('lead.disqualified');
    lead
      .given([received, assigned, converted])
      .when(score({}))
      .thenThrows('lead.already_converted');
  });
});

describe('QualifyLead', () => {
  it('qualifies a new or nurtured lead', () => {
    lead.given([received]).when(qualify).then([qualified]);
    lead
      .given([received, nurtured])
      .when({ type: 'QualifyLead', data: { leadId: 'l-1', note: 'Replied with full specs' } })
      .then([{ type: 'LeadQualified', data: { leadId: 'l-1', note: 'Replied with full specs' } }]);
  });

  it('refuses qualifying twice, a blank note, or a closed lead', () => {
    lead.given([received, qualified]).when(qualify).thenThrows('lead.already_qualified');
    lead
      .given([received])
      .when({ type: 'QualifyLead', data: { leadId: 'l-1', note: ' ' } })
      .thenThrows('lead.note_invalid');
    lead.given([received, disqualified]).when(qualify).thenThrows('lead.disqualified');
    lead.given([received, assigned, converted]).when(qualify).thenThrows('lead.already_converted');
    lead.given([]).when(qualify).thenThrows('lead.not_found');
  });
});

describe('NurtureLead', () => {
  it('puts a new or qualified lead in the nurture queue', () => {
    const event: LeadEvent = {
      type: 'LeadNurtured',
      data: { leadId: 'l-1', reason: 'Budget next year' },
    };
    lead.given([received]).when(nurture).then([event]);
    lead.given([received, qualified]).when(nurture).then([event]);
  });

  it('refuses nurturing twice, a blank reason, or a closed lead', () => {
    lead.given([received, nurtured]).when(nurture).thenThrows('lead.already_nurturing');
    lead
      .given([received])
      .when({ type: 'NurtureLead', data: { leadId: 'l-1', reason: '' } })
      .thenThrows('lead.reason_invalid');
    lead.given([received, disqualified]).when(nurture).thenThrows('lead.disqualified');
    lead.given([received, assigned, converted]).when(nurture).thenThrows('lead.already_converted');
  });
});

describe('DisqualifyLead', () => {
  it('disqualifies with a structured reason', () => {
    lead.given([received, nurtured]).when(disqualify).then([disqualified]);
  });

  it('needs a note when the reason is "other"', () => {
    lead
      .given([received])
      .when({ type: 'DisqualifyLead', data: { leadId: 'l-1', reason: 'other' } })
      .thenThrows('lead.disqualify_note_required');
    lead
      .given([received])
      .when({
        type: 'DisqualifyLead',
        data: { leadId: 'l-1', reason: 'other', note: 'Student project' },
      })
      .then([
        {
          type: 'LeadDisqualified',
          data: { leadId: 'l-1', reason: 'other', note: 'Student project' },
        },
      ]);
  });

  it('refuses without a reason', () => {
    lead
      .given([received])
      .when({ type: 'DisqualifyLead', data: { leadId: 'l-1', reason: '' as 'spam' } })
      .thenThrows('lead.disqualify_reason_required');
  });

  it('refuses disqualifying twice or after conversion', () => {
    lead.given([received, disqualified]).when(disqualify).thenThrows('lead.already_disqualified');
    lead
      .given([received, assigned, converted])
      .when(disqualify)
      .thenThrows('lead.already_converted');
  });
});

describe('ConvertLead', () => {
  it('converts into a new account, contact and deal owned by the lead owner', () => {
    lead
      .given([received, assigned, qualified])
      .when(convert())
      .then([
        {
          type: 'LeadConverted',
          data: {
            leadId: 'l-1',
            ownerId: 'u-rep-1',
            channel: 'alibaba',
            accountId: 'a-1',
            newAccount,
            contactId: 'c-1',
            newContact: {
              name: 'Jonas Weber',
              email: 'jonas@weber-pumps.de',
              phone: '+4930123456',
              role: 'purchasing',
            },
            dealId: 'd-1',
            deal: { title: 'Valves 2,000 pcs', productLine: 'valves', currency: 'EUR' },
          },
        },
      ]);
  });

  it('attaches to an existing account and contact found by dedup', () => {
    lead
      .given([received, assigned])
      .when(convert({ existingAccountId: 'a-7', existingContactId: 'c-7', newAccount: undefined }))
      .then([
        {
          type: 'LeadConverted',
          data: {
            leadId: 'l-1',
            ownerId: 'u-rep-1',
            channel: 'alibaba',
            accountId: 'a-7',
            contactId: 'c-7',
            dealId: 'd-1',
            deal: { title: 'Valves 2,000 pcs', productLine: 'valves', currency: 'EUR' },
          },
        },
      ]);
  });

  it('adds a new contact to an existing account with what the rep filled in', () => {
    const [event] = lead
      .given([received, assigned])
      .when(
        convert({
          existingAccountId: 'a-7',
          newAccount: undefined,
          newContact: { name: 'Dr. Jonas Weber', role: 'engineering', title: 'Head of R&D' },
        }),
      )
      .events();
    expect(event.data).toMatchObject({
      accountId: 'a-7',
      contactId: 'c-1',
      newContact: { name: 'Dr. Jonas Weber', role: 'engineering', title: 'Head of R&D' },
    });
    expect(event.data).not.toHaveProperty('newAccount');
  });

  it('refuses converting twice', () => {
    const error = lead
      .given([received, assigned, converted])
      .when(convert())
      .thenThrows('lead.already_converted');
    expect(error.details).toEqual({ accountId: 'a-1', contactId: 'c-1', dealId: 'd-1' });
  });

  it('refuses converting a disqualified or unassigned lead', () => {
    lead.given([received, assigned, disqualified]).when(convert()).thenThrows('lead.disqualified');
    lead
      .given([received])
      .when(convert())
      .thenThrows('lead.unassigned', /Assign/);
    lead.given([]).when(convert()).thenThrows('lead.not_found');
  });

  it.each<[string, Partial<ConvertLead>, string, string]>([
    ['no account id', { accountId: '' }, 'lead.target_id_required', 'accountId'],
    ['no contact id', { contactId: ' ' }, 'lead.target_id_required', 'contactId'],
    ['no deal id', { dealId: '' }, 'lead.target_id_required', 'dealId'],
    [
      'an existing contact without its account',
      { existingContactId: 'c-7' },
      'lead.existing_contact_needs_account',
      'existingContactId',
    ],
    [
      'an existing and a new account at once',
      { existingAccountId: 'a-7' },
      'lead.new_account_conflict',
      'newAccount',
    ],
    [
      'neither an existing nor a new account',
      { newAccount: undefined },
      'lead.new_account_required',
      'newAccount',
    ],
    [
      'a new account without a valid country',
      { newAccount: { ...newAccount, country: 'de' } },
      'account.country_invalid',
      'newAccount.country',
    ],
    [
      'a new account without main products',
      { newAccount: { ...newAccount, mainProducts: [] } },
      'account.main_products_required',
      'newAccount.mainProducts',
    ],
    [
      'a new account without a grade',
      { newAccount: { ...newAccount, grade: 'D' as 'A' } },
      'account.grade_invalid',
      'newAccount.grade',
    ],
    [
      'a new contact with an unknown role',
      { newContact: { role: 'cfo' as 'finance' } },
      'lead.contact_role_invalid',
      'newContact.role',
    ],
    [
      'a blank contact title',
      { newContact: { title: '' } },
      'lead.contact_title_invalid',
      'newContact.title',
    ],
    [
      'a deal without title',
      { deal: { ...conversion.deal, title: '' } },
      'lead.deal_title_required',
      'deal.title',
    ],
    [
      'a deal without product line',
      { deal: { ...conversion.deal, productLine: '' } },
      'lead.deal_product_line_required',
      'deal.productLine',
    ],
    [
      'a deal in an unknown currency',
      { deal: { ...conversion.deal, currency: 'EURO' } },
      'lead.deal_currency_invalid',
      'deal.currency',
    ],
  ])('refuses %s', (_case, changes, code, field) => {
    expect(lead.given([received, assigned]).when(convert(changes)).thenThrows(code).field).toBe(
      field,
    );
  });

  it('refuses a new contact without a name when the inquiry had none', () => {
    const nameless: LeadEvent = {
      type: 'InquiryReceived',
      data: { ...inquiry, inquirer: { email: 'sales@weber-pumps.de' }, receivedAt: RECEIVED_AT },
    };
    lead.given([nameless, assigned]).when(convert()).thenThrows('lead.contact_name_required');
  });
});

describe('state', () => {
  it('uses the business time of the command as the time of receipt', () => {
    const [event] = lead.given([]).when(receive()).events();
    expect(event.data).toMatchObject({ receivedAt: DEFAULT_NOW });
  });
});
