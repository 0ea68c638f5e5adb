import type { Labels, Matcher } from './types.js';

/** Longest regular expression a matcher may carry: matchers come from operators, and a pathological pattern costs every evaluation. */
export const maxMatcherPatternLength = 200;

export type CompiledMatcher = (labels: Labels) => boolean;

/**
 * Alertmanager's matcher semantics: a missing label is the empty string,
 * regular expressions are anchored at both ends (`=~"db.*"` does not match
 * "mydb"). Throws on an invalid pattern; callers validate first with
 * matcherProblem().
 */
export function compileMatcher(matcher: Matcher): CompiledMatcher {
  const read = (labels: Labels) => labels[matcher.name] ?? '';
  switch (matcher.op) {
    case '=':
      return (labels) => read(labels) === matcher.value;
    case '!=':
      return (labels) => read(labels) !== matcher.value;
    case '=~': {
      const pattern = anchored(matcher.value);
      return (labels) => pattern.test(read(labels));
    }
    case '!~': {
      const pattern = anchored(matcher.value);
      return (labels) => !pattern.test(read(labels));
    }
  }
}

/** All must match; an empty list matches everything. */
export function compileMatchers(matchers: readonly Matcher[] | undefined): CompiledMatcher {
  const compiled = (matchers ?? []).map(compileMatcher);
  return (labels) => compiled.every((match) => match(labels));
}

export function matchesAll(matchers: readonly Matcher[] | undefined, labels: Labels): boolean {
  return compileMatchers(matchers)(labels);
}

/** Why a matcher cannot be used (a message naming no value), or undefined when it can. */
export function matcherProblem(matcher: Matcher): string | undefined {
  if (matcher.op !== '=~' && matcher.op !== '!~') return undefined;
  if (matcher.value.length > maxMatcherPatternLength) return `regular expression longer than ${maxMatcherPatternLength} characters`;
  try {
    anchored(matcher.value);
    return undefined;
  } catch {
    return 'not a valid regular expression';
  }
}

function anchored(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`, 'u');
}
