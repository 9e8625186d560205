/** The first value of a header that may be repeated (Node gives an array for some). */
export function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
