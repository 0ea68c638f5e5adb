import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { validateChartValues } from '../support/helm-template.js';
import { manifestProblems, unknownFields } from '../support/kubernetes-manifests.js';
import { chartDir, configDocument, find, gatewayContainer, kinds, productionExample, readChartYaml, render, requiredValues } from './chart-support.js';

/**
 * The Helm chart helm/lgsp-gateway without a cluster and without helm: values.schema.json, the
 * templates' references to values, and the manifests rendered by test/support/helm-template.ts
 * (validated against the Kubernetes schemas) for the defaults, the production example and variations.
 * chart-config.test.ts loads the rendered configuration with the gateway's own loader;
 * helm-cli.test.ts runs the real helm where there is one.
 */
type Doc = Record<string, any>;

const defaults = readChartYaml('values.yaml');
const example = productionExample();
const schema = JSON.parse(readFileSync(join(chartDir, 'values.schema.json'), 'utf8')) as Doc;

const apiPeer = [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }];
const networkPolicyOn = {
  networkPolicy: {
    enabled: true,
    ingress: { api: apiPeer, ops: [] },
    egress: {
      postgres: { cidrs: ['10.1.0.10/32'], peers: [], ports: [5432] },
      redis: { cidrs: [], peers: [{ podSelector: { matchLabels: { app: 'redis' } } }], ports: [6379, 26379] },
      keycloak: { cidrs: ['10.2.0.0/24'], peers: [], ports: [443, 8443] },
    },
  },
};

const variations: Array<[string, Array<Record<string, unknown>>, { kubeVersion?: string }?]> = [
  ['the required values only', [requiredValues]],
  ['the production example', [example]],
  ['the production example on Kubernetes 1.29', [example], { kubeVersion: '1.29.3' }],
  ['ingress on', [requiredValues, { ingress: { enabled: true, className: 'nginx', annotations: {}, hosts: [{ host: 'lgsp.example.gov.vn', paths: [{ path: '/', pathType: 'Prefix' }] }], tls: [{ secretName: 'lgsp-tls', hosts: ['lgsp.example.gov.vn'] }] } }]],
  ['autoscaling on', [requiredValues, { autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 5, targetMemoryUtilizationPercentage: 80 } }]],
  ['network policy on', [requiredValues, networkPolicyOn]],
  ['migrations by the pods (no Job)', [requiredValues, { migrations: { enabled: false } }]],
  ['monitoring on', [requiredValues, { metrics: { serviceMonitor: { enabled: true }, prometheusRule: { enabled: true }, dashboard: { enabled: true } } }]],
  ['without redis, console or smtp', [requiredValues, { config: { redis: null } }]],
  ['vault master keys as mounted files', [requiredValues, { secrets: { keys: { vaultMasterKeys: '' }, files: [{ key: 'vault-k2026-01' }] }, config: { vault: { masterKeys: [{ id: 'k2026-01', file: '/run/secrets/lgsp/vault-k2026-01' }] } } }]],
  ['no pre-stop sleep, a PDB by minAvailable, an image digest', [requiredValues, { termination: { preStopSleepSeconds: 0 }, podDisruptionBudget: { maxUnavailable: null, minAvailable: 2 }, image: { digest: `sha256:${'a'.repeat(64)}` } }]],
];

beforeAll(() => {
  // The strict field check reads the models' declarations once (a few seconds).
  unknownFields({}, 'ConfigMap');
}, 60_000);

describe('values.schema.json', () => {
  it('accepts values.yaml, and the production example over it (what helm validates)', () => {
    expect(() => validateChartValues(chartDir, defaults)).not.toThrow();
    expect(() => render([example])).not.toThrow();
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.additionalProperties).toBe(false);
  });

  it.each([
    ['an unknown top-level key', { replicas: 3 }, /additional properties \(replicas\)/],
    ['a typo in the gateway configuration', { config: { server: { prot: 8080 } } }, /additional properties \(prot\)/],
    ['a secret value in the configuration (audit.subjectHashKey)', { config: { audit: { subjectHashKey: 'x'.repeat(40) } } }, /\/config\/audit\/subjectHashKey: must NOT be valid/],
    ['the store URL in the configuration (it comes from the Secret)', { config: { store: { url: 'postgres://lgsp:pw@db/lgsp' } } }, /\/config\/store\/url: must NOT be valid/],
    ['a connector secret written as a value', { config: { connectors: { population: { baseUrl: 'https://ndxp.example.gov.vn/dancu', credentials: { clientId: 'c', accessKey: 'a', appName: 'n', partnerCode: 'p', clientSecret: 'plain' } } } } }, /clientSecret/],
    ['embedded mode', { config: { mode: 'embedded' } }, /\/config\/mode: must be equal to constant/],
    ['another listen address than the chart sets', { config: { server: { opsHost: '127.0.0.1' } } }, /\/config\/server\/opsHost: must be equal to constant/],
    ['a writable root filesystem', { securityContext: { readOnlyRootFilesystem: false } }, /readOnlyRootFilesystem: must be equal to constant/],
    ['capabilities not dropped', { securityContext: { capabilities: { drop: ['NET_RAW'] } } }, /capabilities\/drop: must contain/],
    ['an ingress without TLS', { ingress: { enabled: true, hosts: [{ host: 'a.example', paths: [{ path: '/', pathType: 'Prefix' }] }], tls: [] } }, /\/ingress\/tls: must NOT have fewer than 1 items/],
    ['a PDB with both maxUnavailable and minAvailable', { podDisruptionBudget: { minAvailable: 1 } }, /must match exactly one schema in oneOf/],
    ['no Secret key for the store URL', { secrets: { keys: { storeUrl: '' } } }, /\/secrets\/keys\/storeUrl: must match pattern/],
    ['an egress destination without ports', { networkPolicy: { egress: { postgres: { cidrs: ['10.0.0.1/32'], peers: [], ports: [] } } } }, /postgres\/ports: must NOT have fewer than 1 items/],
    ['a replica count as a string', { replicaCount: '3' }, /\/replicaCount: must be integer/],
  ])('refuses %s', (_name, values, message) => {
    expect(() => render([requiredValues, values])).toThrow(message);
  });
});

describe('templates use only values that exist', () => {
  const templateDir = join(chartDir, 'templates');
  const sources = readdirSync(templateDir).map((file) => [file, readFileSync(join(templateDir, file), 'utf8')] as const);
  /** `.Values.a.b`, and `$x.c` where the same file has `$x := .Values.a.b` (→ a.b.c). */
  const referencedPaths = (text: string): string[] => {
    const direct = [...text.matchAll(/\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)].map((match) => match[1]!.slice(1));
    const aliases = new Map([...text.matchAll(/(\$[A-Za-z0-9_]+)\s*:=\s*\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s*\}\}/g)].map((match) => [match[1]!, match[2]!.slice(1)]));
    const throughAliases = [...text.matchAll(/(\$[A-Za-z0-9_]+)((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)].filter((match) => aliases.has(match[1]!)).map((match) => `${aliases.get(match[1]!)}${match[2]}`);
    return [...direct, ...throughAliases];
  };
  const paths = [...new Set(sources.flatMap(([, text]) => referencedPaths(text)))].sort();

  /** The schema node for a dotted path (through $ref, properties; into the generated config schema). */
  const schemaAt = (path: string): Doc | undefined => {
    let node: Doc | undefined = schema;
    for (const segment of path.split('.')) {
      while (node?.$ref) node = schema.definitions[String(node.$ref).replace('#/definitions/', '')];
      node = node?.properties?.[segment] ?? (typeof node?.additionalProperties === 'object' ? node.additionalProperties : undefined);
      if (!node) return undefined;
    }
    return node;
  };
  const valueAt = (path: string) => path.split('.').reduce<unknown>((node, segment) => (node && typeof node === 'object' && segment in node ? (node as Doc)[segment] : undefined), defaults);
  /** Optional by design: parts of the gateway's configuration values.yaml leaves out, the required values without a default, and minAvailable (instead of maxUnavailable). */
  const optional = new Set(['config.alerting', 'config.auth.issuer', 'config.vault.activeKeyId', 'podDisruptionBudget.minAvailable']);

  it('finds the references (the scan itself works)', () => {
    expect(paths).toEqual(expect.arrayContaining(['replicaCount', 'config.server.port', 'secrets.existingSecret', 'secrets.keys.storeUrl', 'networkPolicy.egress.dns.to', 'metrics.prometheusRule.groups']));
  });

  it('every .Values path of the templates is in values.schema.json', () => {
    expect(paths.filter((path) => !schemaAt(path))).toEqual([]);
  });

  it('and in values.yaml, but for the optional ones', () => {
    expect(paths.filter((path) => valueAt(path) === undefined && !optional.has(path))).toEqual([]);
  });
});

describe.each(variations)('rendered with %s', (_name, values, options) => {
  const chart = render(values, options);

  it('every document is a Kubernetes object that validates (schemas, no unknown field)', () => {
    expect(chart.manifests.length).toBeGreaterThan(4);
    expect(chart.manifests.flatMap((m) => manifestProblems(m.document))).toEqual([]);
  });

  it('renders no Secret: secrets are only referenced', () => {
    expect(chart.manifests.filter((m) => m.document.kind === 'Secret')).toEqual([]);
    for (const template of chart.files.values()) expect(template).not.toMatch(/^kind:\s*Secret\s*$/m);
  });

  it('renders its notes', () => {
    expect(chart.notes).toContain('release lgsp');
  });
});

describe('the Deployment', () => {
  const chart = render([requiredValues, { config: { server: { port: 9090, opsPort: 9400 } } }]);
  const deployment = find(chart, 'Deployment');
  const pod = deployment.spec.template.spec;
  const container = gatewayContainer(chart);

  it('probes the API port: startup and liveness on /healthz, readiness on /readyz', () => {
    expect(container.ports).toEqual([
      { name: 'http', containerPort: 9090, protocol: 'TCP' },
      { name: 'ops', containerPort: 9400, protocol: 'TCP' },
    ]);
    expect(container.startupProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(container.startupProbe.failureThreshold * container.startupProbe.periodSeconds).toBeGreaterThanOrEqual(120);
  });

  it('runs locked down: non-root, read-only root filesystem, no privilege escalation, no capability, RuntimeDefault seccomp, /tmp in memory', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.volumes).toContainEqual({ name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } });
    expect(container.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
  });

  it('mounts the ConfigMap read-only where LGSP_CONFIG points, under the key the ConfigMap has', () => {
    const configPath = container.env.find((variable: Doc) => variable.name === 'LGSP_CONFIG').value as string;
    const mount = container.volumeMounts.find((volumeMount: Doc) => volumeMount.name === 'config');
    expect(mount.readOnly).toBe(true);
    const configMapName = pod.volumes.find((volume: Doc) => volume.name === 'config').configMap.name;
    expect(configPath).toBe(`${mount.mountPath}/config.yaml`);
    expect(Object.keys(find(chart, 'ConfigMap', '-config').data)).toEqual(['config.yaml']);
    expect(find(chart, 'ConfigMap', '-config').metadata.name).toBe(configMapName);
  });

  it('spreads the replicas over zones and nodes, selecting its own pods', () => {
    expect(pod.topologySpreadConstraints.map((constraint: Doc) => constraint.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
    for (const constraint of pod.topologySpreadConstraints) expect(constraint.labelSelector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
  });

  it('selects only gateway pods: the migration Job\'s pods are another component', () => {
    expect(deployment.spec.selector.matchLabels['app.kubernetes.io/component']).toBe('gateway');
    expect(find(chart, 'Job').spec.template.metadata.labels['app.kubernetes.io/component']).toBe('migrations');
    expect(deployment.spec.template.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels);
  });

  it('rolls the pods when the configuration changes, and only then', () => {
    const checksum = (values: Array<Record<string, unknown>>) => find(render(values), 'Deployment').spec.template.metadata.annotations['checksum/config'] as string;
    const base = checksum([requiredValues]);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum([requiredValues, { config: { log: { level: 'debug' } } }])).not.toBe(base);
    expect(checksum([requiredValues, { resources: { requests: { cpu: '2' } } }])).toBe(base);
  });

  it('has the replica count, or none under the autoscaler', () => {
    expect(deployment.spec.replicas).toBe(3);
    expect(find(render([requiredValues, { autoscaling: { enabled: true } }]), 'Deployment').spec.replicas).toBeUndefined();
  });

  it('pins the image by digest when given, else the tag, else the chart appVersion', () => {
    expect(container.image).toBe('lgsp-gateway:0.1.0');
    expect(gatewayContainer(render([requiredValues, { image: { tag: '0.2.0' } }])).image).toBe('lgsp-gateway:0.2.0');
    expect(gatewayContainer(render([requiredValues, { image: { digest: `sha256:${'b'.repeat(64)}` } }])).image).toBe(`lgsp-gateway@sha256:${'b'.repeat(64)}`);
  });
});

describe('graceful termination', () => {
  const grace = (values: Array<Record<string, unknown>>, kubeVersion?: string) => {
    const chart = render([requiredValues, ...values], { kubeVersion });
    return { seconds: find(chart, 'Deployment').spec.template.spec.terminationGracePeriodSeconds as number, lifecycle: gatewayContainer(chart).lifecycle as Doc | undefined };
  };

  it('gives the pre-stop sleep, the request drain, the outbox drain and a margin: 5 + 20 + 10 + 10', () => {
    expect(grace([]).seconds).toBe(45);
  });

  it('follows server.shutdownGraceMs and outbox.shutdownGraceMs, rounding up to whole seconds', () => {
    expect(grace([{ config: { server: { shutdownGraceMs: 45500 }, outbox: { shutdownGraceMs: 1 } } }]).seconds).toBe(5 + 46 + 1 + 10);
    expect(grace([{ config: { server: { shutdownGraceMs: 0 } }, termination: { preStopSleepSeconds: 0, marginSeconds: 3 } }]).seconds).toBe(0 + 0 + 10 + 3);
  });

  it('adds the timestamp authority\'s timeout when checkpoints are timestamped (the last checkpoint is written at shutdown)', () => {
    expect(grace([{ config: { audit: { checkpoints: { tsaUrl: 'https://tsa.example.gov.vn/tsr' } } } }]).seconds).toBe(45 + 5);
    expect(grace([{ config: { audit: { checkpoints: { tsaUrl: 'https://tsa.example.gov.vn/tsr', tsaTimeoutMs: 12500 } } } }]).seconds).toBe(45 + 13);
  });

  it('assumes the gateway\'s own defaults when the configuration leaves the graces out (chart-config.test.ts checks them against the loader)', () => {
    expect(grace([{ config: { server: { shutdownGraceMs: null } } }]).seconds).toBe(5 + 10 + 10 + 10);
  });

  it('waits before SIGTERM with the sleep action from Kubernetes 1.30, with the image\'s node before (no shell in the image)', () => {
    expect(grace([]).lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
    expect(grace([], '1.30.0').lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
    expect(grace([], '1.29.8').lifecycle).toEqual({ preStop: { exec: { command: ['node', '-e', 'setTimeout(() => {}, 5000)'] } } });
    expect(grace([{ termination: { preStopSleepSeconds: 0 } }]).lifecycle).toBeUndefined();
  });
});

describe('secrets', () => {
  const secretEnv = (values: Array<Record<string, unknown>>) =>
    Object.fromEntries(
      (gatewayContainer(render([requiredValues, ...values])).env as Doc[])
        .filter((variable) => variable.valueFrom)
        .map((variable) => [variable.name, `${variable.valueFrom.secretKeyRef.name}/${variable.valueFrom.secretKeyRef.key}`]),
    );

  it('maps the Secret\'s keys to the gateway\'s settings, only for the parts of the configuration in use', () => {
    expect(secretEnv([])).toEqual({
      LGSP__STORE__URL: 'lgsp-gateway-secrets/store-url',
      LGSP__AUDIT__SUBJECT_HASH_KEY: 'lgsp-gateway-secrets/audit-subject-hash-key',
      LGSP__AUDIT__CHECKPOINTS__SIGNING_KEY: 'lgsp-gateway-secrets/audit-checkpoint-signing-key',
      LGSP__VAULT__MASTER_KEYS: 'lgsp-gateway-secrets/vault-master-keys',
      LGSP__REDIS__URL: 'lgsp-gateway-secrets/redis-url',
      LGSP__CACHE__KEY_HASH_KEY: 'lgsp-gateway-secrets/cache-key-hash-key',
      LGSP__CACHE__ENTRY_ENCRYPTION_KEY: 'lgsp-gateway-secrets/cache-entry-encryption-key',
    });
    expect(Object.keys(secretEnv([{ config: { redis: null } }]))).toEqual(['LGSP__STORE__URL', 'LGSP__AUDIT__SUBJECT_HASH_KEY', 'LGSP__AUDIT__CHECKPOINTS__SIGNING_KEY', 'LGSP__VAULT__MASTER_KEYS']);
    const withConsoleAndMail = secretEnv([{ config: { console: { enabled: true }, alerting: { smtp: { host: 'mail.example.gov.vn', port: 587, from: 'a@example.gov.vn' } } }, secrets: { keys: { vaultFingerprintKey: 'fp' }, extraEnv: [{ env: 'LGSP__CONNECTORS__TAX__CREDENTIALS__PASSWORD', key: 'tax-password' }] } }]);
    expect(withConsoleAndMail).toMatchObject({
      LGSP__VAULT__FINGERPRINT_KEY: 'lgsp-gateway-secrets/fp',
      LGSP__CONSOLE__CLIENT_SECRET: 'lgsp-gateway-secrets/console-client-secret',
      LGSP__CONSOLE__SESSION_SECRET: 'lgsp-gateway-secrets/console-session-secret',
      LGSP__ALERTING__SMTP__PASSWORD: 'lgsp-gateway-secrets/smtp-password',
      LGSP__CONNECTORS__TAX__CREDENTIALS__PASSWORD: 'lgsp-gateway-secrets/tax-password',
    });
  });

  it('gives every other variable a plain value: LGSP_CONFIG and the values\' env only', () => {
    for (const [, values, options] of variations) {
      const chart = render(values, options);
      const containers = [gatewayContainer(chart), ...chart.manifests.filter((m) => m.document.kind === 'Job').map((m) => (m.document as Doc).spec.template.spec.containers[0])];
      for (const container of containers) {
        expect((container.env as Doc[]).filter((variable) => !variable.valueFrom).map((variable) => variable.name)).toEqual(['LGSP_CONFIG']);
        expect(container.envFrom).toBeUndefined();
      }
    }
  });

  it('mounts the listed keys as files, read-only, from the same Secret', () => {
    const chart = render([example]);
    const pod = find(chart, 'Deployment').spec.template.spec;
    expect(pod.volumes.find((volume: Doc) => volume.name === 'secret-files').secret).toEqual({
      secretName: 'lgsp-gateway-secrets',
      defaultMode: 0o440,
      items: [
        { key: 'telegram-bot-token', path: 'telegram-bot-token' },
        { key: 'payment-notice-key', path: 'payment-notice-key' },
      ],
    });
    expect(gatewayContainer(chart).volumeMounts).toContainEqual({ name: 'secret-files', mountPath: '/run/secrets/lgsp', readOnly: true });
  });

  it('fails the render without secrets.existingSecret, config.auth.issuer or config.vault.activeKeyId, naming it', () => {
    expect(() => render([])).toThrow(/config\.auth\.issuer: the URL of your Keycloak realm/);
    expect(() => render([{ config: requiredValues.config }])).toThrow(/secrets\.existingSecret: the name of the Secret/);
    expect(() => render([{ ...requiredValues, config: { auth: requiredValues.config.auth } }])).toThrow(/config\.vault\.activeKeyId/);
  });
});

describe('the configuration the chart owns', () => {
  it('listens on 0.0.0.0 (API and ops), sizes redis.replicas to the most replicas that run, and leaves migrations to the Job', () => {
    expect(configDocument(render([requiredValues]))).toMatchObject({ server: { host: '0.0.0.0', opsHost: '0.0.0.0' }, redis: { replicas: 3 }, store: { migrateOnStart: false } });
    expect(configDocument(render([requiredValues, { autoscaling: { enabled: true, minReplicas: 3, maxReplicas: 7 } }])).redis).toEqual({ replicas: 7 });
    expect(configDocument(render([requiredValues, { config: { redis: { replicas: 2 } } }])).redis).toEqual({ replicas: 2 });
    expect((configDocument(render([requiredValues, { migrations: { enabled: false } }])).store as Doc).migrateOnStart).toBeUndefined();
  });

  it('writes big numbers as numbers (not Go\'s 1.34217728e+08)', () => {
    expect((configDocument(render([example])).cache as Doc).maxBytes).toBe(134217728);
  });
});

describe('the migration Job', () => {
  const chart = render([example]);
  const job = find(chart, 'Job');
  const hookConfig = find(chart, 'ConfigMap', '-migrations');

  it('is a pre-install and pre-upgrade hook, after its own ConfigMap, removed once it succeeded', () => {
    expect(job.metadata.annotations).toEqual({ 'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-weight': '0', 'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded' });
    expect(hookConfig.metadata.annotations).toMatchObject({ 'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-weight': '-10' });
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
  });

  it('runs store-migrate with the pods\' configuration, environment, image and security context', () => {
    const container = job.spec.template.spec.containers[0];
    const gateway = gatewayContainer(chart);
    expect(container.command).toEqual(['node', 'dist/scripts/store-migrate.js']);
    expect(container.image).toBe(gateway.image);
    expect(container.env).toEqual(gateway.env);
    expect(container.securityContext).toEqual(gateway.securityContext);
    expect(container.volumeMounts).toEqual(gateway.volumeMounts);
    expect(hookConfig.data).toEqual(find(chart, 'ConfigMap', '-config').data);
    expect(job.spec.template.spec.volumes.find((volume: Doc) => volume.name === 'config').configMap.name).toBe(hookConfig.metadata.name);
    expect(job.spec.template.spec.automountServiceAccountToken).toBe(false);
  });

  it('is not rendered when the pods migrate', () => {
    expect(kinds(render([requiredValues, { migrations: { enabled: false } }])).filter((kind) => kind.includes('migrations'))).toEqual([]);
  });
});

describe('Service, Ingress, ServiceMonitor, dashboard', () => {
  const chart = render([example]);

  it('the Service carries the API and the ops port, selecting the gateway pods', () => {
    const service = find(chart, 'Service');
    expect(service.spec.ports).toEqual([
      { name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' },
      { name: 'ops', port: 9464, targetPort: 'ops', protocol: 'TCP' },
    ]);
    expect(service.spec.selector).toEqual(find(chart, 'Deployment').spec.selector.matchLabels);
  });

  it('the Ingress routes to the API port only, with TLS', () => {
    const ingress = find(chart, 'Ingress');
    expect(ingress.spec.tls).toEqual([{ secretName: 'lgsp-example-gov-vn-tls', hosts: ['lgsp.example.gov.vn'] }]);
    const backends = ingress.spec.rules.flatMap((rule: Doc) => rule.http.paths.map((path: Doc) => path.backend.service.port));
    expect(backends).toEqual([{ name: 'http' }]);
    expect(() => render([requiredValues, { ingress: { enabled: true, hosts: [{ host: 'a.example', paths: [{ path: '/', pathType: 'Prefix' }] }], tls: [] } }])).toThrow();
  });

  it('the ServiceMonitor scrapes /metrics on the ops port of the Service', () => {
    const monitor = find(chart, 'ServiceMonitor');
    expect(monitor.spec.endpoints).toEqual([{ port: 'ops', path: '/metrics', interval: '30s', scrapeTimeout: '10s' }]);
    expect(find(chart, 'Service').metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
    expect(monitor.metadata.labels.release).toBe('kube-prometheus-stack');
  });

  it('the dashboard ConfigMap carries the chart\'s dashboard JSON with Grafana\'s sidecar label', () => {
    const dashboard = find(chart, 'ConfigMap', '-dashboard');
    expect(dashboard.metadata.labels.grafana_dashboard).toBe('1');
    expect(JSON.parse(dashboard.data['lgsp-gateway.json'])).toEqual(JSON.parse(readFileSync(join(chartDir, 'dashboards/lgsp-gateway.json'), 'utf8')));
  });
});

describe('NetworkPolicy', () => {
  const egressOf = (policy: Doc) => policy.spec.egress as Doc[];

  it('lets in the API from the configured peers and the ops port from monitoring, on those ports only', () => {
    const policy = find(render([example]), 'NetworkPolicy', 'gateway');
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.ingress).toEqual([
      { from: example.networkPolicy.ingress.api, ports: [{ port: 'http', protocol: 'TCP' }] },
      { from: example.networkPolicy.ingress.ops, ports: [{ port: 'ops', protocol: 'TCP' }] },
    ]);
  });

  it('lets out exactly DNS and the configured destinations, on their ports', () => {
    const policy = find(render([requiredValues, networkPolicyOn]), 'NetworkPolicy', 'gateway');
    const dns = { to: defaults.networkPolicy.egress.dns.to, ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] };
    const tcp = (ports: number[]) => ports.map((port) => ({ port, protocol: 'TCP' }));
    expect(egressOf(policy)).toEqual([
      dns,
      { to: [{ ipBlock: { cidr: '10.1.0.10/32' } }], ports: tcp([5432]) },
      { to: [{ podSelector: { matchLabels: { app: 'redis' } } }], ports: tcp([6379, 26379]) },
      { to: [{ ipBlock: { cidr: '10.2.0.0/24' } }], ports: tcp([443, 8443]) },
    ]);
    const migrations = find(render([requiredValues, networkPolicyOn]), 'NetworkPolicy', '-migrations');
    expect(migrations.spec.ingress).toEqual([]);
    expect(egressOf(migrations)).toEqual([dns, { to: [{ ipBlock: { cidr: '10.1.0.10/32' } }], ports: tcp([5432]) }]);
  });

  it('in the production example: upstreams, SMTP and the extra rules too', () => {
    const egress = egressOf(find(render([example]), 'NetworkPolicy', 'gateway'));
    const destinations = example.networkPolicy.egress;
    expect(egress.slice(1, 6).map((rule) => rule.ports)).toEqual(['postgres', 'redis', 'keycloak', 'smtp', 'upstreams'].map((name) => destinations[name].ports.map((port: number) => ({ port, protocol: 'TCP' }))));
    expect(egress.slice(6)).toEqual(destinations.extra);
  });

  it('fails the render when a destination the configuration uses lists nothing, or nobody may call the API', () => {
    const without = (name: string) => ({ networkPolicy: { egress: { [name]: { cidrs: [], peers: [], ports: [1] } } } });
    expect(() => render([requiredValues, networkPolicyOn, without('redis')])).toThrow(/networkPolicy\.egress\.redis: the configuration needs it/);
    expect(() => render([requiredValues, networkPolicyOn, without('postgres')])).toThrow(/networkPolicy\.egress\.postgres/);
    expect(() => render([example, without('smtp')])).toThrow(/networkPolicy\.egress\.smtp/);
    expect(() => render([example, without('upstreams')])).toThrow(/networkPolicy\.egress\.upstreams/);
    expect(() => render([requiredValues, networkPolicyOn, { networkPolicy: { ingress: { api: [] } } }])).toThrow(/networkPolicy\.ingress\.api/);
    // Prometheus scraping through a ServiceMonitor needs a way in to the ops port, or the alert rules go quiet.
    expect(() => render([example, { networkPolicy: { ingress: { ops: [] } } }])).toThrow(/networkPolicy\.ingress\.ops: list Prometheus/);
    expect(() => render([example, { networkPolicy: { ingress: { ops: [] } }, metrics: { serviceMonitor: { enabled: false } } }])).not.toThrow();
    // Without redis in the configuration, no redis destination is needed.
    expect(() => render([requiredValues, networkPolicyOn, without('redis'), { config: { redis: null } }])).not.toThrow();
  });
});

describe('PodDisruptionBudget and HorizontalPodAutoscaler', () => {
  it('the PDB lets one pod go at a time, selecting the Deployment\'s pods', () => {
    const chart = render([requiredValues]);
    const pdb = find(chart, 'PodDisruptionBudget');
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: find(chart, 'Deployment').spec.selector.matchLabels } });
  });

  it('refuses a minAvailable that would block every node drain', () => {
    expect(find(render([requiredValues, { podDisruptionBudget: { maxUnavailable: null, minAvailable: 2 } }]), 'PodDisruptionBudget').spec.minAvailable).toBe(2);
    expect(() => render([requiredValues, { podDisruptionBudget: { maxUnavailable: null, minAvailable: 3 } }])).toThrow(/podDisruptionBudget\.minAvailable must be below the replica count/);
    expect(() => render([requiredValues, { autoscaling: { enabled: true, minReplicas: 2 }, podDisruptionBudget: { maxUnavailable: null, minAvailable: 2 } }])).toThrow(/minAvailable/);
  });

  it('the HPA scales the Deployment between min and max on CPU (and memory when asked)', () => {
    const chart = render([requiredValues, { autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 5, targetMemoryUtilizationPercentage: 80 } }]);
    const hpa = find(chart, 'HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: find(chart, 'Deployment').metadata.name });
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([2, 5]);
    expect(hpa.spec.metrics.map((metric: Doc) => [metric.resource.name, metric.resource.target.averageUtilization])).toEqual([['cpu', 70], ['memory', 80]]);
    expect(() => render([requiredValues, { autoscaling: { enabled: true, minReplicas: 4, maxReplicas: 3 } }])).toThrow(/maxReplicas must be at least/);
  });

  it('renders only what is switched on', () => {
    expect(kinds(render([requiredValues])).map((kind) => kind.split('/')[0]).sort()).toEqual(['ConfigMap', 'ConfigMap', 'Deployment', 'Job', 'PodDisruptionBudget', 'Service', 'ServiceAccount']);
    expect(kinds(render([requiredValues, { podDisruptionBudget: { enabled: false }, serviceAccount: { create: false } }])).map((kind) => kind.split('/')[0]).sort()).toEqual(['ConfigMap', 'ConfigMap', 'Deployment', 'Job', 'Service']);
  });
});

describe('the chart\'s own files', () => {
  it('Chart.yaml: apiVersion v2, appVersion = the gateway\'s version', () => {
    const chartYaml = readChartYaml('Chart.yaml');
    const packageJson = JSON.parse(readFileSync(join(chartDir, '../../package.json'), 'utf8')) as { version: string };
    expect(chartYaml).toMatchObject({ apiVersion: 'v2', name: 'lgsp-gateway', type: 'application', appVersion: packageJson.version });
  });

  it('the README documents every value group and every Secret key', () => {
    const readme = readFileSync(join(chartDir, 'README.md'), 'utf8');
    for (const key of Object.keys(defaults)) expect(readme).toContain(`\`${key}`);
    for (const key of Object.values(defaults.secrets.keys as Record<string, string>).filter(Boolean)) expect(readme).toContain(`\`${key}\``);
    for (const section of ['helm install', 'helm upgrade', 'helm rollback']) expect(readme).toContain(section);
  });

  it('the production example is plain YAML with no secret value', () => {
    const text = readFileSync(join(chartDir, 'values-production.example.yaml'), 'utf8');
    expect(() => parseYaml(text)).not.toThrow();
    expect(text).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY|postgres(ql)?:\/\/[^@\s]*:[^@\s]*@|redis:\/\/:[^@\s]+@/);
  });
});
