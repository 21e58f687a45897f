import { DecideContext, Decider } from '../shared/decider';
import { instantMs, isIsoInstant, isNonBlank, isOneOf, refuse } from '../shared/validation';
import {
  AssignLead,
  DISQUALIFY_REASONS,
  DisqualifyLead,
  InitialOwner,
  LeadCommand,
  NurtureLead,
  QualifyLead,
  ReceiveInquiry,
  RecordResponse,
  RecordScore,
  RESPONSE_CHANNELS,
  TransferLeadOwnership,
} from './lead.commands';
import { convertLead } from './lead.convert';
import { LeadEvent } from './lead.events';
import {
  checkCause,
  checkInquiry,
  checkReason,
  existingLead,
  openLead,
  pickInquirer,
} from './lead.rules';
import {
  checkDimensions,
  checkScoringPolicy,
  LeadPolicies,
  recommend,
  scoreTotal,
} from './lead.scoring';
import { leadEvolve } from './lead.evolve';
import { Lead, LeadState, initialLeadState } from './lead.state';

type Context = DecideContext<LeadPolicies>;

/** The owner decided before the lead existed; checked like an assignment, before anything is decided. */
const checkInitialOwner = (owner: InitialOwner): void => {
  if (typeof owner !== 'object' || owner === null || !isNonBlank(owner.to)) {
    refuse('lead.owner_required', 'Choose the rep who will own the lead.', 'assignTo.to');
  }
  checkReason(owner.reason, 'assignTo.reason');
  checkCause(owner.cause, 'assignTo.cause');
};

const receiveInquiry = (
  command: ReceiveInquiry,
  state: LeadState,
  context: Context,
): LeadEvent[] => {
  if (state) refuse('lead.already_exists', 'This inquiry has already been received.', 'leadId');
  checkInquiry(command);
  if (command.assignTo !== undefined) checkInitialOwner(command.assignTo);
  const { leadId, channel, sourceRef, payloadHash, inquirer, attachments, live, assignTo } =
    command;
  const events: LeadEvent[] = [
    {
      type: 'InquiryReceived',
      data: {
        leadId,
        channel,
        ...(sourceRef !== undefined && { sourceRef }),
        payloadHash,
        inquirer: pickInquirer(inquirer),
        attachments: attachments.map(({ sha256, filename, mime, size }) => ({
          sha256,
          filename,
          mime,
          size,
        })),
        live,
        receivedAt: context.now,
      },
    },
  ];
  if (assignTo !== undefined) {
    const { to, reason, cause } = assignTo;
    events.push({ type: 'LeadAssigned', data: { leadId, to, reason, cause } });
  }
  return events;
};

const checkNewOwner = (lead: Lead, to: unknown): void => {
  if (!isNonBlank(to)) refuse('lead.owner_required', 'Choose the rep who will own the lead.', 'to');
  if (to === lead.ownerId) refuse('lead.already_owner', `${to} already owns this lead.`, 'to');
};

const assignLead = (command: AssignLead, state: LeadState): LeadEvent[] => {
  const lead = openLead(state);
  checkNewOwner(lead, command.to);
  if (lead.ownerId) {
    refuse(
      'lead.already_assigned',
      `This lead is already owned by ${lead.ownerId}; transfer it instead.`,
      undefined,
      { currentOwnerId: lead.ownerId },
    );
  }
  checkReason(command.reason);
  checkCause(command.cause);
  const { to, reason, cause } = command;
  return [{ type: 'LeadAssigned', data: { leadId: lead.leadId, to, reason, cause } }];
};

const transferLead = (command: TransferLeadOwnership, state: LeadState): LeadEvent[] => {
  const lead = openLead(state);
  const ownerId =
    lead.ownerId ?? refuse('lead.unassigned', 'This lead has no owner yet; assign it instead.');
  if (command.from !== ownerId) {
    refuse(
      'lead.owner_changed',
      `This lead is now owned by ${ownerId}; check the handover and try again.`,
      'from',
      { currentOwnerId: ownerId },
    );
  }
  checkNewOwner(lead, command.to);
  checkReason(command.reason);
  checkCause(command.cause);
  const { to, reason, cause } = command;
  return [
    {
      type: 'LeadOwnershipTransferred',
      data: { leadId: lead.leadId, from: ownerId, to, reason, cause },
    },
  ];
};

const recordResponse = (
  command: RecordResponse,
  state: LeadState,
  context: Context,
): LeadEvent[] => {
  const lead = existingLead(state);
  if (lead.status === 'converted') {
    refuse(
      'lead.already_converted',
      'This lead has been converted; log the conversation on its deal instead.',
      undefined,
      { ...lead.convertedTo },
    );
  }
  if (!isOneOf(['inbound', 'outbound'] as const, command.direction)) {
    refuse(
      'lead.direction_invalid',
      'Say whether the message was inbound or outbound.',
      'direction',
    );
  }
  if (!isOneOf(RESPONSE_CHANNELS, command.channel)) {
    refuse(
      'lead.response_channel_invalid',
      `Channel must be one of: ${RESPONSE_CHANNELS.join(', ')}.`,
      'channel',
    );
  }
  if (!isIsoInstant(command.at)) {
    refuse('lead.response_time_invalid', 'Give the time of the message in UTC ISO format.', 'at');
  }
  const at = instantMs(command.at);
  if (at < instantMs(lead.receivedAt)) {
    refuse(
      'lead.response_before_inquiry',
      'A response cannot come before the inquiry arrived.',
      'at',
    );
  }
  if (at > instantMs(context.now)) {
    refuse('lead.response_in_future', 'A response cannot be recorded ahead of time.', 'at');
  }
  if (command.summary !== undefined && !isNonBlank(command.summary)) {
    refuse('lead.summary_invalid', 'Summary cannot be blank; leave it out instead.', 'summary');
  }
  const { direction, channel, summary } = command;
  const events: LeadEvent[] = [
    {
      type: 'LeadResponseRecorded',
      data: {
        leadId: lead.leadId,
        direction,
        channel,
        at: command.at,
        ...(summary !== undefined && { summary }),
      },
    },
  ];
  const previous = lead.firstResponseAt;
  if (direction === 'outbound' && (previous === undefined || at < instantMs(previous))) {
    events.push({
      type: 'FirstResponseRecorded',
      data: {
        leadId: lead.leadId,
        at: command.at,
        channel,
        secondsSinceInquiry: Math.floor((at - instantMs(lead.receivedAt)) / 1000),
        ...(previous !== undefined && { supersedes: previous }),
      },
    });
  }
  return events;
};

const recordScore = (command: RecordScore, state: LeadState, context: Context): LeadEvent[] => {
  const lead = openLead(state);
  checkDimensions(command.dimensions);
  const policy = checkScoringPolicy(context.policies?.scoring);
  const dimensions = { ...command.dimensions };
  const total = scoreTotal(dimensions, policy);
  return [
    {
      type: 'LeadScored',
      data: {
        leadId: lead.leadId,
        dimensions,
        total,
        recommendation: recommend(total, policy),
        policy: { id: policy.id, version: policy.version },
      },
    },
  ];
};

const checkNote = (value: unknown, field: string): void => {
  if (value !== undefined && !isNonBlank(value)) {
    refuse(`lead.${field}_invalid`, `The ${field} cannot be blank; leave it out instead.`, field);
  }
};

const qualifyLead = (command: QualifyLead, state: LeadState): LeadEvent[] => {
  const lead = openLead(state);
  if (lead.status === 'qualified')
    refuse('lead.already_qualified', 'This lead is already qualified.');
  checkNote(command.note, 'note');
  const { note } = command;
  return [
    { type: 'LeadQualified', data: { leadId: lead.leadId, ...(note !== undefined && { note }) } },
  ];
};

const nurtureLead = (command: NurtureLead, state: LeadState): LeadEvent[] => {
  const lead = openLead(state);
  if (lead.status === 'nurturing') {
    refuse('lead.already_nurturing', 'This lead is already in the nurture queue.');
  }
  checkNote(command.reason, 'reason');
  const { reason } = command;
  return [
    {
      type: 'LeadNurtured',
      data: { leadId: lead.leadId, ...(reason !== undefined && { reason }) },
    },
  ];
};

const disqualifyLead = (command: DisqualifyLead, state: LeadState): LeadEvent[] => {
  const lead = existingLead(state);
  if (lead.status === 'disqualified') {
    refuse('lead.already_disqualified', 'This lead is already disqualified.');
  }
  openLead(state);
  if (!isOneOf(DISQUALIFY_REASONS, command.reason)) {
    refuse(
      'lead.disqualify_reason_required',
      `Choose why the lead is disqualified: ${DISQUALIFY_REASONS.join(', ')}.`,
      'reason',
    );
  }
  if (command.reason === 'other' && !isNonBlank(command.note)) {
    refuse('lead.disqualify_note_required', 'Describe the reason when choosing "other".', 'note');
  }
  checkNote(command.note, 'note');
  const { reason, note } = command;
  return [
    {
      type: 'LeadDisqualified',
      data: { leadId: lead.leadId, reason, ...(note !== undefined && { note }) },
    },
  ];
};

const decide = (command: LeadCommand, state: LeadState, context: Context): LeadEvent[] => {
  switch (command.type) {
    case 'ReceiveInquiry':
      return receiveInquiry(command.data, state, context);
    case 'AssignLead':
      return assignLead(command.data, state);
    case 'TransferLeadOwnership':
      return transferLead(command.data, state);
    case 'RecordResponse':
      return recordResponse(command.data, state, context);
    case 'RecordScore':
      return recordScore(command.data, state, context);
    case 'QualifyLead':
      return qualifyLead(command.data, state);
    case 'NurtureLead':
      return nurtureLead(command.data, state);
    case 'DisqualifyLead':
      return disqualifyLead(command.data, state);
    case 'ConvertLead':
      return convertLead(command.data, state);
  }
};

export const leadDecider: Decider<LeadCommand, LeadEvent, LeadState, LeadPolicies> = {
  initialState: initialLeadState,
  decide,
  evolve: leadEvolve,
};
