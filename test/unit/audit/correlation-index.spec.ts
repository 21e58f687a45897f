import {
  CORRELATED_EVENT_TYPES,
  correlationIndexProjection,
  CORRELATIONS,
  CorrelationDocument,
  MAX_CORRELATED,
} from '../../../projections/correlation-index.projection';
import { describeEvent, EN_MESSAGES, inEnglish } from '../../../src/audit/history/event-messages';
import { RecordedEvent } from '../../../src/event-store/event-store.port';
import { history, project, recorded } from '../../support/projection-harness';

const under = (correlationId: string, event: RecordedEvent): RecordedEvent => ({
  ...event,
  metadata: { ...event.metadata, $correlationId: correlationId },
});

describe('correlation index', () => {
  it('lists the events of one correlation across records, in log order, without personal data', async () => {
    const model = await project(
      correlationIndexProjection,
      history([
        under(
          'c-deactivate',
          recorded(
            'user-u-ben',
            'UserDeactivated',
            {
              userId: 'u-ben',
              deactivatedBy: 'u-mgr',
              deactivatedAt: '2026-03-13T09:00:00Z',
              successorId: 'u-cem',
              reason: 'left',
            },
            '2026-03-13T09:00:00Z',
          ),
        ),
        under(
          'c-deactivate',
          recorded(
            'deal-d-1',
            'DealOwnerTransferred',
            {
              from: 'u-ben',
              to: 'u-cem',
              reason: 'left',
              cause: { kind: 'system', id: 'user-deactivation' },
            },
            '2026-03-13T09:00:00Z',
          ),
        ),
        under(
          'c-other',
          recorded(
            'deal-d-1',
            'DealActivityLogged',
            {
              activityId: 'x',
              kind: 'call',
              direction: 'outbound',
              at: '2026-03-13T10:00:00Z',
              $personal: [
                { subject: 'deal:d-1', iv: 'iv', tag: 'tag', ciphertext: 'c', paths: ['summary'] },
              ],
            },
            '2026-03-13T10:00:00Z',
          ),
        ),
        under(
          'c-deactivate',
          recorded(
            'lead-l-1',
            'LeadOwnershipTransferred',
            {
              leadId: 'l-1',
              from: 'u-ben',
              to: 'u-cem',
              reason: 'left',
              cause: { kind: 'system', id: 'user-deactivation' },
            },
            '2026-03-13T09:00:00Z',
          ),
        ),
      ]),
    );
    const chain = (await model.get(CORRELATIONS, 'c-deactivate')) as CorrelationDocument;
    expect(chain.events.map((e) => `${e.stream}@${e.revision} ${e.type}`)).toEqual([
      'user-u-ben@0 UserDeactivated',
      'deal-d-1@0 DealOwnerTransferred',
      'lead-l-1@0 LeadOwnershipTransferred',
    ]);
    expect(chain.events[1].message).toEqual({
      key: 'history.deal.handed_over',
      params: { from: 'u-ben', to: 'u-cem' },
      people: ['from', 'to'],
    });
    const activity = (await model.get(CORRELATIONS, 'c-other')) as CorrelationDocument;
    expect(JSON.stringify(activity)).not.toMatch(/ciphertext|\$personal/);
    await model.close();
  });

  it('keeps at most MAX_CORRELATED events of a correlation and counts the rest', async () => {
    const events = Array.from({ length: MAX_CORRELATED + 5 }, (_, n) =>
      under(
        'c-import',
        recorded(`lead-l-${n}`, 'LeadQualified', { leadId: `l-${n}` }, '2026-03-01T00:00:00Z'),
      ),
    );
    const model = await project(correlationIndexProjection, history(events), 50);
    const chain = (await model.get(CORRELATIONS, 'c-import')) as CorrelationDocument;
    expect(chain.events).toHaveLength(MAX_CORRELATED);
    expect(chain.more).toBe(5);
    await model.close();
  });

  it('has English words for every event type it indexes, and for every key it can give', () => {
    for (const type of CORRELATED_EVENT_TYPES) {
      const message = describeEvent(type, {});
      expect({
        type,
        known: message.key !== 'history.event' && EN_MESSAGES[message.key] !== undefined,
      }).toEqual({ type, known: true });
      expect(inEnglish(message)).not.toMatch(/\{\w+\}/);
    }
    expect(inEnglish(describeEvent('SomethingNew', {}))).toBe('SomethingNew');
  });
});
