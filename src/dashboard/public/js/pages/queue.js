import { get, query } from '../api.js';
import { may } from '../access.js';
import { slaDeadline } from '../business-time.js';
import { loadTeams, loadUsers, policy, userName } from '../directory.js';
import { field, h, link, notice, panel, select, table } from '../dom.js';
import { clock, dateTime, duration, number } from '../format.js';
import { t } from '../i18n.js';

const FOLLOW_UP_SAGA = 'follow-up-reminders';

export async function render(container, { session, query: params }) {
  container.append(h('h1', { text: t('queue.title') }));
  if (!may(session.role, 'tasks')) {
    container.append(notice(t('notForRole', { role: t(`role.${session.role}`) })));
    return;
  }
  const whose = params.get('whose') ?? (session.role === 'rep' ? 'mine' : 'scope');
  const assignee = whose === 'mine' ? session.userId : undefined;
  const [users, teams, sla, calendars, leads, tasks, nurture] = await Promise.all([
    loadUsers(session.role),
    loadTeams(session.role),
    policy('sla.default'),
    policy('calendars.default'),
    get(`/api/reports/lead-queue${query({ status: 'new', limit: 100 })}`),
    get(`/api/reports/tasks${query({ assignee, limit: 500 })}`),
    get(`/api/reports/nurture-queue${query({ limit: 100 })}`),
  ]);

  const target = sla.firstResponse?.targetMinutes ?? 30;
  const mode = sla.firstResponse?.mode ?? 'business';
  const calendarOf = (ownerId) => {
    const teamId = users.get(ownerId)?.teamId;
    const key = teams.get(teamId)?.calendarKey ?? sla.defaultCalendarKey;
    return calendars.calendars?.find((calendar) => calendar.key === key);
  };
  const countdowns = [];
  const slaCell = (lead) => {
    if (!lead.live || sla.firstResponse?.enabled === false)
      return h('span', { class: 'muted', text: t('queue.slaNone') });
    // The saga's own due time follows handovers and policy versions; until the saga has
    // scheduled the clock, the policy in force on the owner's team calendar stands in.
    const due = lead.firstResponseDueAt
      ? Date.parse(lead.firstResponseDueAt)
      : slaDeadline(lead.receivedAt, target, calendarOf(lead.owner), mode);
    const node = h('span', { class: 'countdown', title: dateTime(new Date(due).toISOString()) });
    countdowns.push({ node, due });
    return node;
  };

  const endOfToday = new Date();
  endOfToday.setHours(23, 59, 59, 999);
  const followUps = tasks.tasks.filter(
    (task) => task.sourceSaga === FOLLOW_UP_SAGA && Date.parse(task.dueAt) <= endOfToday.getTime(),
  );
  const whoseSelect = select(
    [
      ['mine', t('queue.whose.mine')],
      ['scope', t('queue.whose.scope')],
    ],
    whose,
    { onchange: (event) => (location.hash = `#/queue?whose=${event.target.value}`) },
  );

  container.append(
    h(
      'div',
      { class: 'grid' },
      panel(
        t('queue.newLeads'),
        h('p', {
          class: 'muted',
          text: t('queue.slaLabel', { minutes: target, mode: t(`queue.mode.${mode}`) }),
        }),
        table({
          caption: t('queue.newLeads'),
          hideCaption: true,
          empty: t('queue.noLeads'),
          rows: leads.rows,
          columns: [
            {
              label: t('queue.company'),
              cell: (lead) => link(`#/leads/${lead.leadId}`, lead.company ?? lead.leadId),
            },
            { label: t('queue.channel'), cell: (lead) => lead.channel },
            { label: t('queue.received'), cell: (lead) => dateTime(lead.receivedAt) },
            { label: t('queue.sla'), cell: slaCell },
            { label: t('queue.owner'), cell: (lead) => userName(lead.owner) },
          ],
        }),
      ),
      panel(
        t('queue.tasks'),
        h('div', { class: 'field-row' }, field(t('queue.whose'), whoseSelect)),
        h('p', {
          class: 'muted',
          text: t('queue.taskCounts', {
            total: number(tasks.counts.total),
            overdue: number(tasks.counts.overdue),
          }),
        }),
        taskTable(tasks.tasks.slice(0, 50), t('queue.tasks'), t('queue.noTasks')),
      ),
      panel(
        t('queue.followUps'),
        taskTable(followUps, t('queue.followUps'), t('queue.noFollowUps')),
      ),
      panel(
        t('queue.nurture'),
        table({
          caption: t('queue.nurture'),
          hideCaption: true,
          empty: t('queue.noNurture'),
          rows: nurture.rows,
          columns: [
            {
              label: t('queue.company'),
              cell: (lead) => link(`#/leads/${lead.leadId}`, lead.company ?? lead.leadId),
            },
            { label: t('queue.nurtureSince'), cell: (lead) => dateTime(lead.nurtureSince) },
            {
              label: t('queue.nurtureReason'),
              cell: (lead) => t(`queue.reason.${lead.nurtureReason}`),
            },
            { label: t('queue.score'), numeric: true, cell: (lead) => number(lead.score) },
            { label: t('queue.owner'), cell: (lead) => userName(lead.owner) },
          ],
        }),
      ),
    ),
  );

  const tick = () => {
    const at = Date.now();
    for (const { node, due } of countdowns) {
      const left = due - at;
      // Long overdue reads better in days than in hundreds of hours.
      const time = Math.abs(left) >= 2 * 86_400_000 ? duration(Math.abs(left) / 1000) : clock(left);
      node.textContent = left >= 0 ? t('queue.slaLeft', { time }) : t('queue.slaOverdue', { time });
      node.classList.toggle('overdue', left < 0);
    }
  };
  tick();
  const timer = setInterval(tick, 1000);
  return () => clearInterval(timer);
}

function taskTable(tasks, caption, empty) {
  return table({
    caption,
    hideCaption: true,
    empty,
    rows: tasks,
    rowClass: (task) => (task.overdue ? 'overdue' : ''),
    columns: [
      { label: t('queue.task'), cell: (task) => task.title },
      {
        label: t('queue.due'),
        cell: (task) => [
          dateTime(task.dueAt),
          task.overdue ? [' ', h('span', { class: 'badge bad', text: t('queue.overdue') })] : null,
        ],
      },
      {
        label: t('queue.linked'),
        cell: (task) =>
          task.linkedTo?.kind === 'deal' ||
          task.linkedTo?.kind === 'account' ||
          task.linkedTo?.kind === 'lead'
            ? link(
                `#/${task.linkedTo.kind}s/${task.linkedTo.id}`,
                t(`search.kind.${task.linkedTo.kind}`),
              )
            : '—',
      },
      { label: t('queue.assignee'), cell: (task) => userName(task.assigneeId) },
    ],
  });
}
