import { Module } from '@nestjs/common';
import { Account360Controller } from './account-360.controller';
import { TaskListController } from './task-list.controller';

/**
 * The operational read models of accounts and tasks. Register before AccountsModule, so that
 * `/api/accounts/:id/360` is matched before AccountsModule's `/api/accounts/:id…` routes.
 */
@Module({ controllers: [Account360Controller, TaskListController] })
export class AccountsReportsModule {}
