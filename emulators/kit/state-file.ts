import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { parseLosslessJson } from '../../src/lib/exact-json.ts';

/**
 * An emulator's state (key, intents, replay records...) in a JSON file, so a restarted `npm start`
 * still finds at the emulated provider the intents the subgraph stored. Without a file the state
 * lives in memory only, as it always has.
 *
 * Each change is appended as one JSON line to a journal beside the file (`<file>.journal`), so a
 * create costs the same at the ten-thousandth intent as at the first; rewriting the whole state on
 * every change made creates slower as history grew. The whole state is written at the first change
 * of a run (it holds what the start decided: the key, an earlier journal folded in) and at close,
 * which leaves the file alone holding everything.
 */
export interface EmulatorStateFile<State, Change> {
  /** The state an earlier run saved, its journal applied; undefined on a first start or without a file. */
  readonly saved: State | undefined;
  /** Keeps one change; `snapshot` (the whole state, the change included) only runs when there is a file. */
  record(change: Change, snapshot: () => State): void;
  /** Folds the journal into the file, when this run wrote one. */
  compact(snapshot: () => State): void;
}

/** How an emulator's state is kept. */
export interface StateFormat<State, Change> {
  readonly state: z.ZodType<State>;
  readonly change: z.ZodType<Change>;
  /** The state with the journal's changes applied in order. */
  readonly apply: (state: State, changes: readonly Change[]) => State;
}

/** Throws, naming the file, when it or its journal exists but cannot be read or does not hold a valid state. */
export function openStateFile<State, Change>(
  path: string | undefined,
  format: StateFormat<State, Change>,
): EmulatorStateFile<State, Change> {
  if (path === undefined) {
    return { saved: undefined, record: () => undefined, compact: () => undefined };
  }
  const journal = `${path}.journal`;
  const saved = readState(path, format.state);
  const changes = readJournal(journal, format.change);
  if (saved === undefined && changes.length > 0) {
    throw new Error(`The emulator state journal ${journal} has no state file ${path} beside it: delete it`);
  }
  let whole = false;
  let appended = false;
  // The journal is removed after the whole state it was folded into is written: a crash in between
  // applies it again to a state that already holds it, which changes nothing (changes set values).
  const writeWhole = (snapshot: () => State) => {
    writeAtomically(path, `${JSON.stringify(snapshot(), null, 2)}\n`);
    rmSync(journal, { force: true });
    whole = true;
    appended = false;
  };
  const restored = saved === undefined ? undefined : format.apply(saved, changes);
  if (restored !== undefined && changes.length > 0) {
    // Folded now, before this run changes a value the old journal also set.
    writeWhole(() => restored);
    whole = false;
  }
  return {
    saved: restored,
    record(change, snapshot) {
      if (!whole) {
        writeWhole(snapshot);
        return;
      }
      // Not flushed to disk (unlike the whole file): a write reaches the page cache before the call
      // returns, so only a crash of the machine itself, not of the emulator, can lose it.
      appendFileSync(journal, `${JSON.stringify(change)}\n`);
      appended = true;
    },
    compact(snapshot) {
      if (appended) writeWhole(snapshot);
    },
  };
}

function readState<State>(path: string, schema: z.ZodType<State>): State | undefined {
  const text = readIfPresent(path);
  if (text === undefined) {
    return undefined;
  }
  return parseStateJson(path, text, schema, 'a valid state');
}

/** The journal's complete lines: a last line without its newline was cut short by a crash, and is dropped. */
function readJournal<Change>(path: string, schema: z.ZodType<Change>): Change[] {
  const text = readIfPresent(path);
  if (text === undefined) {
    return [];
  }
  const lines = text.split('\n').slice(0, -1);
  return lines.map((line) => parseStateJson(path, line, schema, 'valid changes'));
}

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw new Error(`Cannot read the emulator state file ${path}: ${(error as Error).message}`, { cause: error });
  }
}

function parseStateJson<T>(path: string, text: string, schema: z.ZodType<T>, what: string): T {
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
      `The emulator state file ${path} does not hold ${what}: fix or delete it\n${z.prettifyError(parsed.error)}`,
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
