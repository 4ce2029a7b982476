import {
  BadRequestException,
  Controller,
  Get,
  Inject,
  NotFoundException,
  NotImplementedException,
  Param,
  Query,
  Req,
  ConflictException,
} from '@nestjs/common';
import {
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiQuery,
  ApiResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import {
  DIGEST_STORE,
  ProofUnavailable,
  proveConsistency,
  proveInclusion,
  type ConsistencyProof,
  verifyLedger,
  type DigestStore,
  type InclusionProof,
  type LedgerDigest,
  type VerificationReport,
} from '@ledger/audit';
import { subjectIdOf } from '@ledger/domain';
import {
  EVENT_SIGNING,
  EVENT_STORE,
  type EventSigning,
  type EventStore,
  type StoredEvent,
} from '@ledger/event-store';
import type { PermittedRequest as AuthenticatedRequest } from '../../access/permission.guard';
import { UuidParam } from '../../common/subject-command';
import { ErrorResponse } from '../../errors/error-response';
import {
  ACCESS_PURPOSE_DOC,
  ACCESS_REASON_DOC,
  PersonalRecordAccess,
} from '../access/personal-record-access';
import { Requires } from '../../access/requires';
import { METRICS } from '../../ledger/ledger.module';
import type { LedgerMetrics } from '@ledger/runtime';

export class DigestDto {
  @ApiProperty({ description: 'The digest covers every event with a position up to this one' })
  upToPosition: number;
  @ApiProperty({ description: 'Leaves of the tree: events with position <= upToPosition' })
  eventCount: number;
  @ApiProperty({ description: 'Merkle root, SHA-256, lower-case hex (docs/ledger-proofs.md)' }) root: string;
  @ApiProperty({ example: 'ledger-merkle-sha256-v1' }) algorithm: string;
  @ApiProperty({ description: 'When the digest was made (not part of the root; signed)' }) createdAt: string;
  @ApiPropertyOptional({
    description: 'Id of the Ed25519 key that signed it (/.well-known/ledger-keys.json)',
  })
  keyId?: string;
  @ApiPropertyOptional({ description: 'base64url Ed25519 signature (docs/ledger-proofs.md §4)' })
  signature?: string;
}

export class DigestsQuery {
  @ApiPropertyOptional({ description: 'Only digests with a greater upToPosition', default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  afterPosition: number = 0;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit: number = 100;
}

export class ProofQuery {
  @ApiPropertyOptional({
    description: 'upToPosition of the digest to prove against (default: the latest digest)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  digest?: number;
}

export class ProofDto {
  @ApiProperty({
    type: Object,
    description:
      'algorithm, leaf {position, streamId, revision, hash}, leafIndex, treeSize, auditPath (hex, leaf side first), digest',
  })
  proof: InclusionProof;
  @ApiProperty({
    type: Object,
    description: 'The event exactly as stored: its content hashes to proof.leaf.hash',
  })
  event: StoredEvent;
}

const PROOF_STATUS: Record<string, number> = {
  'AUDIT.EVENT_NOT_FOUND': 404,
  'AUDIT.DIGEST_NOT_FOUND': 404,
  'AUDIT.EVENT_NOT_IN_DIGEST': 409,
  'AUDIT.LEDGER_DIFFERS_FROM_DIGEST': 409,
  'AUDIT.DIGESTS_OUT_OF_ORDER': 400,
};

export class ConsistencyQuery {
  @ApiProperty({ description: 'upToPosition of the earlier digest' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  from: number;

  @ApiProperty({ description: 'upToPosition of the later digest' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  to: number;
}

@ApiTags('audit')
@ApiSecurity('api-key')
@Controller('audit')
export class VerificationController {
  /** One verification at a time: callers arriving meanwhile share its report. */
  private running: Promise<VerificationReport> | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DIGEST_STORE) private readonly digests: DigestStore | null,
    @Inject(EVENT_SIGNING) private readonly signing: EventSigning,
    private readonly access: PersonalRecordAccess,
    @Inject(METRICS) private readonly metrics: LedgerMetrics | null,
  ) {}

  @Get('verify')
  @Requires('ledger.verify')
  @ApiOperation({
    summary: 'Verify the whole ledger: every hash chain, every stored chunk root and digest',
    description:
      'One pass over the global feed (it takes a while on a big ledger: about a minute per million events). ' +
      'Answers 200 with `ok` and, when something fails, `firstFailure` (reason, position or range) and the figures. ' +
      'Digests held outside the ledger are checked with the CLI (`ledger-cli verify --digests file`).',
  })
  @ApiOkResponse({ description: 'The verification report' })
  verify(): Promise<VerificationReport> {
    this.running ??= (async () => {
      try {
        const digests = this.digests ? await this.digests.list() : [];
        const chunks = this.digests ? await this.digests.chunks(0, Number.MAX_SAFE_INTEGER) : [];
        const report = await verifyLedger(this.store, digests, {
          chunks,
          chunkSize: this.digests?.chunkSize,
          signing: this.signing,
        });
        this.metrics?.recordVerification(report.ok);
        return report;
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  @Get('digests')
  @Requires('ledger.verify')
  @ApiOperation({ summary: 'Ledger digests (Merkle roots over the global feed), oldest first' })
  @ApiOkResponse({ type: [DigestDto] })
  async list(@Query() query: DigestsQuery): Promise<LedgerDigest[]> {
    return this.digestStore().list({ afterPosition: query.afterPosition, limit: query.limit });
  }

  @Get('proof/:eventId')
  @Requires('ledger.verify')
  @ApiOperation({
    summary: 'Inclusion proof of an event in a digest',
    description:
      'Check it with any implementation of docs/ledger-proofs.md (libs/audit/src/verify-proof.ts is one) against a digest you hold.',
  })
  @ApiQuery({
    name: 'digest',
    required: false,
    description: 'upToPosition of the digest (default: the latest)',
  })
  @ApiHeader({ name: 'X-Access-Purpose', required: false, description: ACCESS_PURPOSE_DOC })
  @ApiHeader({ name: 'X-Access-Reason', required: false, description: ACCESS_REASON_DOC })
  @ApiOkResponse({ type: ProofDto })
  @ApiResponse({
    status: 404,
    type: ErrorResponse,
    description: 'AUDIT.EVENT_NOT_FOUND or AUDIT.DIGEST_NOT_FOUND',
  })
  @ApiResponse({
    status: 409,
    type: ErrorResponse,
    description:
      'AUDIT.EVENT_NOT_IN_DIGEST (make a newer digest) or AUDIT.LEDGER_DIFFERS_FROM_DIGEST (run verify)',
  })
  async proof(
    @Param('eventId', UuidParam) eventId: string,
    @Query() query: ProofQuery,
    @Req() request: AuthenticatedRequest,
  ): Promise<ProofDto> {
    let result: { proof: InclusionProof; event: StoredEvent };
    try {
      result = await proveInclusion(this.store, this.digestStore(), eventId, query.digest);
    } catch (error) {
      if (!(error instanceof ProofUnavailable)) throw error;
      const body = { code: error.code, message: error.message };
      throw PROOF_STATUS[error.code] === 404 ? new NotFoundException(body) : new ConflictException(body);
    }
    const subjectId = subjectIdOf(result.event.streamId);
    if (subjectId !== undefined) {
      // The event is a subject's, as stored (a full ID number): scoped and logged like any read of the record.
      const grant = await this.access.authorizeRead(request, subjectId, 'proof');
      await grant.log();
    }
    return result;
  }

  @Get('consistency')
  @Requires('ledger.verify')
  @ApiOperation({
    summary: 'Consistency proof: the later digest extends the earlier one (RFC 9162 §2.1.4)',
    description:
      'Check it against digests you hold (their Ed25519 signatures checked with /.well-known/ledger-keys.json) with any implementation of docs/ledger-proofs.md §6, e.g. `ledger-cli check-proof`.',
  })
  @ApiOkResponse({
    description: '{algorithm, from: digest, to: digest, proof: [hex]}',
  })
  @ApiResponse({ status: 400, type: ErrorResponse, description: 'AUDIT.DIGESTS_OUT_OF_ORDER or a bad query' })
  @ApiResponse({ status: 404, type: ErrorResponse, description: 'AUDIT.DIGEST_NOT_FOUND' })
  @ApiResponse({
    status: 409,
    type: ErrorResponse,
    description: 'AUDIT.LEDGER_DIFFERS_FROM_DIGEST (run verify)',
  })
  async consistency(@Query() query: ConsistencyQuery): Promise<ConsistencyProof> {
    try {
      return await proveConsistency(this.store, this.digestStore(), query.from, query.to);
    } catch (error) {
      if (!(error instanceof ProofUnavailable)) throw error;
      const body = { code: error.code, message: error.message };
      const status = PROOF_STATUS[error.code];
      throw status === 404
        ? new NotFoundException(body)
        : status === 400
          ? new BadRequestException(body)
          : new ConflictException(body);
    }
  }

  private digestStore(): DigestStore {
    if (!this.digests) {
      throw new NotImplementedException({
        code: 'AUDIT.DIGESTS_UNSUPPORTED',
        message: 'Digests are kept beside PostgreSQL or the embedded store only',
      });
    }
    return this.digests;
  }
}
