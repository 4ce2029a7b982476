// One observation per answered request: duration by method, route template (never the URL: a query string
// may hold an ID number, and every URL would be a series of its own) and status.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { LedgerMetrics } from '@ledger/runtime';

export function useHttpMetrics(instance: FastifyInstance, metrics: LedgerMetrics | undefined): void {
  if (!metrics) return;
  instance.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    metrics.observeHttp(
      request.method,
      request.routeOptions.url ?? '(no route)',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });
}
