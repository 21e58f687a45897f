import { get, offers, query } from '../api.js';
import { may } from '../access.js';
import { loadUsers, openStages, stageLabel, userName } from '../directory.js';
import { definitionList, field, h, link, notice, panel, table } from '../dom.js';
import { dateTime, day, moneyOf, month } from '../format.js';
import { historyColumns, historyRows } from '../history.js';
import { t } from '../i18n.js';

const APPROVAL_EVENTS = ['QuoteApprovalRequested', 'QuoteApproved', 'QuoteRejected'];

export async function render(container, { params: [dealId], query: params, session }) {
  if (!may(session.role, 'records')) {
    container.append(
      h('h1', { text: t('deal.title') }),
      notice(t('notForRole', { role: t(`role.${session.role}`) })),
    );
    return;
  }
  const asOf = params.get('asOf') ?? undefined;
  const [history, stages, asOfOffered] = await Promise.all([
    get(`/api/deals/${dealId}/history`),
    openStages(),
    offers('GET', '/api/deals/{id}', 'asOf'),
    loadUsers(session.role),
  ]);
  const opened = history.find((entry) => entry.type === 'DealOpened');
  const title = opened?.data?.title ?? dealId;
  container.append(h('h1', {}, `${t('deal.title')}: ${title}`));
  container.append(asOfForm(dealId, asOf, asOfOffered));

  const at = asOf ? Date.parse(asOf) : undefined;
  if (asOf && !asOfOffered) {
    container.append(notice(t('deal.asOfUnavailable')));
  }
  const useAsOf = asOf && asOfOffered;
  if (useAsOf) {
    container.append(
      h('p', { class: 'notice', role: 'status' }, t('deal.asOfBanner', { when: dateTime(asOf) })),
    );
    if (opened && at < Date.parse(opened.occurredAt)) {
      container.append(notice(t('deal.notOpenedYet')));
      return;
    }
  }
  const deal = await get(`/api/deals/${dealId}${useAsOf ? query({ asOf }) : ''}`);
  const state = deal.state;
  const account = await get(`/api/accounts/${state.accountId}`).catch(() => undefined);
  const shown = useAsOf ? history.filter((entry) => Date.parse(entry.occurredAt) <= at) : history;

  container.append(
    h(
      'div',
      { class: 'grid' },
      panel(
        t('deal.status'),
        definitionList([
          [t('deal.status'), t(`deal.status.${state.status}`)],
          [
            t('deal.account'),
            link(
              `#/accounts/${state.accountId}`,
              account?.state?.profile?.name ?? t('account.title'),
            ),
          ],
          [t('deal.owner'), userName(state.ownerId)],
          [t('deal.amount'), moneyOf(state.amount)],
          [t('deal.incoterm'), state.incoterm],
          [t('deal.paymentTerm'), paymentTermText(state.paymentTerm)],
          [t('deal.expectedClose'), day(state.expectedCloseDate)],
          [t('deal.expectedShip'), month(state.expectedShipMonth)],
          [
            t('deal.totalPaid'),
            `${moneyOf(state.totalPaid)}${state.paidInFull ? ` (${t('deal.paidInFull')})` : ''}`,
          ],
        ]),
      ),
      panel(t('deal.stages'), stagesNode(stages, state)),
    ),
    panel(
      t('deal.quotes'),
      table({
        caption: t('deal.quotes'),
        hideCaption: true,
        empty: t('deal.noQuotes'),
        rows: state.quotes,
        rowClass: (quote) => quote.status,
        columns: [
          { label: t('deal.quote.version'), cell: (quote) => `v${quote.version}` },
          { label: t('deal.quote.total'), numeric: true, cell: (quote) => moneyOf(quote.total) },
          { label: t('deal.quote.validUntil'), cell: (quote) => day(quote.validUntil) },
          {
            label: t('deal.quote.status'),
            className: 'status',
            cell: (quote) =>
              h(
                'span',
                {
                  class: `badge ${quote.status === 'superseded' ? 'warn' : quote.status === 'sent' ? 'ok' : ''}`,
                },
                t(`deal.quote.status.${quote.status}`),
              ),
          },
          {
            label: t('deal.quote.approval'),
            cell: (quote) => t(`deal.approval.${quote.approval}`),
          },
        ],
      }),
    ),
    h(
      'div',
      { class: 'grid' },
      panel(
        t('deal.approvals'),
        table({
          caption: t('deal.approvals'),
          hideCaption: true,
          empty: t('deal.noApprovals'),
          rows: shown.filter((entry) => APPROVAL_EVENTS.includes(entry.type)),
          columns: [
            { label: t('deal.when'), cell: (entry) => dateTime(entry.occurredAt) },
            { label: t('deal.quote.version'), cell: (entry) => `v${entry.data.version}` },
            { label: t('deal.decision'), cell: (entry) => t(`event.${entry.type}`) },
            { label: t('deal.who'), cell: (entry) => userName(entry.actor?.userId) },
            { label: t('deal.why'), cell: (entry) => entry.data.note ?? entry.reason ?? '' },
          ],
        }),
      ),
      panel(
        t('deal.payments'),
        table({
          caption: t('deal.payments'),
          hideCaption: true,
          empty: t('deal.noPayments'),
          rows: shown.filter((entry) => entry.type === 'DealPaymentRecorded'),
          columns: [
            { label: t('deal.receivedOn'), cell: (entry) => day(entry.data.receivedOn) },
            { label: t('deal.paid'), numeric: true, cell: (entry) => moneyOf(entry.data.amount) },
            {
              label: t('deal.totalPaid'),
              numeric: true,
              cell: (entry) => moneyOf(entry.data.totalPaid),
            },
          ],
        }),
      ),
    ),
    panel(
      t('deal.activities'),
      table({
        caption: t('deal.activities'),
        hideCaption: true,
        empty: t('deal.noActivities'),
        rows: shown.filter((entry) => entry.type === 'DealActivityLogged').reverse(),
        columns: [
          { label: t('deal.when'), cell: (entry) => dateTime(entry.data.at ?? entry.occurredAt) },
          { label: t('deal.kind'), cell: (entry) => entry.data.kind },
          { label: t('deal.direction'), cell: (entry) => entry.data.direction },
          { label: t('deal.summary'), cell: (entry) => entry.data.summary ?? '' },
        ],
      }),
    ),
    panel(
      t('deal.history'),
      table({
        caption: t('deal.history'),
        hideCaption: true,
        rows: historyRows(shown),
        columns: historyColumns(),
      }),
    ),
  );
}

function paymentTermText(term) {
  if (!term) return undefined;
  return [
    term.method,
    term.advancePercent !== undefined ? `${term.advancePercent}%` : null,
    term.days ? `${term.days}d` : null,
  ]
    .filter(Boolean)
    .join(' ');
}

function stagesNode(stages, state) {
  const items = stages.map((stage) => {
    const current = state.status === 'open' && state.stage === stage.key;
    const entered = state.stagesEntered?.includes(stage.key);
    return h(
      'li',
      {
        class: current ? 'current' : entered ? 'entered' : '',
        'aria-current': current ? 'step' : undefined,
      },
      stageLabel(stages, stage.key, t),
      current ? ` (${t('deal.current')})` : entered ? ` ✓` : '',
    );
  });
  if (state.status !== 'open')
    items.push(h('li', { class: 'current' }, stageLabel(stages, state.status, t)));
  return h('ol', { class: 'stages' }, items);
}

/** The date and time picker: the instant is taken in the user's own time zone. */
function asOfForm(dealId, asOf, offered) {
  const toLocalInput = (iso) => {
    const date = new Date(iso);
    const pad = (n) => String(n).padStart(2, '0');
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
  };
  const input = h('input', {
    type: 'datetime-local',
    name: 'asOf',
    value: asOf ? toLocalInput(asOf) : '',
    required: true,
  });
  return h(
    'form',
    {
      class: 'filters',
      onsubmit: (event) => {
        event.preventDefault();
        if (!input.value) return;
        // A datetime-local value without an offset is read in the browser's (the user's) zone.
        const instant = new Date(input.value).toISOString();
        location.hash = `#/deals/${dealId}?asOf=${encodeURIComponent(instant)}`;
      },
    },
    field(t('deal.asOfDate'), input),
    h('button', { type: 'submit', disabled: offered ? undefined : true }, t('deal.asOfShow')),
    asOf
      ? h('a', { class: 'button secondary', href: `#/deals/${dealId}` }, t('deal.asOfNow'))
      : null,
  );
}
