import { downloadCsv, get, offers, query } from '../api.js';
import { may } from '../access.js';
import { loadUsers, userName } from '../directory.js';
import { field, h, link, notice, panel, select, table } from '../dom.js';
import { dateTime, userTimeZone } from '../format.js';
import { has, t } from '../i18n.js';

const LEDGER = '/api/audit/ownership';
const ROWS_SHOWN = 500;

export async function render(container, { query: params, session }) {
  container.append(h('h1', { text: t('audit.title') }));
  if (!may(session.role, 'audit')) {
    container.append(notice(t('notForRole', { role: t(`role.${session.role}`) })));
    return;
  }
  if (!(await offers('GET', LEDGER))) {
    container.append(notice(t('notAvailable', { what: t('audit.unavailable') })));
    return;
  }
  const users = await loadUsers(session.role);
  const filters = {
    owner: params.get('owner') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
  };
  const search = query({ ...filters, tz: userTimeZone(), limit: ROWS_SHOWN });
  const ledger = await get(`${LEDGER}${search}`);

  const owner = users.size
    ? select(
        [
          ['', t('audit.anyone')],
          ...[...users.values()].filter((u) => u.role !== 'admin').map((u) => [u.userId, u.name]),
        ],
        filters.owner,
      )
    : h('input', { type: 'text', value: filters.owner });
  const from = h('input', { type: 'date', value: filters.from });
  const to = h('input', { type: 'date', value: filters.to });
  container.append(
    panel(
      t('reports.filters'),
      h(
        'form',
        {
          class: 'filters',
          onsubmit: (event) => {
            event.preventDefault();
            location.hash = `#/audit${query({ owner: owner.value, from: from.value, to: to.value })}`;
          },
        },
        field(t('audit.owner'), owner),
        field(t('audit.from'), from),
        field(t('audit.to'), to),
        h('button', { type: 'submit' }, t('audit.apply')),
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            'aria-label': t('csv.exportNamed', { what: t('audit.title') }),
            onclick: () =>
              downloadCsv(
                `${LEDGER}${query({ ...filters, tz: userTimeZone() })}`,
                'ownership-ledger.csv',
              ),
          },
          t('csv.export'),
        ),
      ),
    ),
    panel(
      t('audit.title'),
      ledger.truncated ? notice(t('audit.truncated')) : null,
      table({
        caption: t('audit.title'),
        hideCaption: true,
        rows: ledger.rows,
        columns: [
          {
            label: t('audit.when'),
            cell: (row) => h('time', { datetime: row.occurredAt }, dateTime(row.occurredAt)),
          },
          {
            label: t('audit.record'),
            cell: (row) =>
              may(session.role, 'records')
                ? link(`#/${row.aggregate}s/${row.recordId}`, t(`search.kind.${row.aggregate}`))
                : t(`search.kind.${row.aggregate}`),
          },
          { label: t('audit.fromOwner'), cell: (row) => (row.from ? userName(row.from) : '—') },
          { label: t('audit.toOwner'), cell: (row) => userName(row.to) },
          { label: t('audit.cause'), cell: (row) => causeOf(row) },
          { label: t('audit.reason'), cell: (row) => row.reason ?? '' },
          { label: t('audit.actor'), cell: (row) => userName(row.actorId) },
          { label: t('audit.recorded'), cell: (row) => dateTime(row.recordedAt) },
        ],
      }),
    ),
  );
}

function causeOf(row) {
  const kind = has(`cause.${row.cause}`) ? t(`cause.${row.cause}`) : (row.cause ?? '—');
  if (row.cause === 'person') return `${kind}: ${userName(row.causeId)}`;
  if (row.causeId)
    return `${kind}: ${row.causeId}${row.causeVersion ? ` v${row.causeVersion}` : ''}`;
  return kind;
}
