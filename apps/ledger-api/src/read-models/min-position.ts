// `?minPosition=N`: the query waits until every read model has applied position N (read-your-writes).
// Where the read models are followed in this process, the runner says so at once; where another process
// (apps/ledger-worker) follows them, their stored checkpoints tell.
import { BadRequestException, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { allProjections, ProjectionRunner, type DocumentStore } from '@ledger/projections';
import { LEDGER_CONFIG, type LedgerConfig } from '../config/ledger-config';
import { DOCUMENT_STORE } from './read-models.module';

const MAX_WAIT_MS = 5_000;
const CHECKPOINT_POLL_MS = 10;

@Injectable()
export class ReadModelFreshness {
  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  /** Position every read model has applied. */
  async position(): Promise<number> {
    if (this.config.runWorkers) return this.runner.position;
    const checkpoints = await Promise.all(allProjections.map((p) => this.documents.checkpoint(p.name)));
    return Math.min(...checkpoints.map((c) => c?.position ?? 0));
  }

  async waitFor(minPosition: string | undefined): Promise<void> {
    if (minPosition === undefined || minPosition === '') return;
    const position = Number(minPosition);
    if (!Number.isSafeInteger(position) || position < 0) {
      throw new BadRequestException({
        code: 'INPUT.VALIDATION_FAILED',
        message: 'minPosition must be a non-negative integer',
        fields: [{ field: 'minPosition', reasons: ['minPosition must be a non-negative integer'] }],
      });
    }
    try {
      if (this.config.runWorkers) await this.runner.waitFor(position, MAX_WAIT_MS);
      else await this.pollCheckpoints(position);
    } catch {
      throw new ServiceUnavailableException({
        code: 'READ_MODEL.NOT_CAUGHT_UP',
        message: `Read models have not reached position ${position} within ${MAX_WAIT_MS} ms; retry shortly`,
      });
    }
  }

  private async pollCheckpoints(position: number): Promise<void> {
    const deadline = Date.now() + MAX_WAIT_MS;
    while ((await this.position()) < position) {
      if (Date.now() > deadline) throw new Error('not caught up');
      await new Promise((resolve) => setTimeout(resolve, CHECKPOINT_POLL_MS));
    }
  }
}
