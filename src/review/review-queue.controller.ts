import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { currentRequestContext } from '../http/request-context';
import { RecordIdPipe } from '../http/record-id.pipe';
import { Allow } from '../identity/access.decorators';
import { ReviewItem, ReviewQueue } from './review-queue';
import { DecideReviewDto, ListReviewsQueryDto } from './review.dto';

type ReviewView = Omit<ReviewItem, 'revision'>;

const view = ({ revision: _revision, ...item }: ReviewItem): ReviewView => item;

/** Possible duplicates a person decides on: a shared phone or a similar company name. */
@ApiTags('dedup')
@Allow('team_lead', 'manager')
@Controller('api/dedup/reviews')
export class ReviewQueueController {
  constructor(private readonly queue: ReviewQueue) {}

  @Get()
  @ApiOperation({
    summary: 'Dedup review items with evidence, score and how many names were compared',
  })
  async list(@Query() query: ListReviewsQueryDto): Promise<{ items: ReviewView[] }> {
    return { items: (await this.queue.list(query.status ?? 'open')).map(view) };
  }

  @Post(':id/dismiss')
  @HttpCode(200)
  @ApiOperation({ summary: 'Not the same company: closes the review item, with who and why' })
  async dismiss(
    @Param('id', RecordIdPipe) id: string,
    @Body() body: DecideReviewDto,
  ): Promise<ReviewView> {
    return view(await this.queue.decide(id, 'dismissed', body.reason, this.who()));
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @ApiOperation({
    summary: 'The same company: records the decision; merging stays POST /api/accounts/merge',
  })
  async confirm(
    @Param('id', RecordIdPipe) id: string,
    @Body() body: DecideReviewDto,
  ): Promise<ReviewView & { next: Record<string, unknown> }> {
    const item = await this.queue.decide(id, 'confirmed', body.reason, this.who());
    return {
      ...view(item),
      // Confirming merges nothing: the duplicate account, once it exists, is merged explicitly.
      next: { method: 'POST', path: '/api/accounts/merge', survivorId: item.accountId },
    };
  }

  private who() {
    const context = currentRequestContext()!;
    return { actor: context.actor, correlationId: context.correlationId };
  }
}
