// Finding the record a command is about, with the errors every decision gives for a wrong id.
import { Conflict, NotFound, RuleViolation } from '../../errors';
import type { CreditRecord, CreditRecordKind } from '../credit-record';
import { recordById, type RegisteredSubject } from '../subject.state';

export const findRecord = (subject: RegisteredSubject, recordId: string): CreditRecord => {
  const record = recordById(subject, recordId);
  if (record === undefined) {
    throw new NotFound('RECORD.NOT_FOUND', `Subject ${subject.subjectId} has no record ${recordId}`, {
      recordId,
    });
  }
  return record;
};

export const findRecordOfKind = <Kind extends CreditRecordKind>(
  subject: RegisteredSubject,
  recordId: string,
  kind: Kind,
): Extract<CreditRecord, { kind: Kind }> => {
  const record = findRecord(subject, recordId);
  if (record.kind !== kind) {
    throw new RuleViolation('RECORD.WRONG_KIND', `Record ${recordId} is a ${record.kind}, not a ${kind}`, {
      recordId,
      expected: kind,
      actual: record.kind,
    });
  }
  return record as Extract<CreditRecord, { kind: Kind }>;
};

/** Ids come in with the command; reusing one is a client error or a retry the edge should recognise. */
export const requireNewRecordId = (subject: RegisteredSubject, recordId: string): void => {
  if (recordById(subject, recordId) !== undefined) {
    throw new Conflict(
      'RECORD.ALREADY_EXISTS',
      `Subject ${subject.subjectId} already has a record ${recordId}`,
      {
        recordId,
      },
    );
  }
};
