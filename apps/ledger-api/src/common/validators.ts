// class-validator decorators over the domain's own identifier rules, so HTTP answers name the field.
import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { isDivisionCode, isNaturalPersonKind, isSubjectKind, validateResidentId, validateUscc } from '@ledger/domain';

function decorator(name: string, check: (value: unknown, args: ValidationArguments) => string | undefined, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value, args) => check(value, args!) === undefined,
        defaultMessage: (args) => check(args!.value, args!) ?? '',
      },
    });
}

export const IsUscc = (options?: ValidationOptions) =>
  decorator('isUscc', (value, args) => {
    if (typeof value !== 'string') return `${args.property} must be a Unified Social Credit Code`;
    const result = validateUscc(value);
    return result.valid ? undefined : `${args.property} is not a valid Unified Social Credit Code: ${result.message}`;
  }, options);

export const IsDivisionCode = (options?: ValidationOptions) =>
  decorator('isDivisionCode', (value, args) =>
    typeof value === 'string' && isDivisionCode(value) ? undefined : `${args.property} must be a 6-digit administrative division code`,
  options);

/** A USCC for legal persons, a resident ID number for natural persons: which one depends on `kind`. */
export const IsSubjectIdentifier = (options?: ValidationOptions) =>
  decorator('isSubjectIdentifier', (value, args) => {
    const { kind, allowLegacyChecksum } = args.object as { kind?: string; allowLegacyChecksum?: boolean };
    if (typeof value !== 'string') return `${args.property} must be a string`;
    if (typeof kind !== 'string' || !isSubjectKind(kind)) return undefined; // `kind` reports its own error
    if (isNaturalPersonKind(kind)) {
      const result = validateResidentId(value);
      return result.valid ? undefined : `${args.property} is not a valid resident ID number: ${result.message}`;
    }
    const result = validateUscc(value, { allowLegacyChecksum });
    return result.valid ? undefined : `${args.property} is not a valid Unified Social Credit Code: ${result.message}`;
  }, options);

/** A calendar date `YYYY-MM-DD` that exists (no 2026-02-30). */
export const IsCalendarDate = (options?: ValidationOptions) =>
  decorator('isCalendarDate', (value, args) => {
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${args.property} must be a date YYYY-MM-DD`;
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value) ? undefined : `${args.property} is not a real date`;
  }, options);
