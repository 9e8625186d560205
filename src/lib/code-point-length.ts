/**
 * Length in Unicode code points, as the providers (Python and Node services validating JSON
 * strings) count it; JavaScript's `length` counts UTF-16 units and would count an emoji as two.
 */
export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}
