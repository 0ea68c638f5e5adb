import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { manifestProblems } from '../support/kubernetes-manifests.js';
import { chartDir, productionExample, render, requiredValues } from './chart-support.js';

/**
 * The real check of the chart: `helm lint` and `helm template` with the chart's tests' values, and
 * helm's manifests compared with those of the test renderer (test/support/helm-template.ts): same
 * objects, same content (the ConfigMap's file compared as data, the config checksum left out: the two
 * serialize YAML differently). Runs where a helm binary is on PATH; where there is none it says so, in
 * its name and on the console, and checks nothing else.
 */
type Doc = Record<string, any>;

const probe = spawnSync('helm', ['version', '--short'], { encoding: 'utf8' });
const helmAvailable = !probe.error && probe.status === 0;
const notOnPath = 'helm not on PATH: helm lint/template not run; install helm to run them';

if (!helmAvailable) {
  describe('helm CLI', () => {
    it(notOnPath, () => {
      console.warn(notOnPath);
      expect(helmAvailable).toBe(false);
    });
  });
} else {
  const cases: Array<[string, Array<Record<string, unknown>>, string]> = [
    ['the required values', [requiredValues], '1.31.0'],
    ['the production example', [productionExample()], '1.31.0'],
    ['the production example on Kubernetes 1.29', [productionExample()], '1.29.0'],
    ['monitoring on', [requiredValues, { metrics: { serviceMonitor: { enabled: true }, prometheusRule: { enabled: true }, dashboard: { enabled: true } } }], '1.31.0'],
    ['migrations by the pods, no redis, autoscaling', [requiredValues, { migrations: { enabled: false }, config: { redis: null }, autoscaling: { enabled: true } }], '1.31.0'],
  ];

  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lgsp-helm-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const valueFiles = (name: string, values: Array<Record<string, unknown>>) =>
    values.flatMap((value, index) => {
      const file = join(dir, `${name.replace(/\W+/g, '-')}-${index}.json`);
      writeFileSync(file, JSON.stringify(value));
      return ['-f', file];
    });

  /** A manifest in comparable form: the config file parsed, the checksum left out. */
  const comparable = (document: Doc): Doc => {
    const copy = structuredClone(document);
    if (copy.kind === 'ConfigMap' && typeof copy.data?.['config.yaml'] === 'string') copy.data['config.yaml'] = parseYaml(copy.data['config.yaml']);
    if (copy.kind === 'ConfigMap' && typeof copy.data?.['lgsp-gateway.json'] === 'string') copy.data['lgsp-gateway.json'] = JSON.parse(copy.data['lgsp-gateway.json']);
    delete copy.spec?.template?.metadata?.annotations?.['checksum/config'];
    return copy;
  };
  const key = (document: Doc) => `${document.kind}/${document.metadata?.name}`;

  describe(`helm CLI (${probe.stdout.trim()})`, () => {
    // Not --strict: it renders with missingkey=error, and the templates read optional parts of `config` that may be absent.
    // --kube-version only where this helm's lint has it (it came to lint after template).
    const lintKnowsKubeVersion = spawnSync('helm', ['lint', '--help'], { encoding: 'utf8' }).stdout.includes('--kube-version');
    it.each(cases)('helm lint passes with %s', (name, values, kubeVersion) => {
      const lint = spawnSync('helm', ['lint', chartDir, ...(lintKnowsKubeVersion ? ['--kube-version', kubeVersion] : []), ...valueFiles(name, values)], { encoding: 'utf8' });
      expect({ status: lint.status, output: `${lint.stdout}${lint.stderr}` }).toEqual({ status: 0, output: expect.stringContaining('0 chart(s) failed') });
    });

    it.each(cases)('helm template with %s renders what the test renderer renders, and every manifest validates', (name, values, kubeVersion) => {
      const template = spawnSync('helm', ['template', 'lgsp', chartDir, '--namespace', 'lgsp', '--kube-version', kubeVersion, ...valueFiles(name, values)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      expect({ status: template.status, stderr: template.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
      const helmDocuments = parseAllDocuments(template.stdout).map((doc) => doc.toJS() as Doc).filter(Boolean);
      expect(helmDocuments.flatMap((document) => manifestProblems(document))).toEqual([]);
      const ours = render(values, { kubeVersion }).manifests.map((manifest) => manifest.document as Doc);
      const byKey = (documents: Doc[]) => Object.fromEntries(documents.map((document) => [key(document), comparable(document)]));
      expect(byKey(helmDocuments)).toEqual(byKey(ours));
    });

    it('helm refuses values the schema refuses', () => {
      const bad = spawnSync('helm', ['template', 'lgsp', chartDir, ...valueFiles('bad', [requiredValues, { config: { store: { url: 'postgres://u:p@db/lgsp' } } }])], { encoding: 'utf8' });
      expect(bad.status).not.toBe(0);
      expect(bad.stderr).toMatch(/values don't meet the specifications of the schema/);
    });
  });
}
