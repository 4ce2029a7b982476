// The answers of credit reviews, for the OpenAPI document.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OrganisationDto } from '../common/organisation.dto';

export class ReviewMeasureDto {
  @ApiProperty({ example: 'teacher_ethics_veto' }) code: string;
  @ApiProperty({ example: 'One-vote veto in the teacher ethics review (师德一票否决)' }) description: string;
}

export class ReviewListMembershipDto {
  @ApiProperty({ enum: ['red', 'black', 'key_supervision'] }) list: string;
  @ApiProperty({
    description: 'Why the subject is on the list: reason codes and the records behind them',
    example: [{ code: 'serious_penalty', recordId: '019ab0c4-0000-7000-8000-000000000001' }],
  })
  reasons: readonly { code: string; recordId: string }[];
}

export class ReviewedRecordDto {
  @ApiProperty() recordId: string;
  @ApiProperty({ enum: ['penalty', 'honour', 'commitment', 'rectification'] }) kind: string;
  @ApiProperty({ example: 'active' }) status: string;
  @ApiPropertyOptional({ example: '思教罚决字〔2026〕12号' }) documentNumber?: string;
  @ApiProperty({ description: 'An objection is open against it: the restriction stands until it is decided' })
  disputed: boolean;
}

export class ReviewRestrictionDto {
  @ApiProperty({ description: 'The policy’s review rule', example: 'TEACHER_ETHICS_VETO_BLACK_LIST' })
  rule: string;
  @ApiProperty({ type: ReviewMeasureDto }) measure: ReviewMeasureDto;
  @ApiProperty({ description: 'The document the rule rests on' }) basis: string;
  @ApiProperty({ type: [ReviewListMembershipDto] }) listMemberships: readonly ReviewListMembershipDto[];
  @ApiProperty({ type: [ReviewedRecordDto] }) records: readonly ReviewedRecordDto[];
}

export class ReviewedSubjectDto {
  @ApiProperty() subjectId: string;
  @ApiProperty() kind: string;
  @ApiPropertyOptional({ description: 'Never given for a minor' }) name?: string;
  @ApiProperty({ description: 'Public form: a resident ID number is masked' }) identifier: string;
  @ApiProperty() jurisdiction: string;
}

export class CreditReviewResponse {
  @ApiProperty({ description: 'Event id of the access-log entry that records this review' }) reviewId: string;
  @ApiProperty({ format: 'date-time' }) reviewedAt: string;
  @ApiProperty() purpose: string;
  @ApiProperty({ type: OrganisationDto }) requestingOrganisation: OrganisationDto;
  @ApiPropertyOptional({ format: 'date-time' }) asOf?: string;
  @ApiProperty({ type: ReviewedSubjectDto }) subject: ReviewedSubjectDto;
  @ApiProperty({ enum: ['clear', 'restricted'] }) outcome: string;
  @ApiProperty({ type: [ReviewRestrictionDto] }) restrictions: readonly ReviewRestrictionDto[];
  @ApiProperty({ enum: ['A', 'B', 'C', 'D'] }) grade: string;
  @ApiProperty({ description: 'Lists the subject is on', example: ['black'] }) lists: readonly string[];
  @ApiProperty({ description: 'Credit policy whose review rules decided', example: '2025-01' })
  policyVersion: string;
  @ApiProperty({ description: 'Beijing date of the standing reviewed', example: '2026-12-07' })
  standingAsOf: string;
}

export class BatchReviewItemDto {
  @ApiProperty({ description: 'Position in the request' }) index: number;
  @ApiProperty({ enum: ['clear', 'restricted', 'not_found', 'refused'] }) outcome: string;
  @ApiPropertyOptional({
    description:
      'Absent for not_found named by identifier (an unknown number and one the caller may not see look the same)',
  })
  subjectId?: string;
  @ApiPropertyOptional({ type: ReviewedSubjectDto }) subject?: ReviewedSubjectDto;
  @ApiPropertyOptional({ type: [ReviewRestrictionDto] }) restrictions?: readonly ReviewRestrictionDto[];
  @ApiPropertyOptional() grade?: string;
  @ApiPropertyOptional() lists?: readonly string[];
  @ApiPropertyOptional({
    description: 'refused: the stable code and the permission, as a 403 would give them',
    example: { code: 'ACCESS.OUTSIDE_JURISDICTION', permission: 'credit-reviews.conduct' },
  })
  error?: { code: string; message: string; permission: string };
}

export class BatchReviewCountsDto {
  @ApiProperty() clear: number;
  @ApiProperty() restricted: number;
  @ApiProperty() not_found: number;
  @ApiProperty() refused: number;
}

export class CreditReviewBatchResponse {
  @ApiProperty() batchId: string;
  @ApiProperty({ description: 'Event ids of the access-log entries (one per 2,000 subjects)' })
  logEventIds: readonly string[];
  @ApiProperty({ format: 'date-time' }) reviewedAt: string;
  @ApiProperty() purpose: string;
  @ApiProperty({ type: OrganisationDto }) requestingOrganisation: OrganisationDto;
  @ApiPropertyOptional({ format: 'date-time' }) asOf?: string;
  @ApiProperty({ type: BatchReviewCountsDto }) counts: BatchReviewCountsDto;
  @ApiProperty({ type: [BatchReviewItemDto] }) results: readonly BatchReviewItemDto[];
}
