import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsUUID, Matches } from 'class-validator';
import { readAccessLog, readCreditReviewBatches, type PersonalRecordViewed } from '@ledger/audit';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { INSTANT, INSTANT_MESSAGE_TEXT } from '../common/time-query';
import { authorize } from '@ledger/domain';
import type { PermittedRequest } from '../../access/permission.guard';
import { AccessForbidden, Requires } from '../../access/requires';
import { PersonalRecordAccess } from './personal-record-access';

export class AccessLogQuery {
  @ApiProperty({ description: 'The natural person whose record was read' })
  @IsUUID('all', { message: 'subjectId must be a UUID' })
  subjectId: string;

  @ApiPropertyOptional({ description: 'Reads at or after this instant' })
  @IsOptional()
  @Matches(INSTANT, { message: `from ${INSTANT_MESSAGE_TEXT}` })
  @IsISO8601({ strict: true }, { message: 'from is not a real instant' })
  from?: string;

  @ApiPropertyOptional({ description: 'Reads at or before this instant' })
  @IsOptional()
  @Matches(INSTANT, { message: `to ${INSTANT_MESSAGE_TEXT}` })
  @IsISO8601({ strict: true }, { message: 'to is not a real instant' })
  to?: string;
}

export class AccessLogEntry {
  @ApiProperty({ description: 'Event id of the PersonalRecordViewed event' }) eventId: string;
  @ApiProperty() position: number;
  @ApiProperty({ type: Object, description: 'The official: userId, role, department, jurisdiction' })
  viewer: unknown;
  @ApiProperty({ description: 'Free text given beside the purpose' }) reason: string;
  @ApiPropertyOptional({ description: 'Purpose code of the access policy (entries since access-2026-12)' })
  purpose?: string;
  @ApiPropertyOptional({ description: 'Access policy version that allowed the read' }) policyVersion?: string;
  @ApiPropertyOptional({
    enum: ['answered', 'unknown-or-refused'],
    description: 'Lookups by identifier: whether the caller got an answer',
  })
  outcome?: string;
  @ApiProperty({
    description:
      'What was read: credit-status, history, status-as-of, proof, export, state-as-of, lookup, credit-review, ' +
      'credit-review-batch (a batch review that named the subject)',
  })
  resource: string;
  @ApiProperty({ description: 'When it was read' }) at: string;
  @ApiPropertyOptional({
    type: Object,
    description:
      'Credit reviews: purpose, requestingOrganisation, and the outcome (single reviews) or batchId (batches)',
  })
  review?: unknown;
}

@ApiTags('audit')
@ApiSecurity('api-key')
@Controller('audit')
export class AccessLogController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly access: PersonalRecordAccess,
  ) {}

  @Get('access-log')
  @Requires('audit.access-log.read')
  @ApiOperation({
    summary: "Who read a natural person's record, when and why",
    description:
      'Each read is a PersonalRecordViewed event in stream access-<subjectId>, covered by the hash chain and the digests like every event.',
  })
  @ApiOkResponse({ type: [AccessLogEntry] })
  async accessLog(
    @Query() query: AccessLogQuery,
    @Req() request: PermittedRequest,
  ): Promise<{ subjectId: string; items: AccessLogEntry[] }> {
    // Who read a person's record is scoped like the record: an auditor of the subject's divisions.
    const facts = await this.access.factsOf(query.subjectId.toLowerCase());
    if (facts) {
      const decision = authorize(this.access.policy, request.actor!, 'audit.access-log.read', {
        jurisdiction: facts.jurisdiction,
      });
      if (!decision.allowed) throw new AccessForbidden(decision);
    }
    const events: PersonalRecordViewed[] = await readAccessLog(this.store, query.subjectId.toLowerCase(), {
      from: query.from,
      to: query.to,
    });
    const subjectId = query.subjectId.toLowerCase();
    const from = query.from ? Date.parse(query.from) : Number.NEGATIVE_INFINITY;
    const to = query.to ? Date.parse(query.to) : Number.POSITIVE_INFINITY;
    // Batch reviews are logged in one stream of their own (docs/credit-reviews.md): the parts naming this subject.
    const batches = (await readCreditReviewBatches(this.store, subjectId))
      .filter((e) => Date.parse(e.data.at) >= from && Date.parse(e.data.at) <= to)
      .map((e): AccessLogEntry => ({
        eventId: e.id,
        position: e.position,
        viewer: e.data.viewer,
        reason: e.data.reason,
        purpose: e.data.purpose,
        policyVersion: e.data.policyVersion,
        resource: 'credit-review-batch',
        at: e.data.at,
        review: {
          purpose: e.data.purpose,
          requestingOrganisation: e.data.requestingOrganisation,
          batchId: e.data.batchId,
        },
      }));
    const reads = events.map((e): AccessLogEntry => ({
      eventId: e.id,
      position: e.position,
      viewer: e.data.viewer,
      reason: e.data.reason,
      purpose: e.data.purpose,
      policyVersion: e.data.policyVersion,
      outcome: e.data.outcome,
      resource: e.data.resource,
      at: e.data.at,
      ...(e.data.review ? { review: e.data.review } : {}),
    }));
    return { subjectId, items: [...reads, ...batches].sort((a, b) => a.position - b.position) };
  }
}
