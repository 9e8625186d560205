import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { parseLosslessJson } from '../../src/lib/exact-json.ts';

/**
 * An emulator's state (key, intents, replay records...) in a JSON file, so a restarted `npm start`
 * still finds at the emulated provider the intents the subgraph stored. Without a file the state
 * lives in memory only, as it always has.
 */
export interface EmulatorStateFile<State> {
  /** The state an earlier run saved; undefined on a first start or without a file. */
  readonly saved: State | undefined;
  /**
   * Replaces the file with the whole state, atomically: a crash leaves the old file or the new one,
   * never half of one. `snapshot` only runs when there is a file.
   */
  save(snapshot: () => State): void;
}

/** Throws, naming the file, when it exists but cannot be read or does not hold a valid state. */
export function openStateFile<State>(path: string | undefined, schema: z.ZodType<State>): EmulatorStateFile<State> {
  if (path === undefined) {
    return { saved: undefined, save: () => undefined };
  }
  return {
    saved: readState(path, schema),
    save: (snapshot) => writeAtomically(path, `${JSON.stringify(snapshot(), null, 2)}\n`),
  };
}

function readState<State>(path: string, schema: z.ZodType<State>): State | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw new Error(`Cannot read the emulator state file ${path}: ${(error as Error).message}`, { cause: error });
  }
  let json: unknown;
  try {
    // Zopay echoes metadata numbers digit for digit: a float must not round them on the way back in.
    json = parseLosslessJson(text);
  } catch (error) {
    throw new Error(
      `The emulator state file ${path} is not valid JSON (${(error as Error).message}): fix or delete it`,
      { cause: error },
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new Error(
      `The emulator state file ${path} does not hold a valid state: fix or delete it\n${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data;
}

/** A temporary file in the same directory, flushed to disk, then renamed over the old one. */
function writeAtomically(path: string, text: string): void {
  const directory = dirname(path);
  mkdirSync(directory, { recursive: true });
  const temporary = join(directory, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const descriptor = openSync(temporary, 'w');
    try {
      writeFileSync(descriptor, text);
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
