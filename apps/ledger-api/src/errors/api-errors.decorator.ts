import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponse } from './error-response';

/** The error answers every command endpoint may give, for the OpenAPI document. */
export const CommandErrors = () =>
  applyDecorators(
    ApiResponse({
      status: 400,
      type: ErrorResponse,
      description: 'Malformed input; `fields` names each invalid field',
    }),
    ApiResponse({
      status: 401,
      type: ErrorResponse,
      description:
        'No credential, or one that is not valid: AUTH.MISSING_API_KEY, AUTH.UNKNOWN_API_KEY, AUTH.API_KEY_EXPIRED, ' +
        'AUTH.API_KEY_REVOKED, AUTH.TOKEN_EXPIRED, AUTH.TOKEN_NOT_YET_VALID, AUTH.TOKEN_INVALID, AUTH.TOKENS_NOT_ACCEPTED',
    }),
    ApiResponse({
      status: 403,
      type: ErrorResponse,
      description:
        'The caller acts outside its jurisdiction, or its token names no single ledger role (AUTH.NO_LEDGER_ROLE, ' +
        'AUTH.ROLE_AMBIGUOUS, AUTH.ROLE_NOT_HELD, AUTH.TOKEN_CLAIM_MISSING, AUTH.TOKEN_CLAIM_INVALID)',
    }),
    ApiResponse({ status: 404, type: ErrorResponse, description: 'Unknown subject or record' }),
    ApiResponse({
      status: 409,
      type: ErrorResponse,
      description: 'Revision conflict (If-Match) or a duplicate',
    }),
    ApiResponse({ status: 413, type: ErrorResponse, description: 'Body too large' }),
    ApiResponse({
      status: 422,
      type: ErrorResponse,
      description: 'A rule refuses the command; `code` says which',
    }),
  );
