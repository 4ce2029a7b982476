// An API process that does not follow the feed (LEDGER_WORKERS=off) beside a worker that does: reads with
// ?minPosition= wait on the worker's stored checkpoints, and /health reports them.
import { startLedger, type RunningLedger } from '../support/ledger-app';

describe.each(['sqlite', 'postgres'] as const)(
  'an API-only process with a separate worker (%s)',
  (backend) => {
    let worker: RunningLedger;
    let api: RunningLedger;
    beforeAll(async () => {
      worker = await startLedger(backend);
      api = await startLedger(backend, {
        runWorkers: false,
        dataDir: worker.config.dataDir,
        databaseSchema: worker.config.databaseSchema,
      });
    });
    afterAll(async () => {
      await api?.stop();
      await worker?.stop();
    });

    it('answers a command, then reads it back once the worker has applied it', async () => {
      const created = await api.request('POST', '/api/v1/subjects', {
        kind: 'school',
        name: '哈尔滨某学校',
        identifier: '11230500001755309F',
        jurisdiction: '230500',
      });
      expect(created.status).toBe(201);
      const status = await api.request(
        'GET',
        `/api/v1/subjects/${created.body.subjectId}?minPosition=${created.body.position}`,
      );
      expect(status.status).toBe(200);
      expect(status.body.status.subject.name).toBe('哈尔滨某学校');
      const health = await api.request('GET', '/health');
      expect(health.body.readModels.position).toBeGreaterThanOrEqual(created.body.position);
    });
  },
);
