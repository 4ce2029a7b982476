// How a configuration class reads the environment: each field names its variable (`@Env`) and says what a
// valid value is (the decorators below, or any class-validator decorator). `readEnvironment` reads every
// field at once and reports every variable that is wrong, by name, in one error.
import 'reflect-metadata';
import { Expose, plainToInstance, Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  ValidateBy,
  validateSync,
  type ValidationError,
  type ValidationOptions,
} from 'class-validator';

interface Variable {
  readonly name: string;
  /** Its value never appears in an error message (keys, secrets). */
  readonly secret: boolean;
}

const variablesOf = new WeakMap<object, Map<string, Variable>>();

/** The field is read from environment variable `name`; unset or empty keeps the field's default. */
export function Env(name: string, options: { secret?: boolean } = {}): PropertyDecorator {
  return (target, property) => {
    Expose({ name })(target, property);
    const variables = variablesOf.get(target.constructor) ?? new Map<string, Variable>();
    variables.set(String(property), { name, secret: options.secret ?? false });
    variablesOf.set(target.constructor, variables);
  };
}

const rule = (
  name: string,
  validate: (value: unknown) => boolean,
  message: string,
  options?: ValidationOptions,
): PropertyDecorator =>
  ValidateBy({ name, validator: { validate, defaultMessage: () => `$property ${message}` } }, options);

const all =
  (...decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, property) => {
    for (const decorate of decorators) decorate(target, property);
  };

export const NonNegativeInteger = (): PropertyDecorator =>
  all(
    Type(() => Number),
    rule(
      'nonNegativeInteger',
      (v) => Number.isSafeInteger(v) && (v as number) >= 0,
      'must be a non-negative integer',
    ),
  );

export const PositiveNumber = (): PropertyDecorator =>
  all(
    Type(() => Number),
    rule('positiveNumber', (v) => Number.isFinite(v) && (v as number) > 0, 'must be a positive number'),
  );

export const PowerOfTwo = (): PropertyDecorator =>
  all(
    Type(() => Number),
    rule(
      'powerOfTwo',
      (v) => Number.isSafeInteger(v) && (v as number) > 0 && ((v as number) & ((v as number) - 1)) === 0,
      'must be a power of two',
    ),
  );

/** `on` → true, `off` → false. */
export const OnOff = (): PropertyDecorator =>
  all(
    Transform(({ value }) => (value === 'on' ? true : value === 'off' ? false : value)),
    IsBoolean({ message: '$property must be on or off' }),
  );

export const OneOf = (values: readonly string[]): PropertyDecorator =>
  IsIn([...values], { message: `$property must be one of ${values.join(', ')}` });

/**
 * The variable's text turned into a value by `parse`, which throws an error whose message says, whole,
 * what is wrong (naming the variable); the message is reported with the other variables' faults.
 */
export const Parsed = (parse: (text: string) => unknown): PropertyDecorator =>
  all(
    Transform(({ value }) => {
      if (typeof value !== 'string') return value; // the default
      try {
        return parse(value);
      } catch (error) {
        return new Unparsable((error as Error).message);
      }
    }),
    ValidateBy({
      name: 'parsed',
      validator: {
        validate: (value) => !(value instanceof Unparsable),
        defaultMessage: (args) => (args?.value as Unparsable).message,
      },
    }),
  );

class Unparsable {
  constructor(readonly message: string) {}
}

/**
 * The secret variables of `schema` that `env` leaves unset while the field has a default: a value every
 * deployment that forgot the variable shares (production refuses them).
 */
export function secretsLeftAtDefault<T extends object>(
  schema: new () => T,
  env: NodeJS.ProcessEnv,
): string[] {
  const defaults = new schema() as Record<string, unknown>;
  return [...(variablesOf.get(schema) ?? new Map<string, Variable>())]
    .filter(([field, variable]) => variable.secret && defaults[field] !== undefined && !env[variable.name])
    .map(([, variable]) => variable.name);
}

export class ConfigurationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `The configuration is not valid (${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}):\n` +
        problems.map((problem) => `  ${problem}`).join('\n'),
    );
    this.name = 'ConfigurationError';
  }
}

/**
 * An instance of `schema` from the environment: every `@Env` field from its variable (unset or empty: the
 * field's default), each checked by its decorators, then `rules` over the whole. Throws one
 * ConfigurationError listing every problem.
 */
export function readEnvironment<T extends object>(
  schema: new () => T,
  env: NodeJS.ProcessEnv,
  rules: readonly ((config: T, env: NodeJS.ProcessEnv) => string | readonly string[] | undefined)[] = [],
): T {
  const given = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const config = plainToInstance(schema, given, { excludeExtraneousValues: true, exposeDefaultValues: true });
  const variables = variablesOf.get(schema) ?? new Map<string, Variable>();
  const problems = validateSync(config, { stopAtFirstError: true }).flatMap((error) =>
    describe(error, variables.get(error.property), given),
  );
  if (problems.length === 0)
    for (const check of rules) {
      const problem = check(config, env);
      if (typeof problem === 'string') problems.push(problem);
      else if (problem) problems.push(...problem);
    }
  if (problems.length > 0) throw new ConfigurationError(problems);
  return config;
}

function describe(
  error: ValidationError,
  variable: Variable | undefined,
  given: Record<string, string | undefined>,
): string[] {
  const name = variable?.name ?? error.property;
  return Object.entries(error.constraints ?? {}).map(([constraint, message]) => {
    const said = message.startsWith(`${error.property} `)
      ? `${name}${message.slice(error.property.length)}`
      : message;
    const raw = variable && !variable.secret && constraint !== 'parsed' ? given[variable.name] : undefined;
    return raw === undefined ? said : `${said}, got "${raw}"`;
  });
}
