import { regionOf } from '../domain/shared/regions';
import type { RecordedEvent } from '../src/event-store/event-store.port';
import type { ReadDocument } from '../src/read-store/read-store.port';
import { DocumentRef, Projection, ProjectionView, streamId } from './projection';
import { addToRollup, Dimensions, removeFromRollup, rollupCollections } from './shared/rollup';
import {
  applyMembership,
  MEMBERSHIP_COLLECTIONS,
  MEMBERSHIP_EVENT_TYPES,
  teamAt,
} from './team-membership.projection';

/**
 * Channel quality. The cohort is the inquiries received in the period (InquiryReceived.occurredAt
 * in [from, to)); what becomes of each one is counted for that cohort whenever it happens, so
 * every measurement sits at the inquiry's receipt time:
 * - `inquiries`: 1 per inquiry;
 * - `qualified`: the lead was ever qualified, or converted (a conversion qualifies it);
 * - `converted`: the lead was converted to a deal;
 * - `won`: the deal it was converted to is won now (a reopen takes it back, a new win counts again).
 *
 * Dimensions: channel, country and region of the inquiry; owner and team of the lead's first owner
 * (assigned with the inquiry, or the first assignment after it), the team at that assignment.
 * One fact per lead (`lead:<leadId>`) and one per converted deal (`won:<dealId>`), replaced as
 * the lead moves on, so the buckets always hold each lead's current outcome exactly once.
 */

export const CHANNEL_QUALITY = 'channel-quality';
export const CHANNEL_COHORT = 'cohort';

const LEADS = 'leads';
const DEALS = 'deals';

interface Fact {
  id: string;
  at: string;
  dims: Dimensions;
  amounts: Record<string, number>;
}

interface CohortLead extends ReadDocument {
  receivedAt: string;
  dims: Dimensions;
  assigned: boolean;
  qualified: boolean;
  converted: boolean;
  fact: Fact;
}

interface CohortDeal extends ReadDocument {
  leadId: string;
  receivedAt: string;
  dims: Dimensions;
  won: Fact | null;
}

const LEAD_EVENTS = [
  'InquiryReceived',
  'LeadAssigned',
  'LeadOwnershipTransferred',
  'LeadQualified',
  'LeadConverted',
];
const DEAL_EVENTS = ['DealOpened', 'DealWon', 'DealReopened'];

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

const leadAmounts = (
  lead: Pick<CohortLead, 'qualified' | 'converted'>,
): Record<string, number> => ({
  inquiries: 1,
  qualified: lead.qualified || lead.converted ? 1 : 0,
  converted: lead.converted ? 1 : 0,
});

function replace(view: ProjectionView, before: Fact | null, after: Fact | null): void {
  if (before)
    removeFromRollup(view, CHANNEL_COHORT, before.at, before.dims, before.amounts, before.id);
  if (after) addToRollup(view, CHANNEL_COHORT, after.at, after.dims, after.amounts, after.id);
}

export const channelQualityProjection: Projection = {
  name: CHANNEL_QUALITY,
  // 2: month and day buckets within each owner and team (scope breakdowns).
  version: 2,
  collections: [
    ...MEMBERSHIP_COLLECTIONS,
    { name: LEADS },
    { name: DEALS },
    ...rollupCollections(CHANNEL_COHORT),
  ],
  eventTypes: [...MEMBERSHIP_EVENT_TYPES, ...LEAD_EVENTS, ...DEAL_EVENTS],

  reads(event: RecordedEvent): DocumentRef[] {
    if (LEAD_EVENTS.includes(event.type)) return [{ collection: LEADS, id: streamId(event) }];
    if (event.type === 'DealOpened') {
      const leadId = str((event.data as Record<string, unknown>).originLeadId);
      return [
        { collection: DEALS, id: streamId(event) },
        ...(leadId ? [{ collection: LEADS, id: leadId }] : []),
      ];
    }
    if (DEAL_EVENTS.includes(event.type)) return [{ collection: DEALS, id: streamId(event) }];
    return [];
  },

  apply(event: RecordedEvent, view: ProjectionView): void {
    if (applyMembership(event, view)) return;
    const id = streamId(event);
    const at = event.metadata.occurredAt;
    const data = event.data as Record<string, unknown>;
    switch (event.type) {
      case 'InquiryReceived': {
        if (view.get(LEADS, id)) return;
        const inquirer = (data.inquirer ?? {}) as Record<string, unknown>;
        const country = str(inquirer.country);
        const receivedAt = str(data.receivedAt) ?? at;
        const dims: Dimensions = {
          channel: str(data.channel) ?? 'other',
          ...(country ? { country, region: regionOf(country) } : {}),
        };
        const lead: CohortLead = {
          id,
          receivedAt,
          dims,
          assigned: false,
          qualified: false,
          converted: false,
          fact: {
            id: `lead:${id}`,
            at: receivedAt,
            dims,
            amounts: leadAmounts({ qualified: false, converted: false }),
          },
        };
        replace(view, null, lead.fact);
        view.put(LEADS, lead);
        return;
      }
      case 'LeadAssigned':
      case 'LeadOwnershipTransferred': {
        const lead = view.get<CohortLead>(LEADS, id);
        const owner = str(data.to);
        if (!lead || lead.assigned || !owner) return;
        // The cohort belongs to the first owner, and to that owner's team at the assignment.
        const team = teamAt(view, owner, at);
        const dims: Dimensions = { ...lead.dims, owner, ...(team ? { team } : {}) };
        const fact = { ...lead.fact, dims };
        replace(view, lead.fact, fact);
        view.put(LEADS, { ...lead, dims, assigned: true, fact });
        return;
      }
      case 'LeadQualified':
      case 'LeadConverted': {
        const lead = view.get<CohortLead>(LEADS, id);
        if (!lead) return;
        const next = {
          ...lead,
          qualified: lead.qualified || event.type === 'LeadQualified',
          converted: lead.converted || event.type === 'LeadConverted',
        };
        const fact = { ...lead.fact, amounts: leadAmounts(next) };
        if (JSON.stringify(fact.amounts) === JSON.stringify(lead.fact.amounts)) return;
        replace(view, lead.fact, fact);
        view.put(LEADS, { ...next, fact });
        return;
      }
      case 'DealOpened': {
        const leadId = str(data.originLeadId);
        const lead = leadId ? view.get<CohortLead>(LEADS, leadId) : undefined;
        if (!lead || view.get(DEALS, id)) return;
        view.put(DEALS, {
          id,
          leadId: lead.id,
          receivedAt: lead.receivedAt,
          dims: lead.dims,
          won: null,
        });
        return;
      }
      case 'DealWon': {
        const deal = view.get<CohortDeal>(DEALS, id);
        if (!deal || deal.won) return;
        const won: Fact = {
          id: `won:${id}`,
          at: deal.receivedAt,
          dims: deal.dims,
          amounts: { won: 1 },
        };
        replace(view, null, won);
        view.put(DEALS, { ...deal, won });
        return;
      }
      case 'DealReopened': {
        const deal = view.get<CohortDeal>(DEALS, id);
        if (!deal?.won) return;
        replace(view, deal.won, null);
        view.put(DEALS, { ...deal, won: null });
        return;
      }
    }
  },
};
