// `?minPosition=N`: the query waits until every read model has applied position N (read-your-writes),
// whether this process follows the feed or a separate worker does (the runtime's ReadModelProgress).
import { BadRequestException, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { Ledger } from '@ledger/runtime';

const MAX_WAIT_MS = 5_000;

@Injectable()
export class ReadModelFreshness {
  constructor(private readonly ledger: Ledger) {}

  /** Position every read model has applied. */
  position(): Promise<number> {
    return this.ledger.readModels.position();
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
      await this.ledger.readModels.waitFor(position, MAX_WAIT_MS);
    } catch {
      throw new ServiceUnavailableException({
        code: 'READ_MODEL.NOT_CAUGHT_UP',
        message: `Read models have not reached position ${position} within ${MAX_WAIT_MS} ms; retry shortly`,
      });
    }
  }
}
