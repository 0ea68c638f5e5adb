import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { fromProjectRoot } from '../../src/paths.js';
import type { RenderedChart } from '../support/helm-template.js';
import { render } from '../helm/chart-support.js';
import { fencedBlocks, shellCommands, shellLanguages } from './shell-blocks.js';

/**
 * The deployment docs/operations.md describes, as data for the tests that
 * follow it: its Helm values files (the `yaml` blocks that start with
 * `# <file name>`), the release its install command names, and the chart
 * itself rendered with them — so the tests check the doc against what the
 * chart really makes, not against a copy of the chart's mapping.
 */

export const operationsDocPath = 'docs/operations.md';

export function operationsDoc(): string {
  return readFileSync(fromProjectRoot(operationsDocPath), 'utf8');
}

export interface DocValues {
  secrets: { existingSecret: string; extraEnv?: Array<{ env: string; key: string }>; files?: Array<{ key: string; path?: string }> };
  config: Record<string, any>;
  [key: string]: unknown;
}

/** A values file the document tells the reader to write: the `yaml` block whose first line is `# <fileName>`, parsed. */
export function docValuesFile(fileName: string, markdown = operationsDoc(), where = operationsDocPath): Record<string, any> {
  const block = fencedBlocks(markdown).find((candidate) => candidate.language === 'yaml' && candidate.lines[0]?.trim() === `# ${fileName}`);
  if (!block) throw new Error(`${where}: no yaml block starting with "# ${fileName}"`);
  return parseYaml(block.lines.join('\n')) as Record<string, any>;
}

/**
 * The commands of §4's block that makes the Secret's files (the one
 * secrets.test.ts runs as written), read from the document: tests that only
 * need the files run the doc's own commands rather than a copy of them.
 */
export function docSecretCommands(markdown = operationsDoc(), where = operationsDocPath): string[] {
  const block = fencedBlocks(markdown).find(
    (candidate) => shellLanguages.has(candidate.language) && candidate.lines.some((line) => line.trim() === 'umask 077') && candidate.lines.some((line) => line.includes('lgsp-secrets/store-url')),
  );
  if (!block) throw new Error(`${where}: no shell block making the Secret's files (umask 077 … lgsp-secrets/store-url)`);
  return shellCommands(block).map((command) => command.text);
}

/** The values file of §5 "Install", parsed. */
export function docValues(): DocValues {
  return docValuesFile('lgsp-values.yaml') as DocValues;
}

export interface HelmRelease {
  name: string;
  namespace: string;
}

/** The release and namespace of the document's `helm install` / `helm upgrade --install` command (any shell block). */
export function docRelease(markdown = operationsDoc(), where = operationsDocPath): HelmRelease {
  const commands = fencedBlocks(markdown).filter((block) => shellLanguages.has(block.language)).flatMap((block) => shellCommands(block).map((command) => command.text));
  const install = commands.map((text) => /^helm (?:install|upgrade --install) (\S+) .*?(?:--namespace|-n)[ =](\S+)/.exec(text)).find(Boolean);
  if (!install) throw new Error(`${where}: no "helm install <release> … --namespace <namespace>" command`);
  return { name: install[1]!, namespace: install[2]! };
}

/**
 * The chart rendered as the document installs it: its release and namespace,
 * the values of §5 and, after them, `more` (further values files, or a
 * test's changes).
 */
export function renderDocDeployment(...more: ReadonlyArray<Record<string, unknown>>): RenderedChart {
  const release = docRelease();
  return render([docValues(), ...more], { releaseName: release.name, namespace: release.namespace });
}
