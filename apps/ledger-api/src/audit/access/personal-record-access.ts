// Reads of a subject's record, scoped and logged: the route's permission on the subject's jurisdiction, the
// permission for natural persons' or minors' data, a purpose from the access policy with free text beside it,
// and for natural persons a PersonalRecordViewed event written before the answer leaves. Legal persons'
// records are public information: scoped, neither reasoned nor logged.
import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import {
  authorize,
  beijingDateOf,
  checkPurpose,
  isMinorOn,
  isNaturalPersonKind,
  isSubjectKind,
  toSubjectStreamId,
  type AccessDecision,
  type AccessPolicy,
  type PersonalData,
  type Permission,
} from '@ledger/domain';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { logPersonalRecordView, MAX_REASON_LENGTH, type AccessedResource } from '@ledger/audit';
import { ACCESS_POLICY } from '../../access/access-policy.provider';
import type { PermittedRequest } from '../../access/permission.guard';
import { AccessForbidden } from '../../access/requires';

export const ACCESS_REASON_HEADER = 'x-access-reason';
export const ACCESS_PURPOSE_HEADER = 'x-access-purpose';

export const ACCESS_PURPOSE_DOC =
  'Why a natural person’s record is read: a purpose code of the access policy for the caller’s role ' +
  '(supervision, record-handling, employment-check, repair-review, objection-review, subject-request, audit). ' +
  'Required for natural persons (teachers, researchers, staff, students); 400 ACCESS.PURPOSE_REQUIRED, ' +
  'ACCESS.UNKNOWN_PURPOSE or ACCESS.PURPOSE_NOT_FOR_ROLE otherwise.';

export const ACCESS_REASON_DOC =
  'Free text beside X-Access-Purpose (required for natural persons), UTF-8 in one of three forms: raw UTF-8 bytes, ' +
  "percent-encoded (%E5%B9%B4%E5%BA%A6%E8%80%83%E6%A0%B8) or RFC 8187 (UTF-8''%E5%B9%B4...); " +
  `1-${MAX_REASON_LENGTH} characters. Invalid UTF-8 or a bad escape: 400 ACCESS.REASON_INVALID_ENCODING. ` +
  'The read is logged as a PersonalRecordViewed event (GET /api/v1/audit/access-log).';

/** What the first event of a subject's stream says about whose record it is. */
export interface SubjectFacts {
  readonly subjectId: string;
  readonly kind: string;
  readonly jurisdiction: string;
  readonly birthDate: string | null;
}

/** A read that passed its checks; `log` writes the access-log entry (a no-op for legal persons). */
export interface ReadGrant {
  readonly personalData: PersonalData | undefined;
  log(): Promise<void>;
}

const NOTHING_TO_LOG: ReadGrant = { personalData: undefined, log: async () => undefined };

export const personalDataOf = (
  facts: Pick<SubjectFacts, 'kind' | 'birthDate'>,
  today: string,
): PersonalData => {
  if (!isSubjectKind(facts.kind) || !isNaturalPersonKind(facts.kind)) return 'legal-person';
  return facts.birthDate !== null && isMinorOn(facts.birthDate, today) ? 'minor' : 'natural-person';
};

@Injectable()
export class PersonalRecordAccess {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ACCESS_POLICY) readonly policy: AccessPolicy,
  ) {}

  /** The subject's kind, division and birth date, from the first event of its stream. */
  async factsOf(subjectId: string): Promise<SubjectFacts | undefined> {
    const [first] = await this.store.readStream(toSubjectStreamId(subjectId), { toRevision: 0 });
    if (first?.type !== 'SubjectRegistered') return undefined;
    const data = first.data as { kind: string; jurisdiction: string; birthDate?: string | null };
    return { subjectId, kind: data.kind, jurisdiction: data.jurisdiction, birthDate: data.birthDate ?? null };
  }

  /**
   * Checks a read of a subject's record before anything is read: 403 naming the permission when the role or
   * the jurisdiction does not allow it, 400 without a purpose and reason for a natural person. An unknown
   * subject passes (the read itself answers 404).
   */
  async authorizeRead(
    request: PermittedRequest,
    subjectId: string,
    resource: AccessedResource,
  ): Promise<ReadGrant> {
    const facts = await this.factsOf(subjectId);
    return facts ? this.authorizeReadOf(request, facts, resource) : NOTHING_TO_LOG;
  }

  /** The decision alone, for callers that must not tell a refusal from an unknown subject. */
  decide(request: PermittedRequest, facts: SubjectFacts, permission?: Permission): AccessDecision {
    return authorize(this.policy, request.actor!, permission ?? request.permission!, {
      jurisdiction: facts.jurisdiction,
      personalData: personalDataOf(facts, beijingDateOf(new Date().toISOString())),
    });
  }

  authorizeReadOf(request: PermittedRequest, facts: SubjectFacts, resource: AccessedResource): ReadGrant {
    const decision = this.decide(request, facts);
    if (!decision.allowed) throw new AccessForbidden(decision);
    const personalData = personalDataOf(facts, beijingDateOf(new Date().toISOString()));
    if (personalData === 'legal-person') return { personalData, log: async () => undefined };
    const { purpose, reason } = this.purposeOf(request);
    return {
      personalData,
      log: async () => {
        await this.log(request, facts.subjectId, resource, purpose, reason);
      },
    };
  }

  /** The purpose code and free text of the request: 400 with a stable code when either is missing or wrong. */
  purposeOf(request: PermittedRequest): { purpose: string; reason: string } {
    const decision = checkPurpose(
      this.policy,
      request.actor!,
      headerOf(request, ACCESS_PURPOSE_HEADER)?.trim(),
    );
    if (!decision.allowed) throw new BadRequestException({ code: decision.code, message: decision.message });
    return { purpose: decision.purpose.code, reason: accessReasonOf(request) };
  }

  /** Writes the access-log entry; if it cannot be written the read fails. */
  async log(
    request: PermittedRequest,
    subjectId: string,
    resource: AccessedResource,
    purpose: string,
    reason: string,
    outcome?: 'answered' | 'unknown-or-refused',
  ): Promise<void> {
    await logPersonalRecordView(this.store, {
      subjectId,
      viewer: request.actor!,
      reason,
      purpose,
      policyVersion: this.policy.version,
      resource,
      outcome,
      correlationId: headerOf(request, 'x-correlation-id'),
    });
  }
}

function headerOf(request: PermittedRequest, name: string): string | undefined {
  const raw = request.headers[name];
  return Array.isArray(raw) ? raw[0] : raw;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Why a reason header could not be read; the answer names the header and this. */
export class AccessReasonEncodingError extends Error {}

/**
 * The text of an X-Access-Reason header value, in one of three forms (docs/access-control.md):
 * - RFC 8187 `UTF-8''<percent-encoded>` (the charset is case-insensitive, the language tag empty or any),
 * - raw UTF-8 bytes, as Chinese clients send them: Node hands header bytes over as latin1, so any character
 *   above U+007F means the value was bytes, re-read as strict UTF-8 and taken literally (no percent-decoding),
 * - plain ASCII, percent-decoded as UTF-8 (ASCII without `%` reads as itself).
 * Malformed UTF-8, a bad percent escape, another charset or a control character is an error, never mojibake.
 */
export function decodeAccessReason(value: string): string {
  const extended = /^([A-Za-z0-9!#$%&+^_`{}~-]+)'[A-Za-z0-9-]*'(.*)$/s.exec(value);
  let text: string;
  if (extended !== null) {
    if (extended[1]!.toUpperCase() !== 'UTF-8') {
      throw new AccessReasonEncodingError(`charset ${extended[1]} is not UTF-8`);
    }
    text = percentDecoded(extended[2]!);
  } else if (/[\u0080-\uffff]/.test(value)) {
    if (/[\u0100-\uffff]/.test(value)) throw new AccessReasonEncodingError('not a header byte string');
    try {
      text = utf8.decode(Buffer.from(value, 'latin1'));
    } catch {
      throw new AccessReasonEncodingError('the bytes are not valid UTF-8');
    }
  } else {
    text = percentDecoded(value);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(text)) throw new AccessReasonEncodingError('control characters');
  return text.trim();
}

function percentDecoded(value: string): string {
  if (/%(?![0-9A-Fa-f]{2})/.test(value)) throw new AccessReasonEncodingError('a bad percent escape');
  const bytes: number[] = [];
  for (let at = 0; at < value.length; at += 1) {
    if (value[at] === '%') {
      bytes.push(parseInt(value.slice(at + 1, at + 3), 16));
      at += 2;
    } else {
      bytes.push(value.charCodeAt(at));
    }
  }
  try {
    return utf8.decode(Uint8Array.from(bytes));
  } catch {
    throw new AccessReasonEncodingError('the percent-encoded bytes are not valid UTF-8');
  }
}

export function accessReasonOf(request: PermittedRequest): string {
  const value = headerOf(request, ACCESS_REASON_HEADER);
  let reason: string | undefined;
  try {
    reason = value === undefined ? undefined : decodeAccessReason(value);
  } catch (error) {
    if (!(error instanceof AccessReasonEncodingError)) throw error;
    throw new BadRequestException({
      code: 'ACCESS.REASON_INVALID_ENCODING',
      message:
        "X-Access-Reason is UTF-8: raw bytes, percent-encoded, or RFC 8187 UTF-8''<percent-encoded>",
      fields: [{ field: 'X-Access-Reason', reasons: [error.message] }],
    });
  }
  if (!reason || reason.length > MAX_REASON_LENGTH) {
    throw new BadRequestException({
      code: 'ACCESS.REASON_REQUIRED',
      message: `Reading a natural person's record needs a reason in the X-Access-Reason header (1-${MAX_REASON_LENGTH} characters, UTF-8: raw, percent-encoded or RFC 8187) beside the purpose in X-Access-Purpose`,
    });
  }
  return reason;
}
