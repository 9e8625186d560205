import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { knownVariables } from '../../../src/config/environment.ts';
import { registeredProviders } from '../../../src/providers/registered-providers.ts';

// The README's configuration table is where operators look: every variable the subgraph reads is
// there, and nothing there is a variable it ignores.

const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
const configuration = readme.slice(
  readme.indexOf('## Configuration'),
  readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1),
);
const documented = [...configuration.matchAll(/^\| `([A-Z][A-Z0-9_]+)`/gm)].map((match) => match[1]);

describe("the README's configuration table", () => {
  it('lists every variable the configuration reads', () => {
    expect(documented.length).toBeGreaterThan(20);
    const missing = knownVariables(registeredProviders).filter((variable) => !documented.includes(variable));
    expect(missing).toEqual([]);
  });

  it('lists nothing the configuration ignores', () => {
    const known = knownVariables(registeredProviders);
    expect(documented.filter((variable) => !known.includes(variable!))).toEqual([]);
  });
});
