import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../identity/access.decorators';
import { ProjectionRunner } from './projection-runner';

@ApiTags('admin')
@Allow('admin', 'operations')
@Controller('api/admin/projections')
export class ProjectionsAdminController {
  constructor(private readonly runner: ProjectionRunner) {}

  @Get()
  @ApiOperation({
    summary:
      'Every projection: live and building generations, checkpoint, lag, and the event it stopped on',
  })
  status() {
    return this.runner.status();
  }

  @Post(':name/rebuild')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Build a new generation from the whole log beside the live one; readers switch when it has caught up',
  })
  rebuild(@Param('name') name: string) {
    return this.runner.rebuild(name);
  }

  @Post(':name/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Restart a projection stopped by an event it could not apply' })
  retry(@Param('name') name: string) {
    this.runner.retry(name);
    return { name, restarted: true };
  }
}
