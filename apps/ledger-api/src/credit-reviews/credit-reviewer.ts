// Conducts credit reviews: finds each subject's standing (the subject_credit_status documents in one bulk
// read, or its events folded up to `asOf`), checks the caller may see it, applies the policy's review
// rules (reviewCredit, pure) and logs who reviewed whom for what before the answer leaves.
import { Inject, Injectable } from '@nestjs/common';
import {
  beijingDateOf,
  defaultPolicy,
  deriveCreditStatus,
  evolveSubject,
  initialSubjectState,
  policyFor,
  publicIdentifier,
  reviewCredit,
  type AccessRefused,
  type CreditReview,
  type CreditStatus,
  type CreditUsePurpose,
  type RegisteredSubject,
  type SubjectEvent,
  type SubjectState,
} from '@ledger/domain';
import { subjectIdFor } from '@ledger/application';
import { subjectEventsAsOf, logCreditReviewBatch, logPersonalRecordView } from '@ledger/audit';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import {
  subjectCreditStatusProjection,
  type DocumentStore,
  type SubjectCreditStatus,
} from '@ledger/projections';
import type { LedgerConfig } from '@ledger/runtime';
import type { PermittedRequest } from '../access/permission.guard';
import { PersonalRecordAccess, personalDataOf } from '../audit/access/personal-record-access';
import { DOCUMENT_STORE, LEDGER_CONFIG } from '../ledger/ledger.module';

export interface SubjectReference {
  readonly subjectId?: string;
  readonly identifier?: { readonly scheme: string; readonly value: string };
}

export interface ReviewRequest {
  readonly purpose: CreditUsePurpose;
  readonly requestingOrganisation: { readonly name: string; readonly uscc: string };
  readonly asOf?: string;
  readonly reason?: string;
}

/** Whose standing was reviewed, as the reviewer may see it: a minor's name is never given. */
export interface ReviewedSubject {
  readonly subjectId: string;
  readonly kind: string;
  readonly name?: string;
  /** Public form: a resident ID number is masked. */
  readonly identifier: string;
  readonly jurisdiction: string;
}

export type ReviewAnswer =
  | {
      readonly outcome: 'clear' | 'restricted';
      readonly subjectId: string;
      readonly subject: ReviewedSubject;
      readonly review: CreditReview;
    }
  | { readonly outcome: 'not_found'; readonly subjectId: string }
  | { readonly outcome: 'refused'; readonly subjectId: string; readonly refusal: AccessRefused };

interface Standing {
  readonly state: RegisteredSubject;
  readonly status: CreditStatus;
  readonly policyVersion: string;
}

const REASON = (request: ReviewRequest) =>
  request.reason ?? `信用审查（${request.purpose}）：${request.requestingOrganisation.name}`;

@Injectable()
export class CreditReviewer {
  constructor(
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    private readonly access: PersonalRecordAccess,
  ) {}

  /** The subject id a reference names: identifiers map to ids by the ledger's keyed hash, known or not. */
  subjectIdOf(reference: SubjectReference): string {
    return reference.subjectId !== undefined
      ? reference.subjectId.toLowerCase()
      : subjectIdFor(reference.identifier!.value, this.config.idSecret);
  }

  /**
   * Reviews every reference, in order. A subject the caller may not see is `not_found` when it was named by
   * identifier (no oracle, as for lookups) and `refused` when named by id.
   */
  async review(
    http: PermittedRequest,
    request: ReviewRequest,
    references: readonly SubjectReference[],
  ): Promise<ReviewAnswer[]> {
    const ids = references.map((reference) => this.subjectIdOf(reference));
    return this.answer(
      http,
      request,
      references,
      ids,
      await this.standingsOf([...new Set(ids)], request.asOf),
    );
  }

  /**
   * A batch: the log of whom it names is appended while the standings are read (both must succeed before
   * anything is answered), so the append costs no time of its own.
   */
  async reviewBatch(
    http: PermittedRequest,
    batchId: string,
    request: ReviewRequest,
    references: readonly SubjectReference[],
    timings: Record<string, number> = {},
  ): Promise<{ answers: ReviewAnswer[]; logEventIds: string[] }> {
    let started = performance.now();
    const ids = references.map((reference) => this.subjectIdOf(reference));
    timings.resolve = performance.now() - started;
    started = performance.now();
    const [standings, logEventIds] = await Promise.all([
      this.standingsOf([...new Set(ids)], request.asOf).then((found) => {
        timings.load = performance.now() - started;
        return found;
      }),
      this.logBatch(http, batchId, request, ids).then((logged) => {
        timings.log = performance.now() - started;
        return logged;
      }),
    ]);
    started = performance.now();
    const answers = this.answer(http, request, references, ids, standings);
    timings.review = performance.now() - started;
    return { answers, logEventIds };
  }

  private answer(
    http: PermittedRequest,
    request: ReviewRequest,
    references: readonly SubjectReference[],
    ids: readonly string[],
    standings: ReadonlyMap<string, Standing>,
  ): ReviewAnswer[] {
    const today = beijingDateOf(new Date().toISOString());
    return references.map((reference, index): ReviewAnswer => {
      const subjectId = ids[index]!;
      const standing = standings.get(subjectId);
      if (!standing) return { outcome: 'not_found', subjectId };
      const { summary } = standing.state;
      const facts = {
        subjectId,
        kind: summary.kind,
        jurisdiction: summary.jurisdiction,
        birthDate: standing.state.birthDate,
      };
      const decision = this.access.decide(http, facts);
      if (!decision.allowed) {
        return reference.subjectId === undefined
          ? { outcome: 'not_found', subjectId }
          : { outcome: 'refused', subjectId, refusal: decision };
      }
      const minor = personalDataOf(facts, today) === 'minor';
      const policy = policyFor(standing.policyVersion, summary.jurisdiction);
      const review = reviewCredit(
        { status: standing.status, records: standing.state.records },
        request.purpose,
        policy,
      );
      return {
        outcome: review.outcome,
        subjectId,
        subject: {
          subjectId,
          kind: summary.kind,
          ...(minor ? {} : { name: summary.name }),
          identifier: publicIdentifier(standing.state.identifier),
          jurisdiction: summary.jurisdiction,
        },
        review,
      };
    });
  }

  /** One review, logged in the subject's own access stream (GET /api/v1/audit/access-log). */
  async logOne(http: PermittedRequest, request: ReviewRequest, answer: ReviewAnswer): Promise<string> {
    const logged = await logPersonalRecordView(this.store, {
      subjectId: answer.subjectId,
      viewer: http.actor!,
      reason: REASON(request),
      purpose: request.purpose,
      policyVersion: this.access.policy.version,
      resource: 'credit-review',
      outcome:
        answer.outcome === 'clear' || answer.outcome === 'restricted' ? 'answered' : 'unknown-or-refused',
      review: {
        purpose: request.purpose,
        requestingOrganisation: plain(request.requestingOrganisation),
        outcome: answer.outcome === 'refused' ? 'not_found' : answer.outcome,
        ...(answer.outcome === 'clear' || answer.outcome === 'restricted'
          ? { creditPolicyVersion: answer.review.policyVersion }
          : {}),
        ...(request.asOf ? { asOf: request.asOf } : {}),
      },
      correlationId: headerOf(http, 'x-correlation-id'),
    });
    return logged.eventId;
  }

  /** A batch, logged in one append: parts naming every subject. */
  private async logBatch(
    http: PermittedRequest,
    batchId: string,
    request: ReviewRequest,
    subjectIds: readonly string[],
  ): Promise<string[]> {
    const logged = await logCreditReviewBatch(this.store, {
      batchId,
      viewer: http.actor!,
      purpose: request.purpose,
      requestingOrganisation: plain(request.requestingOrganisation),
      reason: REASON(request),
      policyVersion: this.access.policy.version,
      ...(request.asOf ? { asOf: request.asOf } : {}),
      subjects: subjectIds,
      correlationId: headerOf(http, 'x-correlation-id'),
    });
    return logged.eventIds;
  }

  private async standingsOf(
    subjectIds: readonly string[],
    asOf: string | undefined,
  ): Promise<Map<string, Standing>> {
    const standings = new Map<string, Standing>();
    if (asOf === undefined) {
      const docs = await this.documents.load(subjectCreditStatusProjection.name, subjectIds);
      for (const [id, raw] of docs) {
        const doc = raw as SubjectCreditStatus;
        if (doc.state.status !== 'registered') continue;
        const status =
          doc.status ??
          deriveCreditStatus(
            doc.state,
            policyFor(doc.policyVersion),
            beijingDateOf(doc.lastRecordedAt ?? new Date().toISOString()),
          );
        standings.set(id, { state: doc.state, status, policyVersion: doc.policyVersion });
      }
      return standings;
    }
    // As of an instant (record time): each subject's events folded, as GET …/status-as-of does.
    const CONCURRENCY = 16;
    for (let start = 0; start < subjectIds.length; start += CONCURRENCY) {
      await Promise.all(
        subjectIds.slice(start, start + CONCURRENCY).map(async (subjectId) => {
          const events = await subjectEventsAsOf(this.store, subjectId, { asOf, by: 'record' });
          let state: SubjectState = initialSubjectState();
          for (const event of events) state = evolveSubject(state, event as unknown as SubjectEvent);
          const last = events[events.length - 1];
          if (state.status !== 'registered' || !last) return;
          const policyVersion = last.metadata.policyVersion ?? defaultPolicy.version;
          standings.set(subjectId, {
            state,
            status: deriveCreditStatus(state, policyFor(policyVersion), beijingDateOf(asOf)),
            policyVersion,
          });
        }),
      );
    }
    return standings;
  }
}

/** Stored events take plain JSON only, not the DTO instances the validation pipe made. */
const plain = (organisation: ReviewRequest['requestingOrganisation']) => ({
  name: organisation.name,
  uscc: organisation.uscc,
});

function headerOf(request: PermittedRequest, name: string): string | undefined {
  const raw = request.headers[name];
  return Array.isArray(raw) ? raw[0] : raw;
}
