import { assertNever } from '../../decider';
import { InvalidInput, RuleViolation } from '../../errors';
import type { CreditRecord, LiveRecord, RecordCorrections } from '../credit-record';
import { correctableHonourFields } from '../honour';
import { correctablePenaltyFields } from '../penalty';
import { requireAmount, requireText } from '../../input-checks';

const requiredTextFields: ReadonlySet<string> = new Set([
  'offenceType',
  'facts',
  'legalBasis',
  'content',
  'title',
]);

const correctableFieldsOf = (record: LiveRecord): readonly string[] => {
  switch (record.kind) {
    case 'penalty':
      return correctablePenaltyFields;
    case 'honour':
      return correctableHonourFields;
    // Commitments are the subject's own words and notices are documents: they are revoked and reissued.
    case 'commitment':
    case 'rectification':
      return [];
    default:
      return assertNever(record);
  }
};

const currentValueOf = (record: LiveRecord, field: string): unknown => {
  if (record.kind === 'penalty') return (record.penalty as unknown as Record<string, unknown>)[field];
  if (record.kind === 'honour') return (record.honour as unknown as Record<string, unknown>)[field];
  return undefined;
};

/**
 * Checks an official correction against the record and keeps only the fields that actually change,
 * so the event states exactly what the correction did.
 */
export const effectiveCorrections = (
  record: CreditRecord,
  corrections: RecordCorrections,
): RecordCorrections => {
  if (record.status === 'revoked') {
    throw new RuleViolation('RECORD.ALREADY_REVOKED', `Record ${record.recordId} was revoked`, {
      recordId: record.recordId,
    });
  }
  const allowed = correctableFieldsOf(record);
  const entries = Object.entries(corrections).filter(([, value]) => value !== undefined);
  const refused = entries.map(([field]) => field).filter((field) => !allowed.includes(field));
  if (refused.length > 0) {
    throw new RuleViolation(
      'RECORD.FIELD_NOT_CORRECTABLE',
      `A ${record.kind} cannot be corrected in ${refused.join(', ')}; revoke it and record it again`,
      { recordId: record.recordId, fields: refused, correctable: allowed },
    );
  }
  for (const [field, value] of entries) {
    if (typeof value === 'number') requireAmount(field, value);
    else if (requiredTextFields.has(field)) requireText(field, value as string);
  }
  const changed = entries.filter(([field, value]) => currentValueOf(record, field) !== value);
  if (changed.length === 0) {
    throw new InvalidInput('RECORD.NOTHING_TO_CORRECT', 'The corrections change nothing', {
      recordId: record.recordId,
    });
  }
  return Object.fromEntries(changed) as RecordCorrections;
};
