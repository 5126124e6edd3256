import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { TOPICS, deadLetterTopic } from '@aftersales/contracts';
import { ServiceConfig, validateConfig } from '@aftersales/service-kit';

// Keeps deploy/ and docker-compose.yml honest against the code: every service in apps/ is
// deployed with the port and schema its config class defaults to, every topic in libs/contracts
// exists as a KafkaTopic, compose gives each service a configuration its config class accepts,
// and the image runs as a non-root user. Pure file checks (no Docker, no cluster); the kustomize
// builds run only where kubectl is installed.
const root = join(__dirname, '../..');
const rel = (p: string) => relative(root, p);

// ---------------------------------------------------------------------------------------------
// Reading
type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function filesUnder(dir: string, match: (name: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path, match);
    return match(name) ? [path] : [];
  });
}

function parseYaml(path: string): Doc[] {
  // merge: docker compose files use YAML merge keys (<<: *anchor).
  const docs = parseAllDocuments(readFileSync(path, 'utf8'), { merge: true });
  for (const doc of docs) {
    if (doc.errors.length > 0)
      throw new Error(`${rel(path)}: ${doc.errors.map((e) => e.message).join('; ')}`);
  }
  return docs
    .map((d) => d.toJSON() as Doc | null)
    .filter((d): d is Doc => d !== null && typeof d === 'object');
}

const deployDir = join(root, 'deploy');
const yamlFiles = [...filesUnder(deployDir, (n) => /\.ya?ml$/.test(n)), join(root, 'docker-compose.yml')];
const parsed = new Map<string, Doc[]>();
const parseErrors: string[] = [];
for (const file of yamlFiles) {
  try {
    parsed.set(file, parseYaml(file));
  } catch (e) {
    parseErrors.push((e as Error).message);
  }
}
const docsUnder = (dir: string) => [...parsed].filter(([f]) => f.startsWith(dir)).flatMap(([, docs]) => docs);
const k8sBase = join(deployDir, 'k8s/base');
const baseDocs = docsUnder(k8sBase + '/');
const byKind = (docs: Doc[], kind: string) => docs.filter((d) => d.kind === kind);
const named = (docs: Doc[], kind: string, name: string) =>
  byKind(docs, kind).find((d) => d.metadata?.name === name);

// The services: every folder of apps/, with its config class's defaults (the class is the truth).
type ConfigClass = new () => ServiceConfig;
function configClassOf(service: string): ConfigClass {
  const srcDir = join(root, 'apps', service, 'src');
  const file = readdirSync(srcDir).find((n) => n.endsWith('.config.ts'));
  if (!file) throw new Error(`apps/${service}/src has no *.config.ts`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(join(srcDir, file)) as Record<string, unknown>;
  const cls = Object.values(mod).find((v) => typeof v === 'function' && v.prototype instanceof ServiceConfig);
  if (!cls) throw new Error(`apps/${service}/src/${file} exports no ServiceConfig subclass`);
  return cls as ConfigClass;
}
const services = readdirSync(join(root, 'apps')).filter((n) =>
  existsSync(join(root, 'apps', n, 'package.json')),
);
const config = Object.fromEntries(
  services.map((s) => {
    const cls = configClassOf(s);
    const defaults = new cls();
    return [s, { cls, port: defaults.PORT, schema: defaults.DATABASE_SCHEMA as string | undefined }];
  }),
);

// Fake secret values: the checks are about names and shapes, not about secrets.
const SECRET_VALUES: Record<string, string> = {
  DATABASE_URL: 'postgres://user:password@postgres.example:5432/aftersales',
  AUTH_JWT_SECRET: 'a-secret-of-at-least-16-chars',
};

it('reads every YAML file under deploy/ and docker-compose.yml', () => {
  expect(parseErrors).toEqual([]);
  expect(services.length).toBeGreaterThanOrEqual(5);
  expect(yamlFiles.length).toBeGreaterThan(5);
});

// ---------------------------------------------------------------------------------------------
describe('Kubernetes base', () => {
  const kustomization = parseYaml(join(k8sBase, 'kustomization.yaml'))[0]!;
  const generatedConfig = (kustomization.configMapGenerator as Doc[]).find(
    (g) => g.name === 'aftersales-config',
  );
  const configLiterals: Record<string, string> = Object.fromEntries(
    ((generatedConfig?.literals ?? []) as string[]).map((l) => [
      l.slice(0, l.indexOf('=')),
      l.slice(l.indexOf('=') + 1),
    ]),
  );

  it('lists only files that exist, and every manifest under base/ is listed', () => {
    const listed = (kustomization.resources as string[]).map((r) => join(k8sBase, r));
    for (const file of listed) expect(existsSync(file) ? file : `missing: ${rel(file)}`).toBe(file);
    const onDisk = filesUnder(k8sBase, (n) => n.endsWith('.yaml') && n !== 'kustomization.yaml');
    expect(onDisk.filter((f) => !listed.includes(f)).map(rel)).toEqual([]);
  });

  it('generates the shared ConfigMap with production settings and the Kafka brokers', () => {
    expect(configLiterals.NODE_ENV).toBe('production');
    expect(configLiterals.KAFKA_BROKERS).toMatch(/^[^\s,]+:\d+(,[^\s,]+:\d+)*$/);
  });

  describe.each(services)('%s', (service) => {
    const { cls, port, schema } = config[service]!;
    const deployment = named(baseDocs, 'Deployment', service);
    const container = deployment?.spec?.template?.spec?.containers?.[0] as Doc | undefined;
    const namedPort = (p: unknown) =>
      typeof p === 'number'
        ? p
        : (container?.ports as Doc[] | undefined)?.find((cp) => cp.name === p)?.containerPort;

    it('has a Deployment of 2 replicas whose container listens on the port of its config class', () => {
      expect(deployment).toBeDefined();
      expect(deployment!.spec.replicas).toBe(2);
      for (const [k, v] of Object.entries(deployment!.spec.selector.matchLabels as Record<string, string>)) {
        expect(deployment!.spec.template.metadata.labels[k]).toBe(v);
      }
      expect(container!.ports.map((p: Doc) => p.containerPort)).toContain(port);
    });

    it('probes /health/ready for readiness and /health/live for liveness, on that port', () => {
      expect(container!.readinessProbe.httpGet.path).toBe('/health/ready');
      expect(container!.livenessProbe.httpGet.path).toBe('/health/live');
      expect(namedPort(container!.readinessProbe.httpGet.port)).toBe(port);
      expect(namedPort(container!.livenessProbe.httpGet.port)).toBe(port);
      if (container!.startupProbe) expect(container!.startupProbe.httpGet.path).toBe('/health/live');
    });

    it('sets resources, runs as non-root on a read-only root filesystem, and is scraped by Prometheus', () => {
      expect(container!.resources.requests).toEqual(
        expect.objectContaining({ cpu: expect.anything(), memory: expect.anything() }),
      );
      expect(container!.resources.limits).toEqual(expect.objectContaining({ memory: expect.anything() }));
      const pod = deployment!.spec.template.spec;
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(pod.securityContext.runAsUser).not.toBe(0);
      expect(container!.securityContext.readOnlyRootFilesystem).toBe(true);
      expect(container!.securityContext.allowPrivilegeEscalation).toBe(false);
      const annotations = deployment!.spec.template.metadata.annotations;
      expect(annotations['prometheus.io/scrape']).toBe('true');
      expect(annotations['prometheus.io/path']).toBe('/metrics');
      expect(Number(annotations['prometheus.io/port'])).toBe(port);
    });

    it('takes DATABASE_URL and AUTH_JWT_SECRET from Secrets, the rest from the ConfigMap, and the result validates', () => {
      const env = container!.env as Doc[];
      const secretKey = (name: string) => env.find((e) => e.name === name)?.valueFrom?.secretKeyRef?.key;
      expect(secretKey('DATABASE_URL')).toBe('DATABASE_URL');
      expect(secretKey('AUTH_JWT_SECRET')).toBe('AUTH_JWT_SECRET');
      expect((container!.envFrom as Doc[]).map((e) => e.configMapRef?.name)).toContain('aftersales-config');

      const plain = Object.fromEntries(env.filter((e) => 'value' in e).map((e) => [e.name, String(e.value)]));
      expect(plain.SERVICE).toBe(service);
      const effective = { ...configLiterals, ...SECRET_VALUES, ...plain };
      const validated = validateConfig(cls, effective);
      expect(validated.PORT).toBe(port);
      if (schema) expect(validated.DATABASE_SCHEMA).toBe(schema);
    });

    it('has a Service on that port, a PodDisruptionBudget and a HorizontalPodAutoscaler', () => {
      const svc = named(baseDocs, 'Service', service);
      expect(svc).toBeDefined();
      expect(svc!.spec.selector).toEqual(deployment!.spec.selector.matchLabels);
      const [svcPort] = svc!.spec.ports as Doc[];
      expect(svcPort!.port).toBe(port);
      expect(namedPort(svcPort!.targetPort)).toBe(port);

      const pdb = named(baseDocs, 'PodDisruptionBudget', service);
      expect(pdb?.spec.selector.matchLabels).toEqual(deployment!.spec.selector.matchLabels);
      const hpa = named(baseDocs, 'HorizontalPodAutoscaler', service);
      expect(hpa?.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: service });
      expect(hpa!.spec.minReplicas).toBeGreaterThanOrEqual(2);
    });

    it('has a migration job template with the same configuration as the Deployment', () => {
      const cron = named(baseDocs, 'CronJob', `${service}-migrate`);
      expect(cron?.spec.suspend).toBe(true);
      const job = cron!.spec.jobTemplate.spec.template.spec.containers[0] as Doc;
      expect(job.command).toEqual(['node', 'deploy/migrate.js']);
      expect(job.env).toEqual(container!.env);
      expect(job.envFrom).toEqual(container!.envFrom);
      expect(job.image).toBe(container!.image);
    });
  });

  it('deploys nothing that is not a service in apps/', () => {
    expect(
      byKind(baseDocs, 'Deployment')
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual([...services].sort());
  });
});

// ---------------------------------------------------------------------------------------------
describe('Kubernetes overlays', () => {
  const overlays = readdirSync(join(deployDir, 'k8s/overlays'));

  it.each(overlays)('%s builds on the base and pins a namespace and an image tag', (overlay) => {
    const k = parseYaml(join(deployDir, 'k8s/overlays', overlay, 'kustomization.yaml'))[0]!;
    expect(k.resources).toContain('../../base');
    expect(k.namespace).toEqual(expect.any(String));
    const image = (k.images as Doc[]).find((i) => i.name === 'aftersales/platform');
    expect(image?.newTag ?? image?.digest).toBeTruthy();
  });

  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
  const dirs = ['k8s/base', ...overlays.map((o) => `k8s/overlays/${o}`), 'k8s/kafka', 'k8s/monitoring'];
  (kubectl ? it.each(dirs) : it.skip.each(dirs))('kubectl kustomize deploy/%s builds', (dir) => {
    const run = spawnSync('kubectl', ['kustomize', join(deployDir, dir)], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
describe('Kafka (Strimzi)', () => {
  const kafkaDocs = docsUnder(join(deployDir, 'k8s/kafka') + '/');
  const cluster = byKind(kafkaDocs, 'Kafka')[0];
  const topics = new Map(
    byKind(kafkaDocs, 'KafkaTopic').map((t) => [(t.spec?.topicName ?? t.metadata.name) as string, t]),
  );
  const expected = [...Object.keys(TOPICS), ...services.map((s) => deadLetterTopic(s))];

  it('runs a KRaft cluster with node pools', () => {
    expect(cluster?.metadata.annotations).toEqual(
      expect.objectContaining({ 'strimzi.io/kraft': 'enabled', 'strimzi.io/node-pools': 'enabled' }),
    );
    const pools = byKind(kafkaDocs, 'KafkaNodePool');
    expect(pools.flatMap((p) => p.spec.roles)).toEqual(expect.arrayContaining(['controller', 'broker']));
    for (const pool of pools) expect(pool.metadata.labels['strimzi.io/cluster']).toBe(cluster!.metadata.name);
  });

  it.each(expected)('has a KafkaTopic for %s: replication 3, min.insync.replicas 2, a retention', (name) => {
    const topic = topics.get(name);
    expect(topic).toBeDefined();
    expect(topic!.metadata.labels['strimzi.io/cluster']).toBe(cluster!.metadata.name);
    expect(topic!.spec.partitions).toBeGreaterThan(0);
    expect(topic!.spec.replicas).toBe(3);
    expect(String(topic!.spec.config['min.insync.replicas'])).toBe('2');
    expect(Number(topic!.spec.config['retention.ms'])).toBeGreaterThan(0);
  });

  it('has no KafkaTopic the contracts do not know', () => {
    expect([...topics.keys()].filter((t) => !expected.includes(t))).toEqual([]);
  });

  it('points the services at the cluster bootstrap service', () => {
    const kustomization = parseYaml(join(k8sBase, 'kustomization.yaml'))[0]!;
    const literals = (kustomization.configMapGenerator as Doc[]).flatMap((g) => g.literals as string[]);
    expect(literals).toContain(
      `KAFKA_BROKERS=${cluster!.metadata.name}-kafka-bootstrap.kafka.svc.cluster.local:9092`,
    );
  });
});

// ---------------------------------------------------------------------------------------------
describe('Prometheus rules', () => {
  const rules = byKind(docsUnder(join(deployDir, 'k8s/monitoring') + '/'), 'PrometheusRule');
  const exprs = rules.flatMap((r) =>
    (r.spec.groups as Doc[]).flatMap((g) => (g.rules as Doc[]).map((x) => String(x.expr))),
  );

  it.each([
    'outbox_backlog',
    'outbox_oldest_unpublished_age_seconds',
    'dlq_messages_total',
    'kafka_consumer_lag',
    'inbox_failed_total',
    'http_request_duration_seconds',
  ])('alerts on %s', (metric) => {
    expect(exprs.some((e) => new RegExp(`\\b${metric}(_bucket|_count)?\\b`).test(e))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
describe('docker-compose.yml', () => {
  const compose = parsed.get(join(root, 'docker-compose.yml'))?.[0] ?? {};
  const composeServices = (compose.services ?? {}) as Record<string, Doc>;

  // Compose's own interpolation, enough for this file: ${VAR:-default}, ${VAR} and $$.
  const interpolate = (value: unknown) =>
    String(value)
      .replace(
        /\$\{(\w+)(?::?-([^}]*))?\}/g,
        (_, name: string, fallback?: string) => process.env[name] ?? fallback ?? '',
      )
      .replace(/\$\$/g, '$');

  it('runs PostgreSQL 15 and Apache Kafka in KRaft mode with health checks', () => {
    expect(composeServices.postgres?.image).toMatch(/^postgres:15/);
    expect(composeServices.kafka?.image).toMatch(/^apache\/kafka:/);
    expect(composeServices.kafka?.environment?.KAFKA_PROCESS_ROLES).toContain('controller');
    expect(composeServices.postgres?.healthcheck).toBeDefined();
    expect(composeServices.kafka?.healthcheck).toBeDefined();
  });

  it('creates every topic and every dead-letter topic', () => {
    const script = [composeServices['kafka-init']?.command].flat().join('\n');
    for (const topic of Object.keys(TOPICS)) expect(script).toContain(topic);
    for (const service of services) expect(script).toContain(service);
    expect(script).toContain('dlq.');
  });

  describe.each(services)('%s', (service) => {
    const { cls, port, schema } = config[service]!;
    const svc = composeServices[service];
    const env = Object.fromEntries(
      Object.entries((svc?.environment ?? {}) as Record<string, unknown>).map(([k, v]) => [
        k,
        interpolate(v),
      ]),
    );

    it('is built from deploy/Dockerfile and selected with SERVICE', () => {
      expect(svc).toBeDefined();
      expect(svc!.build?.dockerfile).toBe('deploy/Dockerfile');
      expect(env.SERVICE).toBe(service);
    });

    it('has the variables its config class requires, and they validate', () => {
      expect(env.DATABASE_URL).toBeTruthy();
      expect(env.KAFKA_BROKERS).toBeTruthy();
      expect(env.AUTH_JWT_SECRET || env.AUTH_JWKS_URL).toBeTruthy();
      if (!schema) expect(env.DATABASE_SCHEMA).toBeTruthy();
      const validated = validateConfig(cls, env);
      expect(validated.NODE_ENV).toBe('production');
      expect(validated.PORT).toBe(Number(env.PORT ?? port));
      expect((svc!.ports as string[]).some((p) => String(p).endsWith(`:${validated.PORT}`))).toBe(true);
    });

    it('waits for healthy PostgreSQL and Kafka and for the topics', () => {
      expect(svc!.depends_on).toEqual(
        expect.objectContaining({
          postgres: { condition: 'service_healthy' },
          kafka: { condition: 'service_healthy' },
          'kafka-init': { condition: 'service_completed_successfully' },
        }),
      );
    });
  });

  it('runs no service that is not in apps/ besides the infrastructure', () => {
    const extra = Object.keys(composeServices).filter((s) => !services.includes(s));
    expect(extra.sort()).toEqual(['kafka', 'kafka-init', 'postgres']);
  });
});

// ---------------------------------------------------------------------------------------------
describe('deploy/Dockerfile', () => {
  const dockerfilePath = join(deployDir, 'Dockerfile');
  const dockerfile = existsSync(dockerfilePath) ? readFileSync(dockerfilePath, 'utf8') : '';
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages = instructions.filter((l) => /^FROM\s/i.test(l));
  const finalStage = instructions.slice(instructions.lastIndexOf(stages[stages.length - 1]!));

  it('exists and is multi-stage on node:20-bookworm-slim', () => {
    expect(dockerfile).not.toBe('');
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/ARG NODE_IMAGE=node:20-bookworm-slim/);
  });

  it('runs the final stage as a non-root user, in production mode, with a health check', () => {
    const users = finalStage.filter((l) => /^USER\s/i.test(l)).map((l) => l.split(/\s+/)[1]!);
    expect(users.length).toBeGreaterThan(0);
    const user = users[users.length - 1]!.split(':')[0]!;
    expect(['root', '0']).not.toContain(user);
    expect(finalStage.some((l) => /^ENV\s.*NODE_ENV=production/.test(l))).toBe(true);
    expect(finalStage.some((l) => /^HEALTHCHECK\s/.test(l))).toBe(true);
  });

  it('copies the package.json of every workspace before npm ci (npm ci needs them all)', () => {
    const workspaces = ['apps', 'libs'].flatMap((group) =>
      readdirSync(join(root, group))
        .filter((n) => existsSync(join(root, group, n, 'package.json')))
        .map((n) => `${group}/${n}/package.json`),
    );
    for (const manifest of workspaces) expect(dockerfile).toContain(`COPY ${manifest} ${dirname(manifest)}/`);
  });

  it("its health check knows every service's default port", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { DEFAULT_PORTS } = require(join(deployDir, 'healthcheck.js')) as {
      DEFAULT_PORTS: Record<string, number>;
    };
    expect(DEFAULT_PORTS).toEqual(Object.fromEntries(services.map((s) => [s, config[s]!.port])));
  });
});
