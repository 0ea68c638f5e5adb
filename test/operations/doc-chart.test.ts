import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateChartValues } from '../support/helm-template.js';
import { chartDir, find, readChartYaml, render } from '../helm/chart-support.js';
import { docRelease, docValues, docValuesFile, operationsDoc, operationsDocPath, renderDocDeployment } from './doc-deployment.js';
import { fencedBlocks, shellCommands, shellLanguages } from './shell-blocks.js';

/**
 * docs/operations.md and the chart's README agree with the chart as it is:
 * the doc's values files pass values.schema.json and render; the objects the
 * kubectl commands of both documents name are the ones the chart makes for
 * the release their install command names; the figures and key lists the doc
 * states are the chart's. (secrets.test.ts loads the rendered pods'
 * configuration with the Secret the doc's commands make.)
 */
type Doc = Record<string, any>;

const chartReadmePath = 'helm/lgsp-gateway/README.md';
const chartReadme = readFileSync(join(chartDir, 'README.md'), 'utf8');
const doc = operationsDoc();
const networkValues = docValuesFile('lgsp-network-values.yaml');

describe(`${operationsDocPath}: its values files`, () => {
  it('§5 values, alone and with the network policy of §5, pass values.schema.json and render', () => {
    for (const chart of [renderDocDeployment(), renderDocDeployment(networkValues)]) expect(() => validateChartValues(chartDir, chart.values as Record<string, unknown>)).not.toThrow();
    expect(find(renderDocDeployment(networkValues), 'NetworkPolicy', '-migrations').spec.egress).toHaveLength(2);
  });

  it('names the three values without a default, and the chart refuses to render without each', () => {
    const required = [
      ['secrets.existingSecret', { secrets: { existingSecret: '' } }],
      ['config.auth.issuer', { config: { auth: { issuer: null } } }],
      ['config.vault.activeKeyId', { config: { vault: { activeKeyId: null } } }],
    ] as const;
    for (const [path, without] of required) {
      expect(doc).toContain(`\`${path}\``);
      expect(chartReadme).toContain(`\`${path}\``);
      expect(() => renderDocDeployment(without)).toThrow(path);
    }
  });
});

/** `kind/name` of every `kubectl … deployment/<name>` (job, service, configmap) in a command that runs in `namespace`: in shell blocks, or quoted inline. */
function objectReferences(markdown: string, namespace: string): string[] {
  const inBlocks = fencedBlocks(markdown).filter((block) => shellLanguages.has(block.language)).flatMap((block) => shellCommands(block).map((command) => command.text));
  const inline = [...markdown.matchAll(/`(kubectl [^`\n]+)`/g)].map((match) => match[1]!);
  const commands = [...inBlocks, ...inline];
  return commands
    .filter((text) => text.startsWith('kubectl ') && new RegExp(`(?:--namespace|-n)[ =]${namespace}(?:\\s|$)`).test(text))
    .flatMap((text) => [...text.matchAll(/\b(deployment|job|service|configmap)\/([a-z0-9][a-z0-9.-]*)/g)].map((match) => `${match[1]}/${match[2]}`));
}

describe.each([
  [operationsDocPath, doc],
  [chartReadmePath, chartReadme],
])('%s: kubectl names what the chart makes', (_path, markdown) => {
  it('uses the release lgsp-gateway in namespace lgsp, as the other document does', () => {
    expect(docRelease(markdown, _path)).toEqual({ name: 'lgsp-gateway', namespace: 'lgsp' });
  });

  it('every deployment/…, job/…, service/…, configmap/… of its kubectl commands is a rendered object', () => {
    const release = docRelease(markdown, _path);
    const chart = render([docValues()], { releaseName: release.name, namespace: release.namespace });
    const rendered = new Set(chart.manifests.map((m) => `${String(m.document.kind).toLowerCase()}/${String((m.document.metadata as Doc).name)}`));
    const references = objectReferences(markdown, release.namespace);
    expect(references.length).toBeGreaterThanOrEqual(1);
    expect(references.filter((reference) => !rendered.has(reference))).toEqual([]);
  });
});

describe(`${operationsDocPath}: what it says of the chart`, () => {
  it("the Kubernetes version it requires is Chart.yaml's kubeVersion, and pre-stop sleep from 1.30", () => {
    expect(readChartYaml('Chart.yaml').kubeVersion).toBe('>=1.25.0-0');
    expect(doc).toContain('**Kubernetes 1.25 or newer**');
    const preStop = (kubeVersion: string) => render([docValues()], { kubeVersion }).manifests.map((m) => m.document as Doc).find((d) => d.kind === 'Deployment')!.spec.template.spec.containers[0].lifecycle.preStop;
    expect(preStop('1.30.0')).toHaveProperty('sleep');
    expect(preStop('1.29.0')).toHaveProperty('exec');
  });

  it('the termination grace it gives for its values is the rendered Deployment\'s', () => {
    const stated = /`termination\.marginSeconds` \(10 s\): with the values above, (\d+) s\./.exec(doc.replace(/\s+/g, ' '));
    expect(stated).not.toBeNull();
    expect(find(renderDocDeployment(), 'Deployment').spec.template.spec.terminationGracePeriodSeconds).toBe(Number(stated![1]));
  });

  it("§4 lists the Secret's keys the chart maps, the same as the chart README's table", () => {
    const lines = doc.split('\n');
    const from = lines.findIndex((line) => line.includes('configuration uses that part:'));
    const to = lines.findIndex((line, index) => index > from && line.startsWith('A key they reference'));
    const listed = [...lines.slice(from, to).join('\n').matchAll(/`([a-z]+(?:-[a-z0-9]+)+)`/g)].map((match) => match[1]!).sort();
    const readmeKeys = chartReadme.split('\n').filter((line) => /^\| `[a-z-]+` \| `LGSP__/.test(line)).map((line) => /`([a-z-]+)`/.exec(line)![1]!).sort();
    const chartDefaults = Object.values(readChartYaml('values.yaml').secrets.keys as Record<string, string>).filter((key) => key !== '');
    expect(listed).toEqual(readmeKeys);
    expect(chartDefaults.filter((key) => !listed.includes(key))).toEqual([]);
  });
});
