// class-validator failures as field-level reasons: `authority.uscc`, `categories[0]`, each with its messages.
// Query parameters are typed before validation: one given twice (`?code=a&code=b`) arrives as an array,
// which a handler expecting text must never see; it is a 400 naming the parameter unless declared a list.
import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
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

const givenOnce = (field: string) => ({ field, reasons: [`${field} must be given once, as text`] });

/** The query parameters and path ids given as something other than one piece of text. */
export function untypedParameters(value: unknown, { type, data, metatype }: ArgumentMetadata) {
  if (type !== 'query' && type !== 'param') return [];
  if (data !== undefined) return value === undefined || typeof value === 'string' ? [] : [givenOnce(data)];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value)
    .filter(([name, item]) => typeof item !== 'string' && !declaredList(metatype, name))
    .map(([name]) => givenOnce(name));
}

function declaredList(metatype: ArgumentMetadata['metatype'], property: string): boolean {
  return !!metatype && Reflect.getMetadata('design:type', metatype.prototype as object, property) === Array;
}

class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const untyped = untypedParameters(value, metadata);
    if (untyped.length > 0) throw new RequestValidationFailed(untyped);
    return super.transform(value, metadata);
  }
}

export const requestValidationPipe = new RequestValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  stopAtFirstError: false,
  exceptionFactory: (errors) => new RequestValidationFailed(flattenValidationErrors(errors)),
});
