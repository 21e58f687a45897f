import { Module } from '@nestjs/common';
import { BookOfBusiness } from '../identity/book-of-business';
import { DeactivateUserHandler } from './deactivate-user.handler';
import { IdentityWrites } from './identity-writes';
import { UserChangesController } from './user-changes.controller';
import { UsersController } from './users.controller';

@Module({
  controllers: [UsersController, UserChangesController],
  providers: [IdentityWrites, BookOfBusiness, DeactivateUserHandler],
  exports: [BookOfBusiness],
})
export class UsersModule {}
