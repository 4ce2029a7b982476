import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { SubjectCommands, uuidV7 } from '@ledger/application';
import { PostgresEventStore } from '@ledger/event-store';
const url = 'postgres://postgres@127.0.0.1:5432/test';
const actor = { userId: 'u', role: 'admin', department: 'd', jurisdiction: '000000' };
function uscc(n: number) {
  const a = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const b = `91350213${String(n).padStart(9, '0')}`;
  const s = [...b].reduce((x, c, i) => x + a.indexOf(c) * w[i]!, 0);
  return b + a[(31 - (s % 31)) % 31];
}
(async () => {
  const schema = 'zzc_' + process.pid;
  const store = await PostgresEventStore.open({ connectionString: url, schema, poolSize: 20 });
  let q = 0;
  const orig = (store as any).pool.query.bind((store as any).pool);
  (store as any).pool.query = (...a: any[]) => {
    q++;
    return orig(...a);
  };
  const commands = new SubjectCommands(store, { policyVersion: '2025-01' });
  const ctx = () => ({ now: new Date().toISOString(), actor, correlationId: uuidV7() });
  const subjects: string[] = [];
  for (let i = 0; i < 800; i++) {
    const id = randomUUID();
    subjects.push(id);
    await commands.execute(
      {
        type: 'RegisterSubject',
        data: {
          subjectId: id,
          kind: 'training_institution',
          name: 'x',
          identifier: uscc(i),
          jurisdiction: '350213',
        },
      } as any,
      ctx(),
    );
  }
  q = 0;
  const n = 6400;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 32 }, async (_, c) => {
      for (let i = 0; i < n / 32; i++)
        await commands.execute(
          {
            type: 'RecordHonour',
            data: {
              subjectId: subjects[c + 32 * (i % 25)]!,
              recordId: uuidV7(),
              title: 't',
              category: 'commendation',
              awardingBody: { name: 'b' },
              awardedOn: '2026-09-10',
            },
          } as any,
          ctx(),
        );
    }),
  );
  const dt = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  console.log(
    `${(n / dt).toFixed(0)} commands/s; ${((cpu.user + cpu.system) / n).toFixed(0)} µs node cpu per command; ${(q / n).toFixed(2)} queries per command`,
  );
  const p = new Pool({ connectionString: url });
  await p.query(`DROP SCHEMA ${schema} CASCADE`);
  await p.end();
  await store.close();
})();
