import { LoggerService, LogLevel } from '@nestjs/common';
import { currentRequestContext } from '../http/request-context';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/**
 * One JSON object per line, with the request's correlation id. Callers pass ids and codes, never
 * personal data: names, emails, phones and message text stay out of logs.
 */
export class JsonLogger implements LoggerService {
  private readonly threshold: number;

  constructor(level: LogLevel = 'log') {
    this.threshold = LEVELS.indexOf(level);
  }

  log(message: unknown, ...rest: unknown[]) {
    this.write('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.write('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]) {
    this.write('fatal', message, rest);
  }

  private write(level: LogLevel, message: unknown, rest: unknown[]): void {
    if (LEVELS.indexOf(level) > this.threshold) return;
    const context = typeof rest[rest.length - 1] === 'string' ? rest.pop() : undefined;
    const fields =
      message !== null && typeof message === 'object'
        ? (message as Record<string, unknown>)
        : { msg: String(message) };
    const line = {
      time: new Date().toISOString(),
      level,
      ...(context ? { context } : {}),
      ...(currentRequestContext() ? { correlationId: currentRequestContext()!.correlationId } : {}),
      ...fields,
      ...(rest.length > 0 && typeof rest[0] === 'string' && level === 'error'
        ? { stack: rest[0] }
        : {}),
    };
    (level === 'error' || level === 'fatal' ? process.stderr : process.stdout).write(
      `${JSON.stringify(line)}\n`,
    );
  }
}
