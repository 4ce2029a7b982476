// What a credit review is asked with: whom (by id or by identifier), for what purpose, at whose request.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsISO8601,
  IsObject,
  IsOptional,
  IsUUID,
  registerDecorator,
  ValidateIf,
  ValidateNested,
  type ValidationArguments,
} from 'class-validator';
import {
  creditUsePurposeNames,
  creditUsePurposes,
  MAX_REVIEW_BATCH,
  validateResidentId,
  validateUscc,
  type CreditUsePurpose,
} from '@ledger/domain';
import { OrganisationDto } from '../common/organisation.dto';
import { IsText } from '../common/validators';

const PURPOSES_DOC = creditUsePurposes.map((code) => `${code} (${creditUsePurposeNames[code]})`).join(', ');

/** The value must be valid for the scheme beside it: a USCC's or resident ID's check character included. */
const IsIdentifierOfScheme = () => (target: object, propertyName: string) =>
  registerDecorator({
    name: 'isIdentifierOfScheme',
    target: target.constructor,
    propertyName,
    validator: {
      validate: (value: unknown, args: ValidationArguments) => messageFor(value, args) === undefined,
      defaultMessage: (args: ValidationArguments) => messageFor(args.value, args) ?? '',
    },
  });

function messageFor(value: unknown, args: ValidationArguments): string | undefined {
  return identifierValueProblem((args.object as { scheme?: unknown }).scheme, value);
}

/** Why the value is not an identifier of the scheme, or undefined. */
export function identifierValueProblem(scheme: unknown, value: unknown): string | undefined {
  if (typeof value !== 'string') return 'value must be text';
  const normalised = value.trim().toUpperCase();
  if (scheme === 'uscc') {
    const result = validateUscc(normalised);
    return result.valid ? undefined : `value is not a valid Unified Social Credit Code: ${result.message}`;
  }
  if (scheme === 'resident_id') {
    const result = validateResidentId(normalised);
    return result.valid ? undefined : `value is not a valid resident ID number: ${result.message}`;
  }
  return undefined; // the scheme's own check names the problem
}

export class SubjectIdentifierDto {
  @ApiProperty({ enum: ['uscc', 'resident_id'], example: 'resident_id' })
  @IsIn(['uscc', 'resident_id'], { message: 'scheme must be uscc or resident_id' })
  scheme: 'uscc' | 'resident_id';

  @ApiProperty({
    description: 'The USCC or resident ID number (18 characters); never put one in a URL',
    example: '350203198506151233',
  })
  @IsIdentifierOfScheme()
  value: string;
}

/** Exactly one of `subjectId` and `identifier`. */
export class SubjectReferenceDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The ledger’s subject id; or give `identifier`' })
  @ValidateIf(
    (reference: SubjectReferenceDto) =>
      reference.identifier === undefined || reference.subjectId !== undefined,
  )
  @IsUUID('all', { message: 'subjectId must be a UUID (or give identifier instead)' })
  subjectId?: string;

  @ApiPropertyOptional({ type: SubjectIdentifierDto, description: 'Scheme and number; or give `subjectId`' })
  @ValidateIf((reference: SubjectReferenceDto) => reference.identifier !== undefined)
  @IsObject({ message: 'identifier must be an object {scheme, value}' })
  @ValidateNested()
  @Type(() => SubjectIdentifierDto)
  identifier?: SubjectIdentifierDto;
}

/** Shared by the single and the batch review. */
export class ReviewTermsDto {
  @ApiProperty({ enum: creditUsePurposes, description: `Why credit is consulted: ${PURPOSES_DOC}` })
  @IsIn(creditUsePurposes, { message: `purpose must be one of ${creditUsePurposes.join(', ')}` })
  purpose: CreditUsePurpose;

  @ApiProperty({
    type: OrganisationDto,
    description: 'The organisation the review is for (the school, the funding body, the awarding committee)',
  })
  @IsObject({ message: 'requestingOrganisation is required: {name, uscc}' })
  @ValidateNested()
  @Type(() => OrganisationDto)
  requestingOrganisation: OrganisationDto;

  @ApiPropertyOptional({
    format: 'date-time',
    description:
      'Review the standing as it was at this instant (record time); the current standing when left out',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'asOf must be an ISO 8601 instant' })
  asOf?: string;

  @ApiPropertyOptional({
    maxLength: 500,
    description: 'Free text for the access log beside the purpose',
    example: '2026年度中小学教师职称评审',
  })
  @IsOptional()
  @IsText(500)
  reason?: string;
}

export class CreditReviewRequest extends ReviewTermsDto {
  @ApiProperty({ type: SubjectReferenceDto })
  @IsObject({ message: 'subject is required: {subjectId} or {identifier: {scheme, value}}' })
  @ValidateNested()
  @Type(() => SubjectReferenceDto)
  subject: SubjectReferenceDto;
}

export class CreditReviewBatchRequest extends ReviewTermsDto {
  @ApiProperty({
    type: [SubjectReferenceDto],
    maxItems: MAX_REVIEW_BATCH,
    description: `1 to ${MAX_REVIEW_BATCH} subjects; more is 400 REVIEW.BATCH_TOO_LARGE`,
  })
  @IsArray({ message: 'subjects must be an array of {subjectId} or {identifier}' })
  // Documentation only: the batch route validates its terms with the pipe and these entries by hand.
  subjects: SubjectReferenceDto[];
}
