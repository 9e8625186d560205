import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The call frame of a V8 profile node, CPU or heap: the parts that say whose code it is. */
export interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

const REPOSITORY = fileURLToPath(new URL('..', import.meta.url));

/**
 * Where a frame's code comes from: an npm package, Node's own code, a folder of this repository,
 * WebAssembly, or V8 itself (a built-in such as `Map` or `JSON.parse`, or a marker such as `(garbage
 * collector)`).
 */
export function originOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  // PGlite's PostgreSQL, and undici's HTTP parser (llhttp) in every process: not told apart by URL.
  if (url.startsWith('wasm://')) return 'WebAssembly';
  if (url.startsWith('node:')) return 'node (core)';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
  if (packageMatch?.[1] !== undefined) return packageMatch[1];
  const inRepository = relative(REPOSITORY, path);
  return inRepository.startsWith('..') ? path : inRepository.split('/').slice(0, 2).join('/');
}

/** `name · origin (file:line)`; built-ins and WebAssembly have no line worth naming. */
export function functionOf(frame: CallFrame): string {
  const line =
    frame.url === '' || frame.url.startsWith('wasm://')
      ? ''
      : ` (${frame.url.split('/').at(-1)}:${frame.lineNumber + 1})`;
  return `${frame.functionName || '(anonymous)'} · ${originOf(frame)}${line}`;
}
