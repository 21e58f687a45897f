/**
 * `npm run generate -- --deals N [--seed S] [--data-dir D] [--until ISO] [--live-days N]`: writes
 * realistic export-sales histories through the command pipeline. See generate-histories.ts.
 */
import { parseArgs } from 'node:util';
import {
  DEFAULT_LIVE_DAYS,
  generate,
  GenerateSummary,
  HistoryRefusedError,
} from './generate-histories';

const USAGE = `Usage: npm run generate -- --deals N [--seed S] [--data-dir D] [--until ISO] [--live-days N]

  --deals N      how many deals to write (required)
  --seed S       PRNG seed; the same seed and --until give the same histories (default 1)
  --data-dir D   folder of the embedded stores (default: DATA_DIR, else ./data)
  --until ISO    the run's clock; histories cover the 540 days before it
                 (default: start of the current UTC day)
  --live-days N  the CRM went live N days before --until: inquiries since then arrive live,
                 start SLA clocks, and the automation (SLA, stage tasks, follow-up reminders,
                 stale deals, account lifecycle) acts as it happens, the reps working its tasks;
                 before that, history imported at go-live (default ${DEFAULT_LIVE_DAYS}; 0: all
                 imported, the default with EVENTSTORE_URL, whose server stamps recordedAt)

Environment: EVENTSTORE_URL, SQLITE_SYNCHRONOUS, TRADEFLOW_MASTER_KEY, POLICY_SEED_DIR as for npm start.`;

const number = (n: number): string => n.toLocaleString('en-US');

function automation(summary: GenerateSummary): string {
  const lines = Object.entries(summary.automation)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, count]) => `    ${kind.padEnd(42)} ${number(count).padStart(8)}`);
  return lines.length > 0 ? `:\n${lines.join('\n')}` : '';
}

function printSummary(summary: GenerateSummary): void {
  const streams = Object.entries(summary.streams)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, count]) => `${kind} ${number(count)}`)
    .join(', ');
  const totalStreams = Object.values(summary.streams).reduce((sum, n) => sum + n, 0);
  const types = Object.entries(summary.eventsByType)
    .sort(([, a], [, b]) => b - a)
    .map(([type, count]) => `    ${type.padEnd(30)} ${number(count).padStart(8)}`)
    .join('\n');
  console.log(
    [
      `Generated export-sales histories, seed ${summary.seed}, ${summary.from.slice(0, 10)} → ${summary.until.slice(0, 10)}`,
      `  store:    ${summary.where}`,
      `  deals ${number(summary.deals)}, leads ${number(summary.leads)}, new accounts ${number(summary.accounts)}`,
      `  commands ${number(summary.commands)} → events ${number(summary.events)} in ${number(totalStreams)} streams (${streams})`,
      `  live since ${summary.liveFrom.slice(0, 10)}: ${number(summary.liveInquiries)} live inquiries; the automation wrote ${number(summary.automationEvents)} events${automation(summary)}`,
      `  elapsed ${(summary.elapsedMs / 1000).toFixed(1)} s, ${number(Math.round(summary.eventsPerSecond))} events/s (generator's), ${number(Math.round((summary.events + summary.automationEvents) / (summary.elapsedMs / 1000)))} events/s with the automation's`,
      summary.wroteNew
        ? '  events by type:\n' + types
        : '  nothing new: this store already holds this seed and clock (every command was recognised by its id)',
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      deals: { type: 'string' },
      seed: { type: 'string' },
      'data-dir': { type: 'string' },
      until: { type: 'string' },
      'live-days': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const deals = Number(values.deals);
  if (values.deals === undefined || !Number.isSafeInteger(deals) || deals < 1) {
    console.error(`--deals must be a whole number of at least 1\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const liveDays = values['live-days'] === undefined ? undefined : Number(values['live-days']);
  if (liveDays !== undefined && (!Number.isSafeInteger(liveDays) || liveDays < 0)) {
    console.error(`--live-days must be a whole number of days, 0 or more\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  console.log(`Generating ${number(deals)} deals (seed ${values.seed ?? 1})…`);
  const summary = await generate({
    deals,
    seed: values.seed,
    dataDir: values['data-dir'],
    until: values.until,
    liveDays,
    onProgress: ({ done, total, elapsedMs }) => {
      const rate = done / Math.max(0.001, elapsedMs / 1000);
      console.log(
        `  ${number(done)}/${number(total)} commands (${Math.floor((100 * done) / total)} %), ${number(Math.round(rate))} commands/s`,
      );
    },
  });
  printSummary(summary);
}

main().catch((error: unknown) => {
  if (error instanceof HistoryRefusedError) {
    console.error(
      `The generator produced an invalid history; nothing after this command was written.\n${error.message}`,
    );
  } else {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  }
  process.exit(1);
});
