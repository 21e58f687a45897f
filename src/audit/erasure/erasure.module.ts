import { Module } from '@nestjs/common';
import { AttachmentStore } from '../../intake/attachment-store';
import { IntakeModule } from '../../intake/intake.module';
import { ReviewModule } from '../../review/review.module';
import { ErasureSubjects } from './erasure-subjects';
import { ErasuresController } from './erasures.controller';
import { SubjectErasure } from './subject-erasure';

@Module({
  imports: [IntakeModule, ReviewModule],
  controllers: [ErasuresController],
  providers: [ErasureSubjects, SubjectErasure, AttachmentStore],
})
export class ErasureModule {}
