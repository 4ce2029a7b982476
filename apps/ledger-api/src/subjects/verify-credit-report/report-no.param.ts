import { BadRequestException, type PipeTransform } from '@nestjs/common';

/** A report number as issued: `CR-<year>-<12 hex>`; anything else is a 400, never a store read. */
export class ReportNoParam implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^CR-\d{4}-[0-9A-F]{12}$/.test(value))
      throw new BadRequestException({
        code: 'INPUT.VALIDATION_FAILED',
        message: 'reportNo must look like CR-2026-0123456789AB',
        fields: [{ field: 'reportNo', reasons: ['reportNo must look like CR-2026-0123456789AB'] }],
      });
    return value;
  }
}
