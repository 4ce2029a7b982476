// A subject's state, rebuilt by folding its events; only what decisions and credit status need.
import type { IsoDate } from '../calendar/iso-date';
import { assertNever } from '../decider';
import type { CreditGrade, CreditList } from '../policy/credit-policy';
import type {
  CreditRecord,
  LiveRecord,
  Objection,
  RepairApplication,
  ReportConfirmation,
} from './credit-record';
import type { SubjectEvent, SubjectRegistered } from './subject.events';
import type { SubjectSummary } from './subject-kind';

export interface UnregisteredSubject {
  readonly status: 'unregistered';
}

export interface RegisteredSubject {
  readonly status: 'registered';
  readonly subjectId: string;
  readonly summary: SubjectSummary;
  readonly identifier: SubjectRegistered['data']['identifier'];
  readonly birthDate: IsoDate | null;
  /** In the order recorded; a list, as V8 copies an object keyed by id slowly (a hidden class per key). */
  readonly records: readonly CreditRecord[];
  /** Lists too, for the same reason, in the order filed. */
  readonly repairApplications: readonly RepairApplication[];
  readonly objections: readonly Objection[];
  /** Teachers' confirmations of their file (002 §6), in the order requested; the last one is current. */
  readonly reportConfirmations: readonly ReportConfirmation[];
  /** Lists and grade as last announced by events; decide compares the derived status against it. */
  readonly announced: { readonly lists: readonly CreditList[]; readonly grade: CreditGrade | null };
}

export type SubjectState = UnregisteredSubject | RegisteredSubject;

export const initialSubjectState = (): SubjectState => ({ status: 'unregistered' });

type RecordOfKind<Kind extends CreditRecord['kind']> = Extract<LiveRecord, { kind: Kind }>;

type ChangingParts = Partial<
  Pick<
    RegisteredSubject,
    'records' | 'repairApplications' | 'objections' | 'reportConfirmations' | 'announced'
  >
>;

/** The state with some parts replaced; spelled out, as V8 spreads objects of mixed shapes slowly. */
const withParts = (state: RegisteredSubject, parts: ChangingParts): RegisteredSubject => ({
  status: 'registered',
  subjectId: state.subjectId,
  summary: state.summary,
  identifier: state.identifier,
  birthDate: state.birthDate,
  records: parts.records ?? state.records,
  repairApplications: parts.repairApplications ?? state.repairApplications,
  objections: parts.objections ?? state.objections,
  // Documents folded before confirmations existed have none.
  reportConfirmations: parts.reportConfirmations ?? state.reportConfirmations ?? [],
  announced: parts.announced ?? state.announced,
});

/** The subject's record with this id, if any. */
export const recordById = (state: RegisteredSubject, recordId: string): CreditRecord | undefined =>
  state.records.find((record) => record.recordId === recordId);

export const repairApplicationById = (
  state: RegisteredSubject,
  applicationId: string,
): RepairApplication | undefined =>
  state.repairApplications.find((application) => application.applicationId === applicationId);

/** The teacher's current confirmation of the file (the last one requested), if any. */
export const currentReportConfirmation = (state: RegisteredSubject): ReportConfirmation | undefined =>
  state.reportConfirmations?.[state.reportConfirmations.length - 1];

export const objectionById = (state: RegisteredSubject, objectionId: string): Objection | undefined =>
  state.objections.find((objection) => objection.objectionId === objectionId);

/** The list with its first item that `isIt` replaced by `update(item)`; the same list if nothing changes. */
const replaceFirst = <T>(
  items: readonly T[],
  isIt: (item: T) => boolean,
  update: (item: T) => T,
): readonly T[] => {
  const at = items.findIndex(isIt);
  if (at < 0) return items;
  const updated = update(items[at]!);
  if (updated === items[at]) return items;
  const copy = items.slice();
  copy[at] = updated;
  return copy;
};

const updateRecord = <Kind extends CreditRecord['kind']>(
  state: RegisteredSubject,
  recordId: string,
  kind: Kind,
  update: (record: RecordOfKind<Kind>) => RecordOfKind<Kind>,
): RegisteredSubject =>
  updateLiveRecord(state, recordId, (record) =>
    // Events were decided against this state, so a mismatch means a foreign event: leave it as it is.
    record.kind === kind ? update(record as RecordOfKind<Kind>) : record,
  );

/** A revoked record keeps no details to change: only an objection against it still comes and goes. */
const updateLiveRecord = (
  state: RegisteredSubject,
  recordId: string,
  update: (record: LiveRecord) => CreditRecord,
): RegisteredSubject =>
  updateAnyRecord(state, recordId, (record) => (record.status === 'revoked' ? record : update(record)));

const updateAnyRecord = (
  state: RegisteredSubject,
  recordId: string,
  update: (record: CreditRecord) => CreditRecord,
): RegisteredSubject => {
  const records = replaceFirst(state.records, (record) => record.recordId === recordId, update);
  return records === state.records ? state : withParts(state, { records });
};

const addRecord = (state: RegisteredSubject, record: CreditRecord): RegisteredSubject =>
  withParts(state, { records: [...state.records, record] });

/** Every kind of record can be revoked: the original event stays, the record stops counting (see RevokedRecord). */
const revoked = ({ kind, recordId, disputedBy }: CreditRecord): CreditRecord =>
  ({ kind, recordId, status: 'revoked', disputedBy }) as CreditRecord;

const expired = (record: LiveRecord): CreditRecord => {
  switch (record.kind) {
    case 'penalty':
    case 'honour':
    case 'commitment':
      return { ...record, status: 'expired' };
    case 'rectification':
      return record;
    default:
      return assertNever(record);
  }
};

const corrected = (record: LiveRecord, corrections: object): CreditRecord => {
  switch (record.kind) {
    case 'penalty':
      return { ...record, penalty: { ...record.penalty, ...corrections } };
    case 'honour':
      return { ...record, honour: { ...record.honour, ...corrections } };
    case 'commitment':
    case 'rectification':
      return record;
    default:
      return assertNever(record);
  }
};

const evolveRegistered = (state: RegisteredSubject, event: SubjectEvent): RegisteredSubject => {
  switch (event.type) {
    case 'SubjectRegistered':
      return state;
    case 'PenaltyRecorded': {
      const { recordId, penalty, severity, publicity, expiresOn, reporting } = event.data;
      return addRecord(state, {
        kind: 'penalty',
        recordId,
        status: 'active',
        penalty,
        severity,
        publicity,
        expiresOn,
        reportedLate: reporting.late,
        pendingRepair: null,
        repairBarredBy: null,
        disputedBy: null,
      });
    }
    case 'HonourRecorded': {
      const { recordId, honour, expiresOn } = event.data;
      return addRecord(state, {
        kind: 'honour',
        recordId,
        status: 'active',
        honour,
        expiresOn,
        disputedBy: null,
      });
    }
    case 'CommitmentSigned': {
      const { recordId, commitment } = event.data;
      return addRecord(state, {
        kind: 'commitment',
        recordId,
        status: 'in_force',
        commitment,
        outcome: null,
        dishonestUntil: null,
        disputedBy: null,
      });
    }
    case 'CommitmentFellDue':
      return updateRecord(state, event.data.recordId, 'commitment', (record) => ({
        ...record,
        status: 'due',
      }));
    case 'CommitmentOutcomeRecorded': {
      const { recordId, outcome, dishonestUntil } = event.data;
      return updateRecord(state, recordId, 'commitment', (record) => ({
        ...record,
        status: 'assessed',
        outcome,
        dishonestUntil: dishonestUntil ?? null,
      }));
    }
    case 'PublicityExtendedToMaximum': {
      const { recordId, breachedCommitmentId, until } = event.data;
      return updateRecord(state, recordId, 'penalty', (record) => ({
        ...record,
        status: 'active',
        repairBarredBy: breachedCommitmentId,
        publicity: { ...record.publicity, maximumPeriodEndsOn: until },
      }));
    }
    case 'RectificationNoticeIssued': {
      const { recordId, notice } = event.data;
      return addRecord(state, { kind: 'rectification', recordId, status: 'open', notice, disputedBy: null });
    }
    case 'RectificationCompleted':
      return updateRecord(state, event.data.recordId, 'rectification', (record) => ({
        ...record,
        status: 'completed',
      }));
    case 'RectificationOverdue':
      return updateRecord(state, event.data.recordId, 'rectification', (record) => ({
        ...record,
        status: 'overdue',
      }));
    case 'RepairApplied': {
      const { recordId, applicationId } = event.data;
      const withApplication = withParts(state, {
        repairApplications: [...state.repairApplications, { applicationId, recordId, status: 'pending' }],
      });
      return updateRecord(withApplication, recordId, 'penalty', (record) => ({
        ...record,
        pendingRepair: applicationId,
      }));
    }
    case 'RepairApproved':
    case 'RepairRejected': {
      const { recordId, applicationId } = event.data;
      const approved = event.type === 'RepairApproved';
      const repairApplications = replaceFirst<RepairApplication>(
        state.repairApplications,
        (application) => application.applicationId === applicationId,
        (application) => ({ ...application, status: approved ? 'approved' : 'rejected' }),
      );
      if (repairApplications === state.repairApplications) return state; // no such application
      const withDecision = withParts(state, { repairApplications });
      return updateRecord(withDecision, recordId, 'penalty', (record) => ({
        ...record,
        pendingRepair: null,
        status: approved ? 'repaired' : record.status,
      }));
    }
    case 'ObjectionFiled': {
      const { recordId, objectionId, decisionDueBy } = event.data;
      const withObjection = withParts(state, {
        objections: [...state.objections, { objectionId, recordId, status: 'open', decisionDueBy }],
      });
      return updateAnyRecord(withObjection, recordId, (record) => ({ ...record, disputedBy: objectionId }));
    }
    case 'ObjectionResolved': {
      const { recordId, objectionId } = event.data;
      const objections = replaceFirst<Objection>(
        state.objections,
        (objection) => objection.objectionId === objectionId,
        (objection) => ({ ...objection, status: 'resolved' }),
      );
      if (objections === state.objections) return state; // no such objection
      const withResolution = withParts(state, { objections });
      return updateAnyRecord(withResolution, recordId, (record) => ({ ...record, disputedBy: null }));
    }
    case 'RecordCorrected':
      return updateLiveRecord(state, event.data.recordId, (record) =>
        corrected(record, event.data.corrections),
      );
    case 'RecordRevoked':
      return updateAnyRecord(state, event.data.recordId, revoked);
    case 'PublicityEnded':
      return updateRecord(state, event.data.recordId, 'penalty', (record) => ({
        ...record,
        status: 'publicity_ended',
      }));
    case 'RecordExpired':
      return updateLiveRecord(state, event.data.recordId, expired);
    case 'ListMembershipChanged': {
      const { list, change } = event.data;
      const others = state.announced.lists.filter((member) => member !== list);
      return withParts(state, {
        announced: { lists: change === 'entered' ? [...others, list] : others, grade: state.announced.grade },
      });
    }
    case 'CreditGradeChanged':
      return withParts(state, { announced: { lists: state.announced.lists, grade: event.data.grade } });
    case 'ReportConfirmationRequested': {
      const { confirmationId, requestedOn, recordIds } = event.data;
      return withParts(state, {
        reportConfirmations: [
          ...(state.reportConfirmations ?? []),
          {
            confirmationId,
            status: 'requested',
            requestedOn,
            answeredOn: null,
            objectionId: null,
            recordIds,
          },
        ],
      });
    }
    case 'ReportConfirmed':
    case 'ReportContested': {
      const contested = event.type === 'ReportContested';
      const answeredOn = event.type === 'ReportContested' ? event.data.contestedOn : event.data.confirmedOn;
      const objectionId = event.type === 'ReportContested' ? event.data.objectionId : null;
      const reportConfirmations = replaceFirst<ReportConfirmation>(
        state.reportConfirmations ?? [],
        (confirmation) => confirmation.confirmationId === event.data.confirmationId,
        (confirmation) => ({
          ...confirmation,
          status: contested ? 'contested' : 'confirmed',
          answeredOn,
          objectionId,
        }),
      );
      return withParts(state, { reportConfirmations });
    }
    default:
      return assertNever(event);
  }
};

export const evolveSubject = (state: SubjectState, event: SubjectEvent): SubjectState => {
  switch (state.status) {
    case 'unregistered': {
      if (event.type !== 'SubjectRegistered') return state;
      const { subjectId, kind, name, jurisdiction, identifier, birthDate } = event.data;
      return {
        status: 'registered',
        subjectId,
        summary: { kind, name, jurisdiction },
        identifier,
        birthDate: birthDate ?? null,
        records: [],
        repairApplications: [],
        objections: [],
        reportConfirmations: [],
        announced: { lists: [], grade: null },
      };
    }
    case 'registered':
      return evolveRegistered(state, event);
    default:
      return assertNever(state);
  }
};
