import { LeadEvent } from './lead.events';
import { Lead, LeadState } from './lead.state';

const evolveLead = (lead: Lead, event: LeadEvent): Lead => {
  switch (event.type) {
    case 'InquiryReceived':
    case 'LeadResponseRecorded':
      return lead;
    case 'LeadAssigned':
    case 'LeadOwnershipTransferred':
      return { ...lead, ownerId: event.data.to };
    case 'FirstResponseRecorded':
      return { ...lead, firstResponseAt: event.data.at };
    case 'LeadScored': {
      const { total, recommendation, policy } = event.data;
      return { ...lead, score: { total, recommendation, policy } };
    }
    case 'LeadQualified':
      return { ...lead, status: 'qualified' };
    case 'LeadNurtured':
      return { ...lead, status: 'nurturing' };
    case 'LeadDisqualified':
      return { ...lead, status: 'disqualified' };
    case 'LeadConverted': {
      const { accountId, contactId, dealId } = event.data;
      return { ...lead, status: 'converted', convertedTo: { accountId, contactId, dealId } };
    }
  }
};

export const leadEvolve = (state: LeadState, event: LeadEvent): LeadState => {
  if (event.type === 'InquiryReceived') {
    const { leadId, channel, live, receivedAt, inquirer } = event.data;
    return { leadId, status: 'new', channel, live, receivedAt, inquirer };
  }
  return state && evolveLead(state, event);
};
