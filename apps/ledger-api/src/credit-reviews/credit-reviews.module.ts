// Credit reviews (信用审查, issue 20 §2): one subject, or a batch for an award round or a funding call.
import { Module } from '@nestjs/common';
import { CreditReviewer } from './credit-reviewer';
import { ReviewCreditController } from './review-credit/review-credit.controller';
import { ReviewCreditBatchController } from './review-credit-batch/review-credit-batch.controller';

@Module({
  controllers: [ReviewCreditController, ReviewCreditBatchController],
  providers: [CreditReviewer],
})
export class CreditReviewsModule {}
