// The worker's HTTP endpoints, for orchestrators and benchmarks to probe it like the API: GET /health
// answers what the API's /health answers (200 when the store answers, 503 when it does not); GET /metrics the
// Prometheus metrics of the followers it runs, for a key holding `metrics.read` (as the API's).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HealthReport, LedgerMetrics, ScrapeCheck } from '@ledger/runtime';

export interface WorkerMetrics {
  readonly metrics: LedgerMetrics | undefined;
  readonly access: (headers: IncomingMessage['headers']) => Promise<ScrapeCheck>;
}

const sendError = (response: ServerResponse, status: number, code: string, message: string) => {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify({ error: { code, message } }));
};

async function scrape(request: IncomingMessage, response: ServerResponse, served: WorkerMetrics) {
  const check = await served.access(request.headers);
  if (check === 'unauthenticated')
    return sendError(
      response,
      401,
      'AUTH.MISSING_API_KEY',
      'Send an API key (Authorization: Bearer or X-API-Key)',
    );
  if (check === 'forbidden')
    return sendError(response, 403, 'ACCESS.PERMISSION_REQUIRED', 'The role lacks metrics.read');
  if (!served.metrics) return sendError(response, 404, 'METRICS.OFF', 'Metrics are off (LEDGER_METRICS=off)');
  const { contentType, body } = await served.metrics.exposition();
  response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
  response.end(body);
}

export interface HealthServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function serveHealth(
  health: () => Promise<HealthReport>,
  host: string,
  port: number,
  metrics?: WorkerMetrics,
): Promise<HealthServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'GET' && path === '/metrics' && metrics) {
      scrape(request, response, metrics).catch((error: unknown) =>
        sendError(response, 500, 'INTERNAL', String(error)),
      );
      return;
    }
    if (request.method !== 'GET' || path !== '/health') {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          error: { code: 'HTTP.NOT_FOUND', message: 'Only GET /health and GET /metrics are served here' },
        }),
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
