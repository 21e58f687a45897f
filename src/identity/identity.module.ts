import { Global, Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { Directory } from './directory';
import { DirectoryFeed } from './directory-feed';
import { RecordAccess } from './record-access';

@Global()
@Module({
  controllers: [AuthController],
  providers: [
    { provide: Directory, useFactory: () => new Directory() },
    DirectoryFeed,
    AuthService,
    RecordAccess,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [DirectoryFeed, AuthService, RecordAccess],
})
export class IdentityModule implements OnApplicationBootstrap {
  constructor(private readonly auth: AuthService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.auth.ensureFirstAdmin();
  }
}
