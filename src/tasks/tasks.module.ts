import { Module } from '@nestjs/common';
import { TaskReferences } from './task-references';
import { TasksController } from './tasks.controller';

@Module({ controllers: [TasksController], providers: [TaskReferences] })
export class TasksModule {}
