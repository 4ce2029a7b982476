// class-validator failures as field-level reasons: `authority.uscc`, `categories[0]`, each with its messages.
import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { RequestValidationFailed } from './error.filter';

export function flattenValidationErrors(
  errors: readonly ValidationError[],
  parent = '',
): Array<{ field: string; reasons: string[] }> {
  return errors.flatMap((error) => {
    const field = parent
      ? /^\d+$/.test(error.property)
        ? `${parent}[${error.property}]`
        : `${parent}.${error.property}`
      : error.property;
    const own = error.constraints ? [{ field, reasons: Object.values(error.constraints) }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

export const requestValidationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  stopAtFirstError: false,
  exceptionFactory: (errors) => new RequestValidationFailed(flattenValidationErrors(errors)),
});
