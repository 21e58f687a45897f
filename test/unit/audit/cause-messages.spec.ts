import { describeCause } from '../../../src/audit/history/cause-messages';
import { inEnglish } from '../../../src/audit/history/event-messages';

const names: Record<string, string> = { 'u-mgr': 'Mona Manager', 'u-ben': 'Ben Li' };
const nameOf = (userId: string) => names[userId] ?? userId;
const system = { userId: 'system', role: 'system' };

describe('who or what caused a change', () => {
  it('names the person, by default the actor', () => {
    const cause = describeCause({ userId: 'u-mgr', role: 'manager' }, undefined, undefined, {});
    expect(cause).toMatchObject({ kind: 'person', id: 'u-mgr', version: null });
    expect(inEnglish(cause.message, nameOf)).toBe('by Mona Manager');
  });

  it('names a rule with its version, and the automation that applied it', () => {
    const rule = { kind: 'rule' as const, id: 'sla.default', version: 3 };
    const bySaga = describeCause(system, rule, 'automation: sla-escalation', {});
    expect(bySaga).toMatchObject({ kind: 'rule', id: 'sla.default', version: 3 });
    expect(inEnglish(bySaga.message)).toBe(
      'by automation sla-escalation under rule sla.default v3',
    );
    const atReceipt = describeCause(system, { ...rule, id: 'assignment.default' }, 'Gulf', {});
    expect(inEnglish(atReceipt.message)).toBe('by rule assignment.default v3');
  });

  it("tells a deactivation's handover, an import and other system work apart", () => {
    const handover = describeCause(
      { userId: 'u-mgr', role: 'manager' },
      { kind: 'system', id: 'user-deactivation' },
      'left the company',
      { from: 'u-ben', to: 'u-cem' },
    );
    expect(handover).toMatchObject({ kind: 'deactivation', id: 'u-ben' });
    expect(inEnglish(handover.message, nameOf)).toBe(
      'on the deactivation of Ben Li, by Mona Manager',
    );
    const imported = describeCause(
      { userId: 'u-mgr', role: 'admin' },
      { kind: 'import', id: 'crm-migration' },
      undefined,
      {},
    );
    expect(inEnglish(imported.message, nameOf)).toBe('imported (crm-migration) by Mona Manager');
    expect(
      inEnglish(describeCause(system, { kind: 'saga', id: 'stage-tasks' }, undefined, {}).message),
    ).toBe('by automation stage-tasks');
    expect(
      inEnglish(describeCause(system, { kind: 'system', id: 'merge' }, undefined, {}).message),
    ).toBe('by the system (merge)');
  });
});
