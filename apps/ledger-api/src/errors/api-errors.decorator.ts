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
    ApiResponse({ status: 401, type: ErrorResponse, description: 'Missing or unknown API key' }),
    ApiResponse({
      status: 403,
      type: ErrorResponse,
      description: 'The caller acts outside its jurisdiction',
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
