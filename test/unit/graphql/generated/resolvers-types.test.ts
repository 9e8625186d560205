import { readFile } from 'node:fs/promises';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config from '../../../../codegen.ts';

describe('generated resolver types', () => {
  it('match schema/ (run `npm run codegen` after changing the SDL)', async () => {
    const outputs = (await generate(
      { ...config, cwd: new URL('../../../..', import.meta.url).pathname, silent: true },
      false,
    )) as {
      filename: string;
      content: string;
    }[];
    expect(outputs.length).toBeGreaterThan(0);
    for (const output of outputs) {
      const committed = await readFile(new URL(`../../../../${output.filename}`, import.meta.url), 'utf8');
      expect(committed, `${output.filename} is stale: run npm run codegen`).toBe(output.content);
    }
  });
});
