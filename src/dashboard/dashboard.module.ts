import { Module } from '@nestjs/common';
import { DashboardController } from './dashboard.controller';

/** Serves the web dashboard at /app (and / redirects there); the API stays under /api. */
@Module({ controllers: [DashboardController] })
export class DashboardModule {}
