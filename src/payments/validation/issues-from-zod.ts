import type { z } from 'zod';
import type { ValidationIssue } from './validation.ts';

/** One issue per zod issue, with the path zod found it at (relative to what was parsed). */
export function issuesFromZod(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({ field: issue.path.map(String), problem: issue.message }));
}
