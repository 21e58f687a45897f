import { get } from '../api.js';
import { may } from '../access.js';
import { loadUsers, userName } from '../directory.js';
import { definitionList, h, link, notice, panel, table } from '../dom.js';
import { dateTime, number } from '../format.js';
import { historyColumns, historyRows } from '../history.js';
import { t } from '../i18n.js';

export async function render(container, { params: [leadId], session }) {
  if (!may(session.role, 'records')) {
    container.append(
      h('h1', { text: t('lead.title') }),
      notice(t('notForRole', { role: t(`role.${session.role}`) })),
    );
    return;
  }
  const [lead, history] = await Promise.all([
    get(`/api/leads/${leadId}`),
    get(`/api/leads/${leadId}/history`),
    loadUsers(session.role),
  ]);
  const state = lead.state;
  const inquirer = state.inquirer ?? {};
  container.append(
    h('h1', {}, `${t('lead.title')}: ${inquirer.company ?? inquirer.name ?? leadId}`),
    panel(
      t('account.fields'),
      definitionList([
        [t('lead.status'), state.status],
        [t('queue.channel'), state.channel],
        [t('queue.received'), dateTime(state.receivedAt)],
        [t('queue.owner'), userName(state.ownerId)],
        [t('account.contact.name'), inquirer.name],
        [t('account.contact.email'), inquirer.email],
        [t('queue.country'), inquirer.country],
        [t('queue.score'), state.score ? number(state.score.total) : undefined],
        [
          t('deal.title'),
          state.convertedTo
            ? link(`#/deals/${state.convertedTo.dealId}`, t('deal.title'))
            : undefined,
        ],
        [
          t('account.title'),
          state.convertedTo
            ? link(`#/accounts/${state.convertedTo.accountId}`, t('account.title'))
            : undefined,
        ],
      ]),
    ),
    panel(
      t('deal.history'),
      table({
        caption: t('deal.history'),
        hideCaption: true,
        rows: historyRows(history),
        columns: historyColumns(),
      }),
    ),
  );
}
