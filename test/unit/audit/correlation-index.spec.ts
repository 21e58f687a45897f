import {
  CORRELATED_EVENT_TYPES,
  CORRELATED_EVENTS,
  correlationIndexProjection,
  CORRELATION_TALLIES,
  MAX_CORRELATED,
} from '../../../projections/correlation-index.projection';
import { describeEvent, EN_MESSAGES, inEnglish } from '../../../src/audit/history/event-messages';
import { readCorrelationChains } from '../../../src/audit/history/record-history';
import { RecordedEvent } from '../../../src/event-store/event-store.port';
import { history, ProjectedModel, project, recorded } from '../../support/projection-harness';

const under = (correlationId: string, event: RecordedEvent): RecordedEvent => ({
  ...event,
  metadata: { ...event.metadata, $correlationId: correlationId },
});

/** The chains as the history endpoint reads them. */
const chainsOf = (model: ProjectedModel, ids: string[]) =>
  readCorrelationChains(
    model.store,
    { events: model.name(CORRELATED_EVENTS), tallies: model.name(CORRELATION_TALLIES) },
    ids,
  );

const qualified = (correlationId: string, lead: string): RecordedEvent =>
  under(
    correlationId,
    recorded(`lead-${lead}`, 'LeadQualified', { leadId: lead }, '2026-03-01T00:00:00Z'),
  );

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
    const chains = await chainsOf(model, ['c-deactivate', 'c-other', 'c-deactivate', 'c-none']);
    const chain = chains.get('c-deactivate')!;
    // Log order, not the order of stream names or document ids.
    expect(chain.events.map((e) => `${e.stream}@${e.revision} ${e.type}`)).toEqual([
      'user-u-ben@0 UserDeactivated',
      'deal-d-1@0 DealOwnerTransferred',
      'lead-l-1@0 LeadOwnershipTransferred',
    ]);
    expect(chain.more).toBe(0);
    expect(chain.events[1].message).toEqual({
      key: 'history.deal.handed_over',
      params: { from: 'u-ben', to: 'u-cem' },
      people: ['from', 'to'],
    });
    expect(chains.get('c-other')!.events.map((e) => e.type)).toEqual(['DealActivityLogged']);
    expect(chains.has('c-none')).toBe(false);
    const stored = await model.find(CORRELATED_EVENTS);
    expect(stored).toHaveLength(4);
    expect(JSON.stringify(stored)).not.toMatch(/ciphertext|\$personal/);
    await model.close();
  });

  it('keeps the first MAX_CORRELATED events of a correlation and counts the rest', async () => {
    const events = Array.from({ length: MAX_CORRELATED + 5 }, (_, n) =>
      qualified('c-import', `l-${n}`),
    );
    const model = await project(correlationIndexProjection, history(events), 50);
    const chain = (await chainsOf(model, ['c-import'])).get('c-import')!;
    expect(chain.events).toHaveLength(MAX_CORRELATED);
    expect(chain.events[0].stream).toBe('lead-l-0');
    expect(chain.events[MAX_CORRELATED - 1].stream).toBe(`lead-l-${MAX_CORRELATED - 1}`);
    expect(chain.more).toBe(5);
    // Storage stays capped too: the events beyond the cap are only counted.
    expect(await model.store.count(model.name(CORRELATED_EVENTS))).toBe(MAX_CORRELATED);
    await model.close();
  });

  it('reads many long chains at once, each whole and in log order', async () => {
    // Interleaved, so every chain spans all batches; together they need several finds.
    const chains = ['c-a', 'c-b', 'c-c', 'c-d', 'c-e', 'c-f'];
    const events = Array.from({ length: MAX_CORRELATED + 2 }, (_, n) =>
      chains.map((id) => qualified(id, `${id}-${n}`)),
    ).flat();
    const model = await project(correlationIndexProjection, history(events), 500);
    const read = await chainsOf(model, [...chains].reverse());
    for (const id of chains) {
      const chain = read.get(id)!;
      expect({ id, kept: chain.events.length, more: chain.more }).toEqual({
        id,
        kept: MAX_CORRELATED,
        more: 2,
      });
      expect(chain.events.map((e) => e.stream)).toEqual(
        Array.from({ length: MAX_CORRELATED }, (_, n) => `lead-${id}-${n}`),
      );
    }
    await model.close();
  });

  it('keys each event by stream and revision, so a rebuild writes the same documents', async () => {
    const events = history([qualified('c-1', 'l-1'), qualified('c-1', 'l-1')]);
    const first = await project(correlationIndexProjection, events, 1);
    const second = await project(correlationIndexProjection, events, 2);
    const ids = async (model: ProjectedModel) =>
      (await model.find(CORRELATED_EVENTS)).map((e) => e.id).sort();
    expect(await ids(first)).toEqual(['lead-l-1@0', 'lead-l-1@1']);
    expect(await first.find(CORRELATED_EVENTS)).toEqual(await second.find(CORRELATED_EVENTS));
    expect(await first.get(CORRELATION_TALLIES, 'c-1')).toEqual(
      await second.get(CORRELATION_TALLIES, 'c-1'),
    );
    await first.close();
    await second.close();
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
