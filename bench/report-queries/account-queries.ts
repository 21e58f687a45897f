/** The account and search queries of REPORT_QUERIES: account 360, the task list and search. */
import { ACCOUNT_360 } from '../../projections/account-360.projection';
import { SEARCH_INDEX } from '../../projections/search-index.projection';
import { TASK_LIST } from '../../projections/task-list.projection';
import { account360, TIMELINE_MAX_LIMIT } from '../../src/reports/accounts/account-360.query';
import { taskList } from '../../src/reports/accounts/task-list.query';
import { searchRecords } from '../../src/search/search.query';
import { drawing, drawnValues, pick, replayed, ReportQuery } from './report-query';

export const ACCOUNT_QUERIES: ReportQuery[] = [
  replayed({
    name: 'account 360',
    calls: 'reports/accounts/account-360.query account360',
    projections: [ACCOUNT_360],
    ...drawing,
    run: (ctx, i) =>
      account360(ctx.store, ctx.names(ACCOUNT_360), pick(drawnValues().accounts, i * 7), {
        timelineLimit: pick([undefined, 20, TIMELINE_MAX_LIMIT], i),
      }),
  }),
  replayed({
    name: 'task list',
    calls: 'reports/accounts/task-list.query taskList',
    projections: [TASK_LIST],
    ...drawing,
    run: (ctx, i) =>
      taskList(ctx.store, ctx.names(TASK_LIST), {
        assignees: i % 2 === 0 ? 'all' : [pick(drawnValues().owners, i)],
        status: pick([undefined, 'open', 'completed', 'cancelled'] as const, i),
        now: ctx.until,
      }),
  }),
  replayed({
    name: 'search',
    calls: 'search/search.query searchRecords',
    projections: [SEARCH_INDEX],
    ...drawing,
    run: (ctx, i) =>
      searchRecords(ctx.store, ctx.names(SEARCH_INDEX), pick(searchTerms(), i * 5), {
        scope: { kind: 'all' },
        kind: pick([undefined, undefined, 'deal', 'account'] as const, i),
      }),
  }),
];

/** What people type: a deal's title, its first word, a prefix of it, the word misspelt. */
function searchTerms(): string[] {
  return drawnValues().deals.flatMap(({ title }) => {
    const word = title.split(/\s+/).find((w) => w.length >= 5) ?? title;
    const misspelt = word.slice(0, 2) + word[3] + word[2] + word.slice(4);
    return [title, word, word.slice(0, 3), misspelt];
  });
}
