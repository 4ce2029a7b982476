// The request a line is logged for: the API enters a scope per HTTP request, and every line logged while
// the request is handled (by the API, Nest or the runtime) carries its request id.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestScope {
  readonly requestId: string;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();
