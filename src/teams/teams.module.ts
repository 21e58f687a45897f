import { Module } from '@nestjs/common';
import { IdentityWrites } from '../users/identity-writes';
import { TeamsController } from './teams.controller';

@Module({ controllers: [TeamsController], providers: [IdentityWrites] })
export class TeamsModule {}
