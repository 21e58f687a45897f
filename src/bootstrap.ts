import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { inputValidationPipe } from './http/validation.pipe';
import { JsonLogger } from './observability/json-logger';
import { AppSettings } from './settings/app-settings';
import { Clock } from './shared/clock';

export interface CreateAppOptions {
  clock?: Clock;
  /** 'silent' for tests. */
  logLevel?: LogLevel | 'silent';
}

/** The one place the HTTP app is assembled, for `npm start`, the tests and the benchmarks. */
export async function createApp(
  settings: AppSettings,
  options: CreateAppOptions = {},
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(settings, { clock: options.clock }),
    {
      bodyParser: false,
      logger: options.logLevel === 'silent' ? false : new JsonLogger(options.logLevel ?? 'log'),
    },
  );
  app.useBodyParser('json', { limit: settings.bodyLimit });
  app.useGlobalPipes(inputValidationPipe);
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Tradeflow CRM')
      .setDescription(
        'Event-sourced CRM for export sales. Errors are RFC 9457 problem+json with a stable `code`.',
      )
      .setVersion('0.1')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
  return app;
}
