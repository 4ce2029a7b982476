// Managed API keys over HTTP, for admins: issue (the key is in this one answer), list, rotate (a new key, the
// old one valid for an overlap), revoke. The same operations as `ledger-cli keys`; both record events in the
// `api-keys` stream, which every process re-reads within LEDGER_API_KEY_REFRESH_MS.
import { Body, Controller, Get, Header, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { IsISO8601, IsString, Matches } from 'class-validator';
import { ApiKeyRegistry, type ApiKeyView, type IssuedApiKey, type RequestContext } from '@ledger/application';
import { API_KEY_ROLES } from '@ledger/domain';
import { Requires } from '../access/requires';
import { CommandRequest } from '../commands/command-request';
import { CommandErrors } from '../errors/api-errors.decorator';
import { IsDivisionCode, IsOmittable, IsOneOf, IsText } from '../common/validators';

const INSTANT = { strict: true, strictSeparator: true };

export class IssueApiKeyRequest {
  @ApiProperty({
    description: 'Who the key stands for (written as the actor of its events)',
    example: 'xm-exchange',
  })
  @IsText(200)
  userId: string;
  @ApiProperty({ enum: API_KEY_ROLES })
  @IsOneOf(API_KEY_ROLES)
  role: string;
  @ApiProperty({ example: 'xiamen-education-bureau' })
  @IsText(200)
  department: string;
  @ApiProperty({ example: '350200', description: '6-digit division code of its authority' })
  @IsDivisionCode()
  jurisdiction: string;
  @ApiPropertyOptional({ example: 'Xiamen exchange gateway', maxLength: 200 })
  @IsOmittable()
  @IsText(200)
  label?: string;
  @ApiPropertyOptional({
    description: 'ISO 8601 instant; default 90 days from now, at most 397',
    format: 'date-time',
  })
  @IsOmittable()
  @IsISO8601(INSTANT)
  expiresAt?: string;
}

export class RotateApiKeyRequest {
  @ApiPropertyOptional({
    description:
      'Until when the old key stays valid beside the new one; default 24 h from now, at most 30 days',
    format: 'date-time',
  })
  @IsOmittable()
  @IsISO8601(INSTANT)
  overlapUntil?: string;
  @ApiPropertyOptional({ description: "The new key's expiry; default 90 days from now", format: 'date-time' })
  @IsOmittable()
  @IsISO8601(INSTANT)
  expiresAt?: string;
}

export class RevokeApiKeyRequest {
  @ApiProperty({ example: 'gateway decommissioned', maxLength: 2000 })
  @IsText(2000)
  reason: string;
}

class KeyIdParam {
  @IsString()
  @Matches(/^[A-Za-z0-9]{8,32}$/, { message: 'keyId must be 8-32 letters or digits' })
  keyId: string;
}

class ApiKeyHolderResponse {
  @ApiProperty() userId: string;
  @ApiProperty() role: string;
  @ApiProperty() department: string;
  @ApiProperty() jurisdiction: string;
}

export class ApiKeyResponse {
  @ApiProperty({ example: 'Q3v9TmZ0aB7cD1eF' }) keyId: string;
  @ApiProperty({ type: ApiKeyHolderResponse }) holder: ApiKeyHolderResponse;
  @ApiPropertyOptional() label?: string;
  @ApiProperty({ enum: ['active', 'expired', 'revoked'] }) status: string;
  @ApiProperty() issuedAt: string;
  @ApiPropertyOptional({ description: 'userId of the admin who issued it' }) issuedBy?: string;
  @ApiProperty() expiresAt: string;
  @ApiPropertyOptional({ description: 'Last use, at most a minute behind (LEDGER_API_KEY_REFRESH_MS)' })
  lastUsedAt?: string;
  @ApiPropertyOptional() rotatedFrom?: string;
  @ApiPropertyOptional() replacedBy?: string;
  @ApiPropertyOptional() revokedAt?: string;
  @ApiPropertyOptional() revocationReason?: string;

  static of(view: ApiKeyView): ApiKeyResponse {
    // Never the digest: it is no use to anyone but the ledger.
    const { secretSha256: _digest, ...shown } = view;
    return shown as ApiKeyResponse;
  }
}

export class IssuedApiKeyResponse {
  @ApiProperty({
    description: 'The key, shown in this answer only: the ledger keeps its SHA-256 digest',
    example: 'lck_Q3v9TmZ0aB7cD1eF_4m8N…',
  })
  key: string;
  @ApiProperty({ type: ApiKeyResponse }) apiKey: ApiKeyResponse;
  @ApiPropertyOptional({
    type: ApiKeyResponse,
    description: 'After a rotation: the old key and its new expiry',
  })
  previous?: ApiKeyResponse;
  @ApiProperty() eventId: string;
  @ApiProperty() position: number;

  static of(issued: IssuedApiKey & { previous?: ApiKeyView }): IssuedApiKeyResponse {
    return {
      key: issued.key,
      apiKey: ApiKeyResponse.of(issued.record),
      ...(issued.previous ? { previous: ApiKeyResponse.of(issued.previous) } : {}),
      eventId: issued.result.eventIds[0]!,
      position: issued.result.position,
    };
  }
}

class ApiKeysResponse {
  @ApiProperty({ type: [ApiKeyResponse] }) keys: ApiKeyResponse[];
}

@ApiTags('api-keys')
@ApiSecurity('api-key')
@ApiSecurity('bearer')
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeyRegistry) {}

  @Get()
  @Requires('keys.manage', { national: true })
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Every managed API key, newest first (never the keys themselves)' })
  @ApiOkResponse({ type: ApiKeysResponse })
  async list(): Promise<ApiKeysResponse> {
    return { keys: (await this.keys.list()).map(ApiKeyResponse.of) };
  }

  @Post()
  @Requires('keys.manage', { national: true })
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary: 'Issue a key for a caller; the answer is the only place the key appears',
    description:
      'Idempotency-Key is ignored: a retried request issues another key (revoke the one not used).',
  })
  @ApiCreatedResponse({ type: IssuedApiKeyResponse })
  @CommandErrors()
  async issue(
    @Body() body: IssueApiKeyRequest,
    @CommandRequest() context: RequestContext,
  ): Promise<IssuedApiKeyResponse> {
    const { userId, role, department, jurisdiction, label, expiresAt } = body;
    return IssuedApiKeyResponse.of(
      await this.keys.issue(
        { holder: { userId, role, department, jurisdiction }, label, expiresAt },
        context,
      ),
    );
  }

  @Post(':keyId/rotation')
  @Requires('keys.manage', { national: true })
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary: 'Replace a key: a new key for the same caller; the old one stays valid until overlapUntil',
  })
  @ApiCreatedResponse({ type: IssuedApiKeyResponse })
  @CommandErrors()
  async rotate(
    @Param() { keyId }: KeyIdParam,
    @Body() body: RotateApiKeyRequest,
    @CommandRequest() context: RequestContext,
  ): Promise<IssuedApiKeyResponse> {
    return IssuedApiKeyResponse.of(await this.keys.rotate(keyId, body ?? {}, context));
  }

  @Post(':keyId/revocation')
  @Requires('keys.manage', { national: true })
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a key now (in other processes within LEDGER_API_KEY_REFRESH_MS)' })
  @ApiOkResponse({ type: ApiKeyResponse })
  @CommandErrors()
  async revoke(
    @Param() { keyId }: KeyIdParam,
    @Body() body: RevokeApiKeyRequest,
    @CommandRequest() context: RequestContext,
  ): Promise<ApiKeyResponse> {
    return ApiKeyResponse.of(await this.keys.revoke(keyId, body.reason, context));
  }
}
