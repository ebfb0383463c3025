/** Prometheus metrics of one app: request durations and the process's default metrics. */
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** A registry with the HTTP histogram and default process metrics; add your own through `registry`. */
export class Metrics {
  readonly registry = new Registry();
  /** Request durations in seconds, by method, route (operationId, a built-in endpoint's name, or 'unmatched') and status. */
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration in seconds, by method, route (operationId) and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [this.registry],
    });
  }
}
