// Event versions (schema evolution): stored bytes never change, so an event recorded in an older shape is
// turned into the current one on read, by one pure upcaster per version step. Hashes, signatures, digests and
// proofs stay over the stored bytes: an upcaster runs after an event was checked, never before.

/** What an upcaster needs of an event: its type, its data and the schema version it was written in. */
export interface VersionedEvent {
  readonly type: string;
  readonly data: unknown;
  readonly metadata: { readonly schemaVersion: number };
}

/** One step: `type` data written in version `from` becomes data of version `from + 1`. */
export interface Upcaster {
  readonly type: string;
  readonly from: number;
  /** Why the shape changed, for the AsyncAPI document and whoever reads this in ten years. */
  readonly change: string;
  readonly up: (data: never) => unknown;
}

/**
 * Written by a release newer than this one (a rolling upgrade): reading it as if it were a known version would
 * misread it, skipping it would lose a fact. Whoever meets it stops there and says so.
 */
export class UnknownEventVersion extends Error {
  readonly code = 'EVENT.UNKNOWN_SCHEMA_VERSION';

  constructor(
    readonly eventType: string,
    readonly schemaVersion: unknown,
    readonly knownVersion: number,
  ) {
    super(
      `${eventType} version ${String(schemaVersion)} is unknown to this release, which reads versions 1 to ` +
        `${knownVersion}: it was written by a newer release; upgrade this process to read it`,
    );
    this.name = 'UnknownEventVersion';
  }
}

export interface EventVersions {
  /** The version new events of `type` are written in: 1 for a type no upcaster names. */
  current(type: string): number;
  /** Every type that has more than one version, with its current version. */
  readonly evolved: ReadonlyMap<string, number>;
  /**
   * The event in the current shape of its type: the same object when it already is, else a copy with the data
   * upcast step by step and `metadata.schemaVersion` the current version. Throws UnknownEventVersion for a
   * version above the current one (or not a positive integer).
   */
  upcast<E extends VersionedEvent>(event: E): E;
}

/** Builds the lookup from the steps; every type's steps must run from version 1 without a gap. */
export function eventVersions(upcasters: readonly Upcaster[]): EventVersions {
  const steps = new Map<string, Upcaster[]>();
  for (const step of upcasters) {
    const chain = steps.get(step.type) ?? [];
    if (step.from !== chain.length + 1)
      throw new Error(`Upcaster ${step.type} v${step.from}: expected the step from v${chain.length + 1}`);
    chain.push(step);
    steps.set(step.type, chain);
  }
  const evolved = new Map([...steps].map(([type, chain]) => [type, chain.length + 1]));
  const current = (type: string) => evolved.get(type) ?? 1;
  return {
    current,
    evolved,
    upcast<E extends VersionedEvent>(event: E): E {
      const version = event.metadata.schemaVersion;
      const latest = current(event.type);
      if (version === latest) return event;
      if (!Number.isInteger(version) || version < 1 || version > latest)
        throw new UnknownEventVersion(event.type, version, latest);
      let data = event.data;
      for (const step of steps.get(event.type)!.slice(version - 1)) data = step.up(data as never);
      return { ...event, data, metadata: { ...event.metadata, schemaVersion: latest } };
    },
  };
}
