// The generations a rebuild writes: claimed before the pass (a new physical name per read model, empty, its
// pointer saying it is being built), then either marked ready for the live runner to switch to, or switched to.
import type { DocumentStore, Projection } from '../projection';
import { physicalName, readPointers, switched, writePointer, type GenerationPointer } from './generations';

/** A read model's generation being built. */
export interface NewGeneration {
  readonly projection: Projection<unknown>;
  /** Physical name of the generation. */
  readonly name: string;
  readonly generation: number;
  /** The pointer as the rebuild wrote it when it started (`building` this generation). */
  readonly pointer: GenerationPointer;
  /**
   * Ids of the documents written at least once; each pass adds the ones it writes. A document neither in a
   * pass's memory nor written does not exist, so it needs no database read.
   */
  readonly written: Set<string>;
}

export interface ClaimedGenerations {
  readonly generations: readonly NewGeneration[];
  /** Physical names of generations nobody reads, to drop while the pass runs. */
  readonly unread: readonly string[];
}

/**
 * Claims a new generation per read model, above every generation used so far. Whatever is neither live nor
 * the rollback generation goes: earlier garbage, crashed or superseded builds. It stays listed as garbage
 * until the new generation is ready, so a crash leaves it for the next rebuild.
 */
export async function claimGenerations(
  documents: DocumentStore,
  projections: readonly Projection<unknown>[],
): Promise<ClaimedGenerations> {
  const pointers = await readPointers(
    documents,
    projections.map((p) => p.name),
  );
  const generations: NewGeneration[] = [];
  const unread: string[] = [];
  for (const projection of projections) {
    const pointer = pointers.get(projection.name)!;
    const drop = [...new Set([...pointer.garbage, pointer.building, pointer.next?.generation])].filter(
      (g): g is number => g !== null && g !== undefined && g !== pointer.live && g !== pointer.previous,
    );
    unread.push(...drop.map((g) => physicalName(projection.name, g)));
    const generation = pointer.highest + 1;
    const building: GenerationPointer = {
      ...pointer,
      building: generation,
      next: null,
      garbage: drop,
      highest: generation,
    };
    await writePointer(documents, building);
    const name = physicalName(projection.name, generation);
    await documents.reset(name);
    await documents.commit(name, projection.version, [], 0);
    generations.push({ projection, name, generation, pointer: building, written: new Set() });
  }
  return { generations, unread };
}

/**
 * Drops the unread generations one after another on one connection, while the pass runs: dropping a large
 * generation takes the database long enough that waiting for it before reading would show in the rebuild.
 * Await the result after the pass (or before rethrowing its failure).
 */
export function dropUnread(documents: DocumentStore, unread: readonly string[]): Promise<void> {
  const dropped = (async () => {
    for (const name of unread) await documents.reset(name);
  })();
  dropped.catch(() => undefined); // awaited after the pass, or before its failure is thrown
  return dropped;
}

/** The pointer saying the new generation is built up to `position`, ready to be switched to. */
export function readyPointer(built: NewGeneration, position: number, at: string): GenerationPointer {
  return {
    ...built.pointer,
    building: null,
    garbage: [],
    next: { generation: built.generation, version: built.projection.version, position, readyAt: at },
  };
}

/** Marks every new generation ready at `position`; the process running the projections switches to them. */
export async function markReady(
  documents: DocumentStore,
  generations: readonly NewGeneration[],
  position: number,
): Promise<void> {
  const at = new Date().toISOString();
  for (const built of generations) await writePointer(documents, readyPointer(built, position, at));
}

/** Makes every new generation live at once (nothing else writes these read models). */
export async function switchTo(
  documents: DocumentStore,
  generations: readonly NewGeneration[],
  position: number,
): Promise<void> {
  for (const built of generations) {
    const at = new Date().toISOString();
    await writePointer(documents, switched(readyPointer(built, position, at), at));
  }
}
