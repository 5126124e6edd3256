// The image's HEALTHCHECK (Docker / docker compose only; Kubernetes uses its own probes).
// The slim Node image has neither curl nor wget, so Node's fetch asks the service itself.
//   node deploy/healthcheck.js [path]        default path: /health/ready
// PORT comes from the environment; when it is not set, the service listens on the default of its
// config class (apps/<svc>/src/*.config.ts), mirrored here. tools/deploy-check checks the mirror.
'use strict';

const DEFAULT_PORTS = {
  'order-service': 3001,
  'after-sales-service': 3002,
  'refund-service': 3003,
  'warehouse-adapter': 3004,
  'settlement-service': 3005,
};

module.exports = { DEFAULT_PORTS };

if (require.main === module) {
  const port = Number(process.env.PORT || DEFAULT_PORTS[process.env.SERVICE] || 3000);
  const path = process.argv[2] || '/health/ready';
  fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(4000) }).then(
    (res) => process.exit(res.ok ? 0 : 1),
    () => process.exit(1),
  );
}
