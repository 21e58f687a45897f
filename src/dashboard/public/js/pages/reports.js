import { downloadCsv, get, query } from '../api.js';
import { may } from '../access.js';
import { barChart } from '../charts.js';
import {
  loadTeams,
  loadUsers,
  lossReasonLabel,
  openStages,
  policy as policyOf,
  stageLabel,
  teamName,
  userName,
} from '../directory.js';
import { field, h, notice, panel, select, table } from '../dom.js';
import { duration, money, month, number, percent, userTimeZone } from '../format.js';
import { label, t } from '../i18n.js';

const DIMENSIONS = ['channel', 'country', 'region', 'productLine', 'owner', 'team'];
const CALENDAR = ['month', 'week', 'day'];
const DAY = 86_400;
const lossPolicy = () => policyOf('loss-reasons.default');

/**
 * What the server accepts: one filter; groupBy that dimension, owner within a team, another
 * dimension within an owner or a team, or a calendar unit.
 */
const WITHIN = {
  owner: ['channel', 'country', 'region', 'productLine', 'team'],
  team: ['owner', 'channel', 'country', 'region', 'productLine'],
};
function groupings(dimension) {
  if (!dimension) return [...DIMENSIONS, ...CALENDAR];
  return [dimension, ...(WITHIN[dimension] ?? []), ...CALENDAR];
}

/**
 * The forecast keeps to one filter, grouped by that dimension or a team by owner (a rep's and a
 * team lead's scope count as that filter): another grouping is left out of its query.
 */
function forecastGrouping(groupBy, filters, role) {
  if (!groupBy || CALENDAR.includes(groupBy)) return undefined;
  const scope =
    DIMENSIONS.find((dim) => filters[dim] !== undefined) ??
    { rep: 'owner', team_lead: 'team' }[role];
  if (!scope || groupBy === scope || (scope === 'team' && groupBy === 'owner')) return groupBy;
  return undefined;
}

export async function render(container, { query: params, session }) {
  container.append(h('h1', { text: t('reports.title') }));
  if (!may(session.role, 'reports')) {
    container.append(notice(t('notForRole', { role: t(`role.${session.role}`) })));
    return;
  }
  const [users, teams, stages] = await Promise.all([
    loadUsers(session.role),
    loadTeams(session.role),
    openStages(),
  ]);
  const filters = {
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    dimension: params.get('dimension') ?? '',
    value: params.get('value') ?? '',
    groupBy: params.get('groupBy') ?? '',
  };
  container.append(filterForm(filters, users, teams));

  const shared = {
    from: filters.from || undefined,
    to: filters.to || undefined,
    tz: userTimeZone(),
    ...(filters.dimension && filters.value ? { [filters.dimension]: filters.value } : {}),
  };
  const groupBy = groupings(filters.dimension && filters.value ? filters.dimension : '').includes(
    filters.groupBy,
  )
    ? filters.groupBy
    : undefined;
  const periodic = query({ ...shared, groupBy });
  const forecastGroupBy = forecastGrouping(groupBy, shared, session.role);
  const forecastQuery = (by) => query({ ...shared, by, groupBy: forecastGroupBy });

  const groupLabel = (row, column) => {
    const key = row.group ?? (column ? row[column] : undefined) ?? 'all';
    if (key === 'all') return t('reports.all');
    if (column === 'owner' || groupBy === 'owner') return userName(key);
    if (column === 'team' || groupBy === 'team') return teamName(key);
    if (groupBy === 'month') return month(key);
    return key;
  };

  const reports = [
    ['stage-conversion', periodic, funnelPanel],
    ['dwell-time', periodic, dwellPanel],
    [
      'forecast',
      forecastQuery('closeMonth'),
      (data, ctx) => forecastPanel(data, t('reports.forecastClose'), ctx),
    ],
    [
      'forecast',
      forecastQuery('shipMonth'),
      (data, ctx) => forecastPanel(data, t('reports.forecastShip'), ctx),
    ],
    ['channels', periodic, channelsPanel],
    ['loss-reasons', periodic, lossPanel],
    ['reps', periodic, repsPanel],
    ['sla', periodic, slaPanel],
  ];
  const charts = [];
  const context = { stages, groupLabel, charts, groupBy };
  const results = await Promise.all(
    reports.map(([name, search]) => get(`/api/reports/${name}${search}`)),
  );
  const panels = await Promise.all(
    reports.map(async ([name, search, build], index) => {
      const node = await build(results[index], context);
      node.append(csvButton(name, search, node.querySelector('h2').textContent));
      return node;
    }),
  );
  container.append(h('div', { class: 'grid reports' }, panels));
  // Charts are drawn once their boxes are in the page.
  requestAnimationFrame(() => charts.forEach((draw) => draw()));
  return () => charts.forEach((draw) => draw.destroy?.());
}

function filterForm(filters, users, teams) {
  const from = h('input', { type: 'date', name: 'from', value: filters.from });
  const to = h('input', { type: 'date', name: 'to', value: filters.to });
  const dimension = select(
    [['', t('reports.none')], ...DIMENSIONS.map((d) => [d, t(`reports.dim.${d}`)])],
    filters.dimension,
    {
      name: 'dimension',
    },
  );
  const valueHolder = h('div');
  const groupHolder = h('div');
  let value;
  let groupBy;
  const refresh = () => {
    const dim = dimension.value;
    if (dim === 'owner' && users.size) {
      value = select(
        [...users.values()]
          .filter((u) => ['rep', 'team_lead'].includes(u.role))
          .map((u) => [u.userId, u.name]),
        filters.value,
      );
    } else if (dim === 'team' && teams.size) {
      value = select(
        [...teams.values()].map((team) => [team.teamId, team.name]),
        filters.value,
      );
    } else {
      value = h('input', { type: 'text', value: filters.value, disabled: dim ? undefined : true });
    }
    valueHolder.replaceChildren(field(t('reports.value'), value));
    groupBy = select(
      [['', t('reports.none')], ...groupings(dim).map((g) => [g, t(`reports.dim.${g}`)])],
      filters.groupBy,
      { name: 'groupBy' },
    );
    groupHolder.replaceChildren(field(t('reports.groupBy'), groupBy));
  };
  dimension.addEventListener('change', refresh);
  refresh();
  return panel(
    t('reports.filters'),
    h(
      'form',
      {
        class: 'filters',
        onsubmit: (event) => {
          event.preventDefault();
          location.hash = `#/reports${query({
            from: from.value,
            to: to.value,
            dimension: dimension.value,
            value: dimension.value ? value.value : '',
            groupBy: groupBy.value,
          })}`;
        },
      },
      field(t('reports.from'), from),
      field(t('reports.to'), to),
      field(t('reports.dimension'), dimension),
      valueHolder,
      groupHolder,
      h('button', { type: 'submit' }, t('reports.apply')),
    ),
  );
}

function csvButton(report, search, title) {
  return h(
    'p',
    {},
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        'aria-label': t('csv.exportNamed', { what: title }),
        onclick: () => downloadCsv(`/api/reports/${report}${search}`, `${report}.csv`),
      },
      t('csv.export'),
    ),
  );
}

/** A right-aligned table column of figures, headed by the label with this i18n key. */
const numericColumn = (labelKey, cell) => ({ label: t(labelKey), numeric: true, cell });

/** Adds a chart to the panel; it is drawn after the page is attached. */
function chartInto(context, title, labels, series, options) {
  const holder = h('div');
  let chart;
  const draw = () => {
    chart = barChart(title, labels, series, options);
    holder.replaceChildren(chart.node);
  };
  draw.destroy = () => chart?.destroy();
  context.charts.push(draw);
  return holder;
}

function funnelPanel(report, context) {
  const title = t('reports.funnel');
  const groups = [...new Set(report.rows.map((row) => row.group))];
  const first = report.rows.filter((row) => row.group === groups[0]);
  const totals = report.groups[0];
  return panel(
    title,
    totals
      ? h(
          'p',
          { class: 'muted' },
          t('reports.funnel.opened', {
            opened: number(totals.opened),
            won: number(totals.won),
            rate: percent(totals.wonRate),
          }),
        )
      : null,
    chartInto(
      context,
      title,
      first.map((row) => stageLabel(context.stages, row.stage, t)),
      [
        { label: t('reports.funnel.entered'), data: first.map((row) => row.entered) },
        { label: t('reports.funnel.advanced'), data: first.map((row) => row.advanced) },
      ],
    ),
    table({
      caption: title,
      hideCaption: true,
      rows: report.rows,
      columns: [
        ...(groups.length > 1
          ? [{ label: t('reports.group'), cell: (row) => context.groupLabel(row) }]
          : []),
        { label: t('reports.stage'), cell: (row) => stageLabel(context.stages, row.stage, t) },
        numericColumn('reports.funnel.entered', (row) => number(row.entered)),
        numericColumn('reports.funnel.advanced', (row) => number(row.advanced)),
        numericColumn('reports.funnel.conversion', (row) => percent(row.conversion)),
      ],
    }),
  );
}

function dwellPanel(report, context) {
  const title = t('reports.dwell');
  const closed = report.rows.filter((row) => row.kind === 'closed');
  const inStage = report.rows.filter((row) => row.kind === 'in_stage');
  const firstGroup = closed[0]?.group;
  const charted = closed.filter((row) => row.group === firstGroup);
  const days = (seconds) => (seconds === null ? null : Math.round((seconds / DAY) * 10) / 10);
  const ages = ['age_0_7d', 'age_7_30d', 'age_30_90d', 'age_over_90d'];
  return panel(
    title,
    chartInto(
      context,
      title,
      charted.map((row) => stageLabel(context.stages, row.stage, t)),
      [
        { label: t('reports.dwell.median'), data: charted.map((row) => days(row.medianSeconds)) },
        { label: t('reports.dwell.p90'), data: charted.map((row) => days(row.p90Seconds)) },
      ],
      { format: (value) => duration(value * DAY) },
    ),
    table({
      caption: title,
      hideCaption: true,
      rows: closed,
      columns: [
        ...(new Set(closed.map((r) => r.group)).size > 1
          ? [{ label: t('reports.group'), cell: (row) => context.groupLabel(row) }]
          : []),
        { label: t('reports.stage'), cell: (row) => stageLabel(context.stages, row.stage, t) },
        numericColumn('reports.dwell.deals', (row) => number(row.deals)),
        numericColumn('reports.dwell.mean', (row) => duration(row.meanSeconds)),
        numericColumn('reports.dwell.median', (row) => duration(row.medianSeconds)),
        numericColumn('reports.dwell.p90', (row) => duration(row.p90Seconds)),
      ],
    }),
    h('h3', { text: t('reports.dwell.inStage') }),
    table({
      caption: t('reports.dwell.inStage'),
      hideCaption: true,
      rows: inStage,
      columns: [
        { label: t('reports.stage'), cell: (row) => stageLabel(context.stages, row.stage, t) },
        ...ages.map((age) => numericColumn(`reports.dwell.${age}`, (row) => number(row[age]))),
      ],
    }),
  );
}

function forecastPanel(report, title, context) {
  // Per month, summed over any groups: open deals weighted by stage probability, won deals at 100 %.
  const months = new Map();
  for (const row of report.rows) {
    const sums = months.get(row.month) ?? {
      month: row.month,
      weightedMinor: 0,
      wonMinor: 0,
      totalMinor: 0,
      openDeals: 0,
      wonDeals: 0,
    };
    sums.weightedMinor += row.weightedMinor ?? 0;
    sums.wonMinor += row.wonMinor ?? 0;
    sums.totalMinor += row.totalMinor ?? 0;
    sums.openDeals += row.openDeals ?? 0;
    sums.wonDeals += row.wonDeals ?? 0;
    months.set(row.month, sums);
  }
  // Deals without an expected month come last.
  const rows = [...months.values()].sort((a, b) =>
    a.month === 'unscheduled' ? 1 : b.month === 'unscheduled' ? -1 : a.month.localeCompare(b.month),
  );
  const currency = report.currency;
  const inCurrency = (minor) => (currency ? money(minor, currency) : number(minor));
  const monthLabel = (key) =>
    key === 'unscheduled' ? t('reports.forecast.unscheduled') : month(key);
  return panel(
    title,
    chartInto(
      context,
      title,
      rows.map((row) => monthLabel(row.month)),
      [
        { label: t('reports.forecast.weighted'), data: rows.map((row) => row.weightedMinor) },
        { label: t('reports.forecast.won'), data: rows.map((row) => row.wonMinor) },
      ],
      { stacked: true, format: inCurrency },
    ),
    table({
      caption: title,
      hideCaption: true,
      rows,
      columns: [
        { label: t('reports.forecast.month'), cell: (row) => monthLabel(row.month) },
        numericColumn('reports.forecast.weighted', (row) => inCurrency(row.weightedMinor)),
        numericColumn('reports.forecast.won', (row) => inCurrency(row.wonMinor)),
        numericColumn('reports.forecast.total', (row) => inCurrency(row.totalMinor)),
      ],
    }),
  );
}

function channelsPanel(report, context) {
  const title = t('reports.channels');
  const column = report.groupBy ?? 'channel';
  const rows = report.rows;
  return panel(
    title,
    chartInto(
      context,
      title,
      rows.map((row) => context.groupLabel(row, column)),
      [
        { label: t('reports.channels.qualifiedRate'), data: rows.map((row) => row.qualifiedRate) },
        { label: t('reports.channels.dealRate'), data: rows.map((row) => row.dealConversionRate) },
        { label: t('reports.channels.wonRate'), data: rows.map((row) => row.wonConversionRate) },
      ],
      { format: (value) => percent(value) },
    ),
    table({
      caption: title,
      hideCaption: true,
      rows,
      columns: [
        {
          label:
            DIMENSIONS.includes(column) || CALENDAR.includes(column)
              ? t(`reports.dim.${column}`)
              : t('reports.group'),
          cell: (row) => context.groupLabel(row, column),
        },
        numericColumn('reports.channels.inquiries', (row) => number(row.inquiries)),
        numericColumn('reports.channels.qualifiedRate', (row) => percent(row.qualifiedRate)),
        numericColumn('reports.channels.dealRate', (row) => percent(row.dealConversionRate)),
        numericColumn('reports.channels.wonRate', (row) => percent(row.wonConversionRate)),
        numericColumn('reports.channels.costPerLead', (row) =>
          money(row.costPerLeadMinor, row.currency),
        ),
        numericColumn('reports.channels.costPerWon', (row) =>
          money(row.costPerWonDealMinor, row.currency),
        ),
      ],
    }),
  );
}

async function lossPanel(report, context) {
  const title = t('reports.loss');
  const reasons = report.rows.filter((row) => row.level === 'reason');
  const subReasons = report.rows.filter((row) => row.level === 'sub_reason');
  const labels = new Map();
  const policy = await lossPolicy();
  for (const reason of policy.reasons ?? [])
    labels.set(reason.key, label(reason.label, reason.key));
  for (const row of subReasons) labels.set(row.code, await lossReasonLabel(row.code));
  const nameOf = (row) =>
    row.level === 'reason'
      ? (labels.get(row.reason) ?? row.label)
      : (labels.get(row.code) ?? row.label);
  const first = reasons.filter((row) => row.group === reasons[0]?.group);
  return panel(
    title,
    chartInto(
      context,
      title,
      first.map(nameOf),
      [{ label: t('reports.loss.lost'), data: first.map((row) => row.lost) }],
      {
        horizontal: true,
      },
    ),
    table({
      caption: title,
      hideCaption: true,
      rows: [...reasons, ...subReasons].sort(
        (a, b) => (a.reason ?? '').localeCompare(b.reason ?? '') || (a.level === 'reason' ? -1 : 1),
      ),
      columns: [
        {
          label: t('reports.loss.reason'),
          cell: (row) => (row.level === 'reason' ? h('strong', {}, nameOf(row)) : nameOf(row)),
        },
        numericColumn('reports.loss.lost', (row) => number(row.lost)),
        numericColumn('reports.loss.share', (row) => percent(row.share)),
        numericColumn('reports.loss.amount', (row) => money(row.amountMinor, row.currency)),
      ],
    }),
  );
}

function repsPanel(report, context) {
  const title = t('reports.reps');
  const column = report.groupBy ?? 'owner';
  const rows = report.rows;
  const currency = rows.find((row) => row.currency)?.currency;
  return panel(
    title,
    chartInto(
      context,
      title,
      rows.map((row) => context.groupLabel(row, column)),
      [{ label: t('reports.reps.wonAmount'), data: rows.map((row) => row.wonAmountMinor ?? 0) }],
      { format: (value) => money(value, currency), horizontal: true },
    ),
    table({
      caption: title,
      hideCaption: true,
      rows,
      columns: [
        { label: t('reports.reps.rep'), cell: (row) => context.groupLabel(row, column) },
        numericColumn('reports.reps.won', (row) => number(row.wonDeals)),
        numericColumn('reports.reps.wonAmount', (row) => money(row.wonAmountMinor, row.currency)),
        numericColumn('reports.reps.firstResponse', (row) =>
          duration(row.firstResponseBusinessMedianSeconds),
        ),
        numericColumn('reports.reps.density', (row) => number(row.followUpDensity, 2)),
        numericColumn('reports.reps.toCash', (row) => number(row.daysToFirstPaymentMedian, 1)),
      ],
    }),
  );
}

function slaPanel(report, context) {
  const title = t('reports.sla');
  const column = report.groupBy ?? 'owner';
  const rows = report.rows;
  return panel(
    title,
    rows.length
      ? chartInto(
          context,
          title,
          rows.map((row) => context.groupLabel(row, column)),
          [{ label: t('reports.sla.compliance'), data: rows.map((row) => row.compliance) }],
          { format: (value) => percent(value) },
        )
      : null,
    table({
      caption: title,
      hideCaption: true,
      empty: t('reports.sla.empty'),
      rows,
      columns: [
        { label: t('reports.group'), cell: (row) => context.groupLabel(row, column) },
        numericColumn('reports.sla.received', (row) => number(row.received)),
        numericColumn('reports.sla.onTime', (row) => number(row.answeredWithinTarget)),
        numericColumn('reports.sla.late', (row) => number(row.answeredLate)),
        numericColumn('reports.sla.unanswered', (row) => number(row.unanswered)),
        numericColumn('reports.sla.compliance', (row) => percent(row.compliance)),
      ],
    }),
  );
}
