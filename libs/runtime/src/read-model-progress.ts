// How far the read models are: where they are followed in this process, the runner says so at once;
// where another process follows them (apps/ledger-worker), their stored checkpoints tell.
import { allProjections, type DocumentStore, type ProjectionRunner } from '@ledger/projections';

export interface ReadModelProgress {
  /** Position every read model has applied. */
  position(): Promise<number>;
  /** Resolves once every read model has applied `position`; rejects after `timeoutMs`. */
  waitFor(position: number, timeoutMs: number): Promise<void>;
}

const CHECKPOINT_POLL_MS = 10;

export function followedHere(runner: ProjectionRunner): ReadModelProgress {
  return {
    position: async () => runner.position,
    waitFor: (position, timeoutMs) => runner.waitFor(position, timeoutMs),
  };
}

export function followedElsewhere(documents: DocumentStore): ReadModelProgress {
  const position = async (): Promise<number> => {
    const checkpoints = await Promise.all(allProjections.map((p) => documents.checkpoint(p.name)));
    return Math.min(...checkpoints.map((c) => c?.position ?? 0));
  };
  return {
    position,
    async waitFor(wanted, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while ((await position()) < wanted) {
        if (Date.now() > deadline) throw new Error(`Read models did not reach position ${wanted}`);
        await new Promise((resolve) => setTimeout(resolve, CHECKPOINT_POLL_MS));
      }
    },
  };
}
