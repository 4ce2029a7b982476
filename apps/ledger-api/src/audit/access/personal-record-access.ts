// Who read a natural person's record, when and why: the read is logged as a PersonalRecordViewed event
// before the answer leaves, and the reason is required (header X-Access-Reason). Legal persons' records
// are public information and are neither gated nor logged.
import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { isNaturalPersonKind, isSubjectKind, toSubjectStreamId } from '@ledger/domain';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { logPersonalRecordView, MAX_REASON_LENGTH, type AccessedResource } from '@ledger/audit';
import type { AuthenticatedRequest } from '../../auth/api-key.guard';

export const ACCESS_REASON_HEADER = 'x-access-reason';

export const ACCESS_REASON_DOC =
  'Why the record is read (required for natural persons: teachers, researchers, staff, students). UTF-8, ' +
  `percent-encoded if it is not ASCII (e.g. %E5%B9%B4%E5%BA%A6%E8%80%83%E6%A0%B8), 1-${MAX_REASON_LENGTH} characters. ` +
  'The read is logged as a PersonalRecordViewed event (GET /api/v1/audit/access-log).';

@Injectable()
export class PersonalRecordAccess {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /**
   * Call before answering with a subject's record. For a natural person: refuses without a reason (400
   * ACCESS.REASON_REQUIRED), else logs the read; if the log cannot be written the read fails.
   */
  async recordRead(
    request: AuthenticatedRequest,
    subject: { subjectId: string; kind: string | null | undefined },
    resource: AccessedResource,
  ): Promise<void> {
    if (!subject.kind || !isSubjectKind(subject.kind) || !isNaturalPersonKind(subject.kind)) return;
    const reason = accessReasonOf(request);
    const correlation = request.headers['x-correlation-id'];
    await logPersonalRecordView(this.store, {
      subjectId: subject.subjectId,
      viewer: request.actor!,
      reason,
      resource,
      correlationId: typeof correlation === 'string' ? correlation : undefined,
    });
  }

  /** The kind a subject was registered as, from the first event of its stream. */
  async kindOf(subjectId: string): Promise<string | undefined> {
    const [first] = await this.store.readStream(toSubjectStreamId(subjectId), { toRevision: 0 });
    return first?.type === 'SubjectRegistered' ? (first.data as { kind?: string }).kind : undefined;
  }
}

export function accessReasonOf(request: AuthenticatedRequest): string {
  const raw = request.headers[ACCESS_REASON_HEADER];
  const value = Array.isArray(raw) ? raw[0] : raw;
  let reason: string | undefined;
  try {
    reason = value === undefined ? undefined : decodeURIComponent(value).trim();
  } catch {
    reason = undefined;
  }
  if (!reason || reason.length > MAX_REASON_LENGTH) {
    throw new BadRequestException({
      code: 'ACCESS.REASON_REQUIRED',
      message: `Reading a natural person's record needs a reason in the X-Access-Reason header (1-${MAX_REASON_LENGTH} characters, percent-encoded UTF-8)`,
    });
  }
  return reason;
}
