import { readFileSync } from 'node:fs';
import { fromProjectRoot, projectRoot } from '../src/paths.js';
import { generateContractTypes, generatedTypesFile } from './contract-types.js';

describe('generated contract types', () => {
  it('match the contracts (run `npm run contracts:types` after changing a schema)', async () => {
    const expected = await generateContractTypes(projectRoot);
    expect(readFileSync(fromProjectRoot(generatedTypesFile), 'utf8')).toBe(expected);
  }, 60_000);
});
