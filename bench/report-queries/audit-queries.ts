/** The audit queries of REPORT_QUERIES: the ownership ledger and book. */
import { OWNERSHIP_LEDGER } from '../../projections/ownership-ledger.projection';
import {
  bookAt,
  ownershipLedger,
  recordLedger,
} from '../../src/audit/ownership/ownership-ledger.query';
import { LEDGER_DEFAULT_LIMIT } from '../../src/audit/ownership/ownership-query.dto';
import {
  drawing,
  drawnValues,
  monthsBefore,
  periodShifted,
  pick,
  replayed,
  ReportQuery,
} from './report-query';

export const AUDIT_QUERIES: ReportQuery[] = [
  replayed({
    name: 'ownership ledger',
    calls: 'audit/ownership/ownership-ledger.query ownershipLedger',
    projections: [OWNERSHIP_LEDGER],
    ...drawing,
    run(ctx, i) {
      const { from, to } = periodShifted(ctx.until, i % 12);
      return ownershipLedger(ctx.store, ctx.names(OWNERSHIP_LEDGER), {
        owners: i % 2 === 0 ? undefined : [pick(drawnValues().owners, i)],
        from: from.toISOString(),
        to: to.toISOString(),
        limit: LEDGER_DEFAULT_LIMIT,
      });
    },
  }),
  replayed({
    name: 'ownership book',
    calls: 'audit/ownership/ownership-ledger.query bookAt',
    projections: [OWNERSHIP_LEDGER],
    ...drawing,
    run: (ctx, i) =>
      bookAt(
        ctx.store,
        ctx.names(OWNERSHIP_LEDGER),
        [pick(drawnValues().owners, i)],
        monthsBefore(ctx.until, i % 12).toISOString(),
        { limit: LEDGER_DEFAULT_LIMIT },
      ),
  }),
  replayed({
    name: 'ownership ledger, one deal',
    calls: 'audit/ownership/ownership-ledger.query recordLedger',
    projections: [OWNERSHIP_LEDGER],
    ...drawing,
    run: (ctx, i) =>
      recordLedger(
        ctx.store,
        ctx.names(OWNERSHIP_LEDGER),
        `deal-${pick(drawnValues().deals, i * 7).dealId}`,
      ),
  }),
];
