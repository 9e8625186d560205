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

/**
 * For a rule across variables (`.superRefine(rule, onceValid('A', 'B'))`): it runs once the variables
 * it compares were read without a problem, whatever other variable failed. By default zod skips an
 * object's refinements after any failed field (https://zod.dev/api#when): one unrelated mistake would
 * hide the rule's problem until the next start. The rule must read only these variables: the others
 * may hold what failed.
 */
export function onceValid(...variables: string[]): z.core.$ZodSuperRefineParams {
  return { when: ({ issues }) => issues.every((issue) => !variables.includes(String(issue.path?.at(-1)))) };
}

/** "true" or "false", nothing looser: a typo must not silently switch a safety setting. */
export const flag = z
  .enum(['true', 'false'], { error: 'must be true or false' })
  .transform((value) => value === 'true');

/** The variables a zod object model reads. */
export function variablesOf(model: z.ZodObject): string[] {
  return Object.keys(model.shape);
}
