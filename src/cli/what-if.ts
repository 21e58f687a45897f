/**
 * `npm run what-if -- --policy <file.json> --from ISO --to ISO [--data-dir D] [--json]`: replays the
 * recorded history with a candidate SLA policy, beside the policies in force and what the
 * automation actually did — the comparison of POST /api/policies/what-if, as a table.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { isISO8601 } from 'class-validator';
import { DomainError } from '../../domain/shared/domain-error';
import { AppModule } from '../app.module';
import { Directory } from '../identity/directory';
import { InvalidPolicyError } from '../policies/policy-validation';
import { readSettings } from '../settings/app-settings';
import { whatIfText } from '../what-if/what-if-text';
import { WhatIfService } from '../what-if/what-if.service';

const USAGE = `Usage: npm run what-if -- --policy <file.json> --from ISO --to ISO [--data-dir D] [--json]

  --policy FILE   the whole candidate policy as JSON, as for PUT /api/policies/:id (id included);
                  e.g. GET /api/policies/sla.default with firstResponse.targetMinutes changed
  --from ISO      start of the period (inclusive): clock runs started from here are counted
  --to ISO        end of the period: timers fire up to here
  --data-dir D    folder of the embedded stores (default: DATA_DIR, else ./data)
  --json          print the answer of POST /api/policies/what-if instead of the table

Nothing is written: the history is replayed in memory with a simulated clock.
Environment: EVENTSTORE_URL, TRADEFLOW_MASTER_KEY as for npm start.`;

/** A refusal of the command line itself: printed with the usage, exit code 2. */
class UsageError extends Error {}

function readPolicy(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--policy: cannot read ${file}: ${(error as Error).message}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--policy: ${file} is not JSON: ${(error as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new UsageError(`--policy: ${file} must hold one policy object`);
  return body as Record<string, unknown>;
}

function instant(name: string, value: string | undefined): string {
  if (value === undefined) throw new UsageError(`--${name} is required`);
  if (!isISO8601(value, { strict: true }))
    throw new UsageError(`--${name} must be an ISO 8601 date-time (got ${value})`);
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      policy: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.policy === undefined) throw new UsageError('--policy is required');
  const policy = readPolicy(values.policy);
  const from = instant('from', values.from);
  const to = instant('to', values.to);

  const given = readSettings({
    ...process.env,
    ...(values['data-dir'] !== undefined && { DATA_DIR: values['data-dir'] }),
  });
  // Read only: neither read models nor automations run while the history is replayed.
  const settings = { ...given, projections: { ...given.projections, run: false, runSagas: false } };
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(settings), {
    logger: ['error'],
  });
  try {
    const answer = await app.get(WhatIfService).sla({ policy, from, to });
    if (values.json) {
      console.log(JSON.stringify(answer, null, 2));
      return;
    }
    const directory = app.get(Directory);
    console.log(
      whatIfText(answer, {
        team: (id) => directory.team(id)?.name,
        user: (id) => directory.user(id)?.name,
      }),
    );
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else if (error instanceof InvalidPolicyError) {
    console.error(`The candidate policy is not valid (${error.code}):`);
    for (const { key, problem } of error.problems) console.error(`  ${key}: ${problem}`);
    process.exitCode = 2;
  } else if (error instanceof DomainError) {
    console.error(`${error.code}${error.field ? ` (${error.field})` : ''}: ${error.message}`);
    process.exitCode = 2;
  } else {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  }
});
