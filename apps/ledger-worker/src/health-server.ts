// The worker's one HTTP endpoint, for orchestrators and benchmarks to probe it like the API: GET /health
// answers what the API's /health answers (200 when the store answers, 503 when it does not).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HealthReport } from '@ledger/runtime';

export interface HealthServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function serveHealth(
  health: () => Promise<HealthReport>,
  host: string,
  port: number,
): Promise<HealthServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' || path !== '/health') {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ error: { code: 'HTTP.NOT_FOUND', message: 'Only GET /health is served here' } }),
      );
      return;
    }
    health().then(
      (report) => {
        response.writeHead(report.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' });
        response.end(JSON.stringify(report));
      },
      (error: unknown) => {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { code: 'INTERNAL', message: String(error) } }));
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: listening } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${listening}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
