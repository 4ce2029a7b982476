// Corrections and revocations: only the department that recorded the record, or its superior. Who recorded
// it is the actor of the event that created it; records never change hands, so reading it first is safe.
import { Inject, Injectable } from '@nestjs/common';
import {
  authorize,
  divisionContains,
  toSubjectStreamId,
  type AccessPolicy,
  type Actor,
} from '@ledger/domain';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { ACCESS_POLICY } from './access-policy.provider';
import { AccessForbidden } from './requires';

@Injectable()
export class RecordingDepartment {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ACCESS_POLICY) private readonly policy: AccessPolicy,
  ) {}

  /** 403 ACCESS.NOT_RECORDING_DEPARTMENT unless the actor recorded the record or stands above who did. */
  async requireRecorderOrSuperior(actor: Actor, subjectId: string, recordId: string): Promise<void> {
    const events = await this.store.readStream(toSubjectStreamId(subjectId));
    const subjectJurisdiction = (events[0]?.data as { jurisdiction?: string } | undefined)?.jurisdiction;
    // Outside the actor's divisions the decider refuses (ACTOR.OUTSIDE_JURISDICTION), as for every write.
    if (subjectJurisdiction === undefined || !divisionContains(actor.jurisdiction, subjectJurisdiction))
      return;
    const created = events.find((event) => (event.data as { recordId?: unknown }).recordId === recordId);
    const recorder = created?.metadata.actor;
    if (!recorder) return; // unknown record: the command answers 404
    const decision = authorize(this.policy, actor, 'records.correct', {
      recordedBy: { department: recorder.department, jurisdiction: recorder.jurisdiction },
    });
    if (!decision.allowed) throw new AccessForbidden(decision);
  }
}
