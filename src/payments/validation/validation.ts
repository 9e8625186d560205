/**
 * One problem with a create command: where it is, as a path into the command (e.g.
 * ["clientMutationId"] or ["providerInput", "amount"]), and what is wrong there ("must be greater
 * than 0"). The GraphQL edge maps the path to the client's input path and words the message.
 */
export interface ValidationIssue {
  readonly field: readonly string[];
  readonly problem: string;
}

/** A validated value, or every reason it is not valid (all of them, not just the first). */
export type Validation<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly ValidationIssue[] };
