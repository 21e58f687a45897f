import { CORRELATED_EVENT_TYPES } from '../../../src/audit/history/correlated-event-types';
import { describeEvent, EN_MESSAGES, inEnglish } from '../../../src/audit/history/event-messages';

describe('the events a history links to', () => {
  it('has English words for every event type it links, and for every key it can give', () => {
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
