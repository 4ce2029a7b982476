// Generations of a read model: each rebuild writes a new physical name beside the live one; a pointer
// document per read model says which generation is live, which one is ready to take over, and which
// are garbage. Generation 0 is the plain name, so ledgers that never rebuilt need no migration.
import type { DocumentStore } from '../projection';

export const GENERATIONS_PROJECTION = 'projection_generations';

export interface GenerationPointer {
  /** Logical read model name (`subject_credit_status`). */
  readonly name: string;
  readonly live: number;
  /** The generation that was live before; kept for a rollback until the next rebuild. */
  readonly previous: number | null;
  /** Being built by a rebuild (a crash leaves it here; the next rebuild drops it). */
  readonly building: number | null;
  /** Built up to `position` with read model `version`: the live runner switches to it once it is there. */
  readonly next: {
    readonly generation: number;
    readonly version: number;
    readonly position: number;
    readonly readyAt: string;
  } | null;
  /** Generations nobody reads any more: dropped by the next rebuild. */
  readonly garbage: readonly number[];
  /** Highest generation ever used: new ones are numbered above it. */
  readonly highest: number;
  readonly switchedAt: string | null;
}

export const physicalName = (name: string, generation: number): string =>
  generation === 0 ? name : `${name}__g${generation}`;

export const initialPointer = (name: string): GenerationPointer => ({
  name,
  live: 0,
  previous: null,
  building: null,
  next: null,
  garbage: [],
  highest: 0,
  switchedAt: null,
});

export async function readPointers(
  documents: DocumentStore,
  names: readonly string[],
): Promise<Map<string, GenerationPointer>> {
  const found = await documents.load(GENERATIONS_PROJECTION, names);
  return new Map(
    names.map((name) => [name, (found.get(name) as GenerationPointer | undefined) ?? initialPointer(name)]),
  );
}

export async function writePointer(documents: DocumentStore, pointer: GenerationPointer): Promise<void> {
  // The pointers' own checkpoint means nothing: position 0 keeps the commit contract.
  await documents.commit(GENERATIONS_PROJECTION, 1, [{ id: pointer.name, doc: pointer }], 0);
}

/** The pointer after `next` became live. */
export function switched(pointer: GenerationPointer, at: string): GenerationPointer {
  if (!pointer.next) return pointer;
  return {
    ...pointer,
    live: pointer.next.generation,
    previous: pointer.live,
    next: null,
    garbage: pointer.previous === null ? pointer.garbage : [...pointer.garbage, pointer.previous],
    switchedAt: at,
  };
}
