// OpenTelemetry for the backend, as Backstage's "Setup OpenTelemetry" tutorial sets it up: loaded
// before anything else with `node --require ./instrumentation.js` (the image's CMD), so that
// Backstage's metrics service (`metricsServiceRef`) and the plugins' meters report to this SDK.
// Metrics are served for Prometheus at :9464/metrics (OTEL_EXPORTER_PROMETHEUS_PORT/_HOST).
// Traces and logs are not exported unless OTEL_TRACES_EXPORTER / OTEL_LOGS_EXPORTER say where.
const { isMainThread } = require('node:worker_threads');

if (isMainThread) {
  process.env.OTEL_TRACES_EXPORTER ??= 'none';
  process.env.OTEL_LOGS_EXPORTER ??= 'none';
  const { NodeSDK } = require('@opentelemetry/sdk-node');
  const { PrometheusExporter } = require('@opentelemetry/exporter-prometheus');

  const sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME ?? 'omnivision-portal',
    metricReader: new PrometheusExporter({
      // The exporter listens on localhost by default: Prometheus scrapes the pod from outside.
      host: process.env.OTEL_EXPORTER_PROMETHEUS_HOST ?? '0.0.0.0',
      port: Number(process.env.OTEL_EXPORTER_PROMETHEUS_PORT ?? 9464),
    }),
  });
  sdk.start();
  process.once('SIGTERM', () => void sdk.shutdown());
}
