import { readFileSync } from 'node:fs';
import { dockerignorePath } from './dockerfile-model.js';

/**
 * .dockerignore as Docker's builder applies it (moby/patternmatcher): each
 * non-comment line a pattern relative to the context root, `*` and `?`
 * within one path segment, `**` across any number of them, `!` re-includes;
 * the last pattern matching a path or one of its parent directories decides.
 */
export interface DockerIgnore {
  patterns: string[];
  /** Whether `path` (relative to the context, `/`-separated) stays out of the build context. */
  excludes(path: string): boolean;
}

export function readDockerignore(path = dockerignorePath): DockerIgnore {
  const rules = readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const negated = line.startsWith('!');
      const pattern = clean(negated ? line.slice(1) : line);
      return { negated, pattern, regex: toRegex(pattern) };
    });
  return {
    patterns: rules.map((rule) => `${rule.negated ? '!' : ''}${rule.pattern}`),
    excludes(target) {
      const path = clean(target);
      const candidates = [path, ...parents(path)];
      let excluded = false;
      for (const rule of rules) {
        if (candidates.some((candidate) => rule.regex.test(candidate))) excluded = !rule.negated;
      }
      return excluded;
    },
  };
}

/** Docker cleans each pattern (filepath.Clean): no leading `/` or `./`, no trailing `/`. */
function clean(pattern: string): string {
  return pattern.replace(/^(\.?\/)+/, '').replace(/\/+$/, '');
}

function parents(path: string): string[] {
  const segments = path.split('/');
  return segments.slice(0, -1).map((_, index) => segments.slice(0, index + 1).join('/'));
}

function toRegex(pattern: string): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index]!;
    if (char === '*' && pattern[index + 1] === '*') {
      // `**/` matches zero or more directories; a trailing `**` anything below.
      const slash = pattern[index + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      index += slash ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
