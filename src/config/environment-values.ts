import { z } from 'zod';

// Readers shared by the zod models of src/config: one meaning for "unset", "number" and "URL".

/** Blank variables (`FOO=` or `FOO=" "` in an env file) mean "unset", not "empty string". */
export function unsetIfBlank(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(env).map(([name, value]) => [name, value?.trim() === '' ? undefined : value]),
  );
}

/** Plain decimal digits only: no "0x10", "1e3" or " 80" read as numbers by accident. */
export const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

export const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .transform((url) => url.replace(/\/+$/, ''));

/** One line per problem: the variable's name and what is wrong, never its value. */
export function describeProblems(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${String(issue.path.at(-1))} ${issue.message}`);
}

/** "true" or "false", nothing looser: a typo must not silently switch a safety setting. */
export const flag = z
  .enum(['true', 'false'], { error: 'must be true or false' })
  .transform((value) => value === 'true');

/** The variables a zod object model reads. */
export function variablesOf(model: z.ZodObject): string[] {
  return Object.keys(model.shape);
}
