import { get, post, query } from '../api.js';
import { may } from '../access.js';
import { userName, loadUsers } from '../directory.js';
import { announce, definitionList, field, h, link, notice, panel, select, table } from '../dom.js';
import { dateTime, localDay, number } from '../format.js';
import { problemText, t } from '../i18n.js';

const CLOCKS = ['first_response', 'proposal'];

export async function render(container, { query: params, session }) {
  container.append(h('h1', { text: t('ops.title') }));
  if (!may(session.role, 'policies')) {
    container.append(notice(t('notForRole', { role: t(`role.${session.role}`) })));
    return;
  }
  const [policies] = await Promise.all([get('/api/policies'), loadUsers(session.role)]);
  const chosen = params.get('policy') ?? 'sla.default';
  const versions = policies.some((p) => p.id === chosen)
    ? await get(`/api/policies/${encodeURIComponent(chosen)}/versions`)
    : [];

  const chooser = select(
    policies.map((p) => [p.id, p.id]),
    chosen,
    {
      onchange: (event) => (location.hash = `#/operations${query({ policy: event.target.value })}`),
    },
  );
  container.append(
    panel(
      t('ops.policies'),
      table({
        caption: t('ops.policies'),
        hideCaption: true,
        rows: policies,
        columns: [
          {
            label: t('ops.policy'),
            cell: (p) => link(`#/operations${query({ policy: p.id })}`, p.id),
          },
          { label: t('ops.version'), numeric: true, cell: (p) => `v${p.version}` },
          { label: t('ops.published'), cell: (p) => dateTime(p.publishedAt) },
          { label: t('ops.by'), cell: (p) => userName(p.publishedBy?.userId) },
          { label: t('ops.note'), cell: (p) => p.note ?? '' },
        ],
      }),
    ),
    panel(
      t('ops.versions', { id: chosen }),
      h('div', { class: 'field-row' }, field(t('ops.choose'), chooser)),
      table({
        caption: t('ops.versions', { id: chosen }),
        hideCaption: true,
        rows: [...versions].reverse(),
        columns: [
          {
            label: t('ops.version'),
            cell: (v) => [
              `v${v.version}`,
              v.version === versions.at(-1)?.version
                ? [' ', h('span', { class: 'badge ok', text: t('ops.inForce') })]
                : null,
            ],
          },
          { label: t('ops.published'), cell: (v) => dateTime(v.publishedAt) },
          { label: t('ops.by'), cell: (v) => userName(v.publishedBy?.userId) },
          { label: t('ops.note'), cell: (v) => v.note ?? '' },
        ],
      }),
    ),
  );
  const slaInForce = policies.find(
    (p) => p.id === (chosen.startsWith('sla.') ? chosen : 'sla.default'),
  );
  if (!may(session.role, 'whatIf')) {
    container.append(notice(t('ops.whatIf.notAllowed')));
    return;
  }
  if (slaInForce) container.append(whatIfPanel(slaInForce));
}

function whatIfPanel(inForce) {
  const candidate = structuredClone(inForce.body);
  const json = h('textarea', { rows: 14, name: 'policy', spellcheck: 'false' });
  json.value = JSON.stringify(candidate, null, 2);
  const target = h('input', {
    type: 'number',
    min: 1,
    max: 10080,
    name: 'targetMinutes',
    value: candidate.firstResponse?.targetMinutes ?? 30,
  });
  // The quick field edits the JSON; the JSON is what is sent.
  target.addEventListener('input', () => {
    try {
      const edited = JSON.parse(json.value);
      edited.firstResponse = { ...edited.firstResponse, targetMinutes: Number(target.value) };
      json.value = JSON.stringify(edited, null, 2);
    } catch {
      // Leave a hand-edited, unparsable JSON alone; Run reports it.
    }
  });
  const today = new Date();
  const from = h('input', {
    type: 'date',
    name: 'from',
    value: localDay(new Date(today.getTime() - 30 * 86_400_000)),
    required: true,
  });
  const to = h('input', {
    type: 'date',
    name: 'to',
    value: localDay(new Date(today.getTime() + 86_400_000)),
    required: true,
  });
  const results = h('div', { 'aria-live': 'polite' });
  const run = h('button', { type: 'submit' }, t('ops.whatIf.run'));

  const form = h(
    'form',
    {
      onsubmit: async (event) => {
        event.preventDefault();
        let policy;
        try {
          policy = JSON.parse(json.value);
        } catch {
          results.replaceChildren(
            h('div', { class: 'alert', role: 'alert' }, t('ops.whatIf.badJson')),
          );
          return;
        }
        run.disabled = true;
        results.replaceChildren(
          h('p', { class: 'muted', role: 'status' }, t('ops.whatIf.running')),
        );
        try {
          const answer = await post('/api/policies/what-if', {
            policy,
            from: new Date(`${from.value}T00:00:00`).toISOString(),
            to: new Date(`${to.value}T00:00:00`).toISOString(),
          });
          results.replaceChildren(resultsTable(answer));
          announce(t('ops.whatIf.results'));
        } catch (error) {
          results.replaceChildren(
            h(
              'div',
              { class: 'alert', role: 'alert' },
              error.problem ? problemText(error.problem) : t('error.network'),
            ),
          );
        } finally {
          run.disabled = false;
        }
      },
    },
    h(
      'div',
      { class: 'field-row' },
      field(t('ops.whatIf.target'), target),
      field(t('ops.whatIf.from'), from),
      field(t('ops.whatIf.to'), to),
    ),
    field(t('ops.whatIf.candidate'), json),
    h('p', {}, run),
  );

  const ladder = (clock) =>
    (inForce.body[clock === 'first_response' ? 'firstResponse' : 'proposal']?.ladder ?? [])
      .map((rung) => `${rung.afterMinutes}′ ${rung.action}`)
      .join(' → ');
  return panel(
    t('ops.whatIf'),
    h(
      'div',
      { class: 'side-by-side' },
      h(
        'div',
        {},
        h('h3', {}, `${t('ops.inForce')}: ${inForce.id} v${inForce.version}`),
        definitionList([
          [
            `${t('clock.first_response')}`,
            `${inForce.body.firstResponse?.targetMinutes}′ (${inForce.body.firstResponse?.mode}) · ${ladder('first_response')}`,
          ],
          [
            `${t('clock.proposal')}`,
            `${inForce.body.proposal?.targetMinutes}′ (${inForce.body.proposal?.mode}) · ${ladder('proposal')}`,
          ],
          [t('ops.published'), dateTime(inForce.publishedAt)],
        ]),
        form,
      ),
      h('div', {}, h('h3', { text: t('ops.whatIf.results') }), results),
    ),
  );
}

function resultsTable(answer) {
  const { candidate, inForce, actual } = answer;
  const rows = [
    ...CLOCKS.flatMap((clock) => [
      [
        t('ops.whatIf.started', { clock: t(`clock.${clock}`) }),
        candidate.runs?.[clock]?.started,
        inForce.runs?.[clock]?.started,
      ],
      [
        t('ops.whatIf.met', { clock: t(`clock.${clock}`) }),
        candidate.runs?.[clock]?.met,
        inForce.runs?.[clock]?.met,
      ],
      [
        t('ops.whatIf.breached', { clock: t(`clock.${clock}`) }),
        candidate.runs?.[clock]?.breached,
        inForce.runs?.[clock]?.breached,
      ],
    ]),
    [t('ops.whatIf.breaches'), candidate.breaches?.total, inForce.breaches?.total],
    [t('ops.whatIf.escalations'), candidate.escalations?.total, inForce.escalations?.total],
    [t('ops.whatIf.suppressed'), candidate.suppressed, inForce.suppressed],
    [t('ops.whatIf.commands'), candidate.commandCount, inForce.commandCount],
  ];
  return h(
    'div',
    { class: 'what-if-results' },
    h('p', { class: 'muted' }, `${dateTime(answer.period.from)} – ${dateTime(answer.period.to)}`),
    table({
      caption: t('ops.whatIf.results'),
      hideCaption: true,
      rows,
      columns: [
        { label: t('ops.whatIf.measure'), cell: (row) => row[0] },
        { label: t('ops.whatIf.candidateCol'), numeric: true, cell: (row) => number(row[1] ?? 0) },
        { label: t('ops.whatIf.inForceCol'), numeric: true, cell: (row) => number(row[2] ?? 0) },
      ],
    }),
    h(
      'p',
      {},
      t('ops.whatIf.actual', {
        count: number(actual.decisions),
        ok: actual.reproducedByReplay ? t('yes') : t('no'),
      }),
    ),
  );
}
