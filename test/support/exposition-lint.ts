/**
 * The naming rules `promtool check metrics` applies to types, in a test
 * (promtool itself is not a test dependency): a counter ends in `_total`,
 * nothing else does. Returns one message per offending metric family.
 */
export function metricNameProblems(exposition: string): string[] {
  const problems: string[] = [];
  for (const line of exposition.split('\n')) {
    const match = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (!match) continue;
    const [, name, type] = match as unknown as [string, string, string];
    const total = name.endsWith('_total');
    if (type === 'counter' && !total) problems.push(`${name}: counter without _total`);
    if (type !== 'counter' && total) problems.push(`${name}: ${type} ending in _total`);
  }
  return problems;
}

/** Metric families declared in the exposition text. */
export function metricFamilies(exposition: string): string[] {
  return exposition
    .split('\n')
    .map((line) => /^# TYPE (\S+) /.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
}
