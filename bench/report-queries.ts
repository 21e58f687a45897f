/**
 * Every query the HTTP API answers from a read model, called as its controller calls it for a
 * manager (who sees everything: the scope helpers hand a manager's filters on as asked). Each run
 * varies the parameters with `i`; run 0 asks what the query's fold baseline computes.
 *
 * The queries live by area under report-queries/; what the areas share is report-query.ts.
 */
import { ACCOUNT_QUERIES } from './report-queries/account-queries';
import { AUDIT_QUERIES } from './report-queries/audit-queries';
import { DEAL_QUERIES } from './report-queries/deal-queries';
import { PEOPLE_QUERIES } from './report-queries/people-queries';
import type { ReportQuery } from './report-queries/report-query';

export type { StageCounts } from './report-queries/deal-queries';
export type { Drawn, FoldBaseline, QueryContext, ReportQuery } from './report-queries/report-query';
export {
  askedFor,
  COUNTRIES,
  draw,
  drawnValues,
  foldPeriod,
  monthsBefore,
  periodShifted,
  pick,
  replayed,
  sameAnswer,
  selectionFor,
} from './report-queries/report-query';

export const REPORT_QUERIES: ReportQuery[] = [
  ...DEAL_QUERIES,
  ...PEOPLE_QUERIES,
  ...ACCOUNT_QUERIES,
  ...AUDIT_QUERIES,
];
