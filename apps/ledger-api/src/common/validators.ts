// class-validator decorators over the domain's own identifier rules, so HTTP answers name the field.
import {
  IsIn,
  registerDecorator,
  ValidateIf,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import {
  isDivisionCode,
  isNaturalPersonKind,
  isSubjectKind,
  validateResidentId,
  validateUscc,
} from '@ledger/domain';

function decorator(
  name: string,
  check: (value: unknown, args: ValidationArguments) => string | undefined,
  options?: ValidationOptions,
) {
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
  decorator(
    'isUscc',
    (value, args) => {
      if (typeof value !== 'string') return `${args.property} must be a Unified Social Credit Code`;
      const result = validateUscc(value);
      return result.valid
        ? undefined
        : `${args.property} is not a valid Unified Social Credit Code: ${result.message}`;
    },
    options,
  );

export const IsDivisionCode = (options?: ValidationOptions) =>
  decorator(
    'isDivisionCode',
    (value, args) =>
      typeof value === 'string' && isDivisionCode(value)
        ? undefined
        : `${args.property} must be a 6-digit administrative division code`,
    options,
  );

/** A USCC for legal persons, a resident ID number for natural persons: which one depends on `kind`. */
export const IsSubjectIdentifier = (options?: ValidationOptions) =>
  decorator(
    'isSubjectIdentifier',
    (value, args) => {
      const { kind, allowLegacyChecksum } = args.object as { kind?: string; allowLegacyChecksum?: boolean };
      if (typeof value !== 'string') return `${args.property} must be a string`;
      if (typeof kind !== 'string' || !isSubjectKind(kind)) return undefined; // `kind` reports its own error
      if (isNaturalPersonKind(kind)) {
        const result = validateResidentId(value);
        return result.valid
          ? undefined
          : `${args.property} is not a valid resident ID number: ${result.message}`;
      }
      const result = validateUscc(value, { allowLegacyChecksum });
      return result.valid
        ? undefined
        : `${args.property} is not a valid Unified Social Credit Code: ${result.message}`;
    },
    options,
  );

/** A calendar date `YYYY-MM-DD` that exists (no 2026-02-30). */
export const IsCalendarDate = (options?: ValidationOptions) =>
  decorator(
    'isCalendarDate',
    (value, args) => {
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value))
        return `${args.property} must be a date YYYY-MM-DD`;
      const date = new Date(`${value}T00:00:00Z`);
      return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value)
        ? undefined
        : `${args.property} is not a real date`;
    },
    options,
  );

/**
 * The values of a domain vocabulary (a string union), listed once as the keys of a record: adding a
 * value to the domain type without listing it here fails to compile.
 */
export const vocabulary = <T extends string>(values: Readonly<Record<T, true>>): readonly T[] =>
  Object.keys(values) as T[];

/** One value of a vocabulary; the message lists the allowed ones. With `{ each: true }` for arrays. */
export const IsOneOf = (values: readonly string[], options?: ValidationOptions) =>
  IsIn(values as string[], {
    ...options,
    message: (args) =>
      `${options?.each ? 'each value in ' : ''}${args.property} must be one of: ${values.join(', ')}`,
  });

/** Free text as officials write it: a string with something in it besides spaces, at most `maxLength` characters. */
export const IsText = (maxLength: number, options?: ValidationOptions) =>
  decorator(
    'isText',
    (value, args) => {
      if (value === undefined) return `${args.property} is required`;
      if (typeof value !== 'string') return `${args.property} must be text`;
      if (value.trim() === '') return `${args.property} must not be blank`;
      return value.length <= maxLength
        ? undefined
        : `${args.property} must be at most ${maxLength} characters`;
    },
    options,
  );

/**
 * The field may be left out, but not sent as `null`: the domain reads a missing optional field as
 * `undefined`, and a `null` must fail the field's own validators instead of reaching it.
 */
export const IsOmittable = (options?: ValidationOptions) =>
  ValidateIf((_object, value) => value !== undefined, options);
