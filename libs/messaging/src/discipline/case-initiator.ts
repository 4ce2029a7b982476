// Initiation (发起): a process manager that follows the feed and opens a joint-discipline case when a
// subject enters the black list (or the red list, for incentives), and closes it as lifted when the
// subject leaves. Cases are events in the store, so the relay publishes them like everything else.
// Idempotent end to end: the case id and the idempotency keys derive from the triggering event's id.
import type { DisciplineCases, RequestContext } from '@ledger/application';
import { DomainError, upcastEvent, type CreditList, type ListMembershipChanged } from '@ledger/domain';
import {
  FeedIntegrityError,
  FeedVerifier,
  type Actor,
  type EventSigning,
  type EventStore,
  type IntegrityViolation,
  type StoredEvent,
  type Subscription,
} from '@ledger/event-store';
import type { DocumentChange, DocumentStore } from '@ledger/projections';
import { consoleLog, type MessagingLog } from '../kafka-client';
import { caseIdFor } from './case-ids';
import { defaultDepartmentDirectory, departmentsFor, type DepartmentDirectory } from './departments';

export interface CaseInitiatorOptions {
  readonly departments?: DepartmentDirectory;
  /** Lists whose entry opens a case. */
  readonly lists?: readonly CreditList[];
  /** Name of the checkpoint (and of the open-case index) in the document store. */
  readonly checkpointName?: string;
  readonly batchSize?: number;
  readonly log?: MessagingLog;
  /** The keys events are signed with (default: the development key); each event is checked before it acts. */
  readonly signing?: EventSigning | null;
}

/** The actor recorded on cases the ledger opens by itself; national, like the scheduler. */
export const caseInitiatorActor: Actor = {
  userId: 'discipline-case-initiator',
  role: 'system',
  department: 'ledger',
  jurisdiction: '000000',
};

/** Stored per `<list>:<subjectId>` while a case is open, so that leaving the list finds the case. */
interface OpenCaseEntry {
  readonly caseId: string;
  readonly openedBy: string;
}

type MembershipEvent = StoredEvent<'ListMembershipChanged', ListMembershipChanged['data']>;

const CHECKPOINT_VERSION = 1;

export class DisciplineCaseInitiator {
  private readonly name: string;
  private readonly lists: readonly CreditList[];
  private readonly log: MessagingLog;
  private subscription: Subscription | undefined;
  private haltedBy: IntegrityViolation | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly documents: DocumentStore,
    private readonly cases: DisciplineCases,
    private readonly options: CaseInitiatorOptions = {},
  ) {
    this.name = options.checkpointName ?? 'discipline-case-initiator';
    this.lists = options.lists ?? ['black', 'red'];
    this.log = options.log ?? consoleLog;
  }

  async start(): Promise<void> {
    const checkpoint = (await this.documents.checkpoint(this.name))?.position ?? 0;
    const verifier = new FeedVerifier(this.store, { signing: this.options.signing, upcast: upcastEvent });
    this.haltedBy = undefined;
    this.subscription = this.store.subscribe({
      after: checkpoint,
      batchSize: this.options.batchSize ?? 500,
      handler: (batch) => verifier.pass(batch, (verified) => this.handle(verified)),
      onError: (error) => {
        if (error instanceof FeedIntegrityError) {
          this.haltedBy = error.violation;
          this.log.error({ msg: 'case initiator stopped', ...error.violation, error: error.message });
          return;
        }
        this.log.error({
          msg: 'case initiator failed; retrying',
          error: (error as Error).message ?? String(error),
        });
      },
    });
  }

  get position(): number {
    return this.subscription?.position ?? 0;
  }

  /** The event that failed verification and stopped the initiator, if one did. */
  get halted(): IntegrityViolation | undefined {
    return this.haltedBy;
  }

  waitFor(position: number, timeoutMs?: number): Promise<void> {
    if (!this.subscription) return Promise.reject(new Error('The case initiator is not running'));
    return this.subscription.waitFor(position, timeoutMs);
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = undefined;
  }

  private async handle(batch: readonly StoredEvent[]): Promise<void> {
    const changes = new Map<string, DocumentChange>();
    for (const event of batch) {
      if (event.type !== 'ListMembershipChanged') continue;
      const membership = event as MembershipEvent;
      const { list, subjectId, change } = membership.data;
      if (!this.lists.includes(list)) continue;
      const key = `${list}:${subjectId}`;
      if (change === 'entered') {
        const caseId = caseIdFor(event.id);
        const opened = await this.decided(event, () => this.openCase(membership, caseId));
        if (opened)
          changes.set(key, { id: key, doc: { caseId, openedBy: event.id } satisfies OpenCaseEntry });
      } else {
        const open = await this.openCaseOf(key, changes);
        if (open) await this.decided(event, () => this.liftCase(membership, open.caseId));
        changes.set(key, { id: key, doc: null });
      }
    }
    await this.documents.commit(
      this.name,
      CHECKPOINT_VERSION,
      [...changes.values()],
      batch[batch.length - 1]!.position,
    );
  }

  private openCase(event: MembershipEvent, caseId: string) {
    const { subjectId, subject, list, reasons, measures } = event.data;
    return this.cases.execute(
      {
        type: 'OpenCase',
        data: {
          caseId,
          subjectId,
          subject,
          list,
          recordIds: [...new Set(reasons.map((reason) => reason.recordId))],
          measures,
          departments: departmentsFor(measures, this.options.departments ?? defaultDepartmentDirectory),
        },
      },
      // The policy that put the subject on the list decides the measures.
      { ...this.contextFor(event, `open-case:${event.id}`), policyVersion: event.metadata.policyVersion },
    );
  }

  private liftCase(event: MembershipEvent, caseId: string) {
    return this.cases.execute(
      {
        type: 'CloseCase',
        data: { caseId, reason: 'lifted', note: `The subject left the ${event.data.list} list` },
      },
      this.contextFor(event, `lift-case:${event.id}`),
    );
  }

  private contextFor(event: StoredEvent, idempotencyKey: string): RequestContext {
    return {
      now: new Date().toISOString(),
      actor: caseInitiatorActor,
      correlationId: event.metadata.correlationId ?? event.id,
      causationId: event.id,
      idempotencyKey,
      requestHash: event.id,
    };
  }

  private async openCaseOf(
    key: string,
    pending: Map<string, DocumentChange>,
  ): Promise<OpenCaseEntry | undefined> {
    const change = pending.get(key);
    if (change) return (change.doc ?? undefined) as OpenCaseEntry | undefined;
    return (await this.documents.load(this.name, [key])).get(key) as OpenCaseEntry | undefined;
  }

  // A refusal (a case already closed, a list entry without measures) is an answer, not a failure:
  // it is logged and the feed moves on. Anything else is retried with the batch.
  private async decided(event: StoredEvent, command: () => Promise<unknown>): Promise<boolean> {
    try {
      await command();
      return true;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.code !== 'CASE.CLOSED') {
        this.log.warn({
          msg: 'no case action for list change',
          eventId: event.id,
          code: error.code,
          reason: error.message,
        });
      }
      return false;
    }
  }
}
