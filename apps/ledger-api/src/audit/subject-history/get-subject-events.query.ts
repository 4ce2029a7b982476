// A subject's events, oldest first, filtered by type and record time, a page at a time.
import { Inject, NotFoundException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { maskResidentId, toSubjectStreamId, upcastEvent } from '@ledger/domain';
import { EVENT_STORE, type EventStore, type StoredEvent } from '@ledger/event-store';

export class GetSubjectEvents {
  constructor(
    readonly subjectId: string,
    readonly filter: {
      readonly types?: readonly string[];
      readonly from?: string;
      readonly to?: string;
      readonly page: number;
      readonly pageSize: number;
    },
    /**
     * Auditors get events exactly as stored (hashes recompute); others get ID numbers masked and each event
     * upcast to the current version of its type.
     */
    readonly raw: boolean,
  ) {}
}

export interface SubjectEventsPage {
  readonly subjectId: string;
  /** Kind the subject was registered as: natural persons' reads are logged. */
  readonly kind: string | null;
  readonly items: readonly StoredEvent[];
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
  /** True when ID numbers in `items` were masked: their hashes will not recompute. */
  readonly masked: boolean;
}

@QueryHandler(GetSubjectEvents)
export class GetSubjectEventsHandler implements IQueryHandler<GetSubjectEvents, SubjectEventsPage> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ subjectId, filter, raw }: GetSubjectEvents): Promise<SubjectEventsPage> {
    const all = await this.store.readStream(toSubjectStreamId(subjectId));
    const first = all[0];
    if (!first)
      throw new NotFoundException({ code: 'SUBJECT.NOT_FOUND', message: `No subject ${subjectId}` });
    const from = filter.from ? Date.parse(filter.from) : Number.NEGATIVE_INFINITY;
    const to = filter.to ? Date.parse(filter.to) : Number.POSITIVE_INFINITY;
    const types = filter.types && filter.types.length > 0 ? new Set(filter.types) : undefined;
    const matching = all.filter((e) => {
      const at = Date.parse(e.recordedAt);
      return (!types || types.has(e.type)) && at >= from && at <= to;
    });
    const start = (filter.page - 1) * filter.pageSize;
    const page = matching.slice(start, start + filter.pageSize);
    const kind = first.type === 'SubjectRegistered' ? ((first.data as { kind?: string }).kind ?? null) : null;
    return {
      subjectId,
      kind,
      // Raw: the stored bytes, which the hashes cover; otherwise each event in its type's current shape.
      items: raw ? page : page.map((event) => masked(upcastEvent(event))),
      page: filter.page,
      pageSize: filter.pageSize,
      total: matching.length,
      masked: !raw,
    };
  }
}

interface MaybeIdentified {
  readonly identifier?: { readonly scheme?: string; readonly value: string };
  readonly penalty?: { readonly legalRepresentative?: { readonly idNumber?: string } };
}

/** Masks resident ID numbers where events carry them (a registration, a legal representative). */
function masked(event: StoredEvent): StoredEvent {
  const data = (event.data ?? {}) as MaybeIdentified;
  if (event.type === 'SubjectRegistered' && data.identifier?.scheme === 'resident_id') {
    return {
      ...event,
      data: { ...data, identifier: { ...data.identifier, value: maskResidentId(data.identifier.value) } },
    };
  }
  const representative = data.penalty?.legalRepresentative;
  if (event.type === 'PenaltyRecorded' && representative?.idNumber) {
    return {
      ...event,
      data: {
        ...data,
        penalty: {
          ...data.penalty,
          legalRepresentative: { ...representative, idNumber: maskResidentId(representative.idNumber) },
        },
      },
    };
  }
  return event;
}
