import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { printPublicApiSchema, publicApiSchema } from '../../../src/federation/public-api-schema.ts';
import { schemaChanges } from '../../../src/federation/schema-compatibility.ts';

const read = (path: string) => readFile(new URL(`../../../${path}`, import.meta.url), 'utf8');
const sdl = await read('schema/payments.graphql');
const snapshot = await read('schema/public-api.snapshot.graphql');

describe('the public schema frontend teams code against', () => {
  it('has no breaking change against the committed snapshot', async () => {
    const breaking = (await schemaChanges(snapshot, publicApiSchema(sdl))).filter((change) => change.breaking);
    expect(
      breaking.map((change) => change.message),
      'breaking changes: see npm run schema:snapshot',
    ).toEqual([]);
  });

  it('matches the snapshot (after an additive change, run npm run schema:snapshot)', () => {
    expect(printPublicApiSchema(sdl)).toBe(snapshot);
  });
});

describe('the breaking-change check itself', () => {
  it('flags a removed output field and a tightened input as breaking', async () => {
    const removedField = sdl.replace(`  "The provider's raw status string."\n  providerStatus: String\n`, '');
    const tightenedInput = sdl.replace(
      '  externalRef: String\n  "At most 500',
      '  externalRef: String!\n  "At most 500',
    );
    expect(removedField).not.toBe(sdl);
    expect(tightenedInput).not.toBe(sdl);

    const removed = await schemaChanges(snapshot, publicApiSchema(removedField));
    expect(removed).toContainEqual({
      breaking: true,
      message: "Field 'providerStatus' was removed from object type 'PaymentIntent'",
    });
    const tightened = await schemaChanges(snapshot, publicApiSchema(tightenedInput));
    expect(tightened.some((change) => change.breaking && change.message.includes('externalRef'))).toBe(true);
  });

  it('lets an additive nullable field through as non-breaking', async () => {
    const added = sdl.replace(
      '  createdAt: DateTime\n',
      '  createdAt: DateTime\n  "A new field."\n  updatedAt: DateTime\n',
    );
    const changes = await schemaChanges(snapshot, publicApiSchema(added));
    expect(changes).toContainEqual({
      breaking: false,
      message: "Field 'updatedAt' was added to object type 'PaymentIntent'",
    });
    expect(changes.filter((change) => change.breaking)).toEqual([]);
  });
});
