import type { AlertingConfig } from '../config/gateway-config.js';
import { matcherProblem } from './matchers.js';
import { validateAlertRule } from './rules/rule-validation.js';
import type { Matcher } from './types.js';

/**
 * What the JSON Schema of the config file cannot say about the alerting
 * section, checked at start with the very checks the admin API runs: a rule
 * whose matchers or placeholders name labels its signal does not carry, and
 * an inhibit or route matcher that is not a valid regular expression (which
 * would otherwise fail every evaluation). One line per problem, named by its
 * config path; empty when all is well.
 */
export function alertingConfigProblems(config: Pick<AlertingConfig, 'rules' | 'inhibitRules' | 'receivers'>): string[] {
  const problems: string[] = [];
  config.rules.forEach((rule, index) => {
    const validation = validateAlertRule(rule);
    if (!validation.ok) for (const error of validation.errors) problems.push(`alerting.rules[${index}]${error.field ? `.${error.field}` : ''}: ${error.message}`);
  });
  const checkMatchers = (path: string, matchers: readonly Matcher[] | undefined) =>
    (matchers ?? []).forEach((matcher, index) => {
      const problem = matcherProblem(matcher);
      if (problem) problems.push(`${path}[${index}] (${matcher.name} ${matcher.op} ${JSON.stringify(matcher.value)}): ${problem}`);
    });
  config.inhibitRules.forEach((rule, index) => {
    checkMatchers(`alerting.inhibitRules[${index}].sourceMatchers`, rule.sourceMatchers);
    checkMatchers(`alerting.inhibitRules[${index}].targetMatchers`, rule.targetMatchers);
  });
  config.receivers.forEach((receiver, index) => checkMatchers(`alerting.receivers[${index}].route.matchers`, receiver.route?.matchers));
  return problems;
}
