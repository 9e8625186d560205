import { GraphQLError, isValueNode } from 'graphql';

/**
 * graphql-js's refusal of an argument of the operation while executing it: a variable whose default
 * let validation accept it in a non-null argument, sent as null (`$id: ID = "x"` with
 * `{"id": null}`). getArgumentValues raises it, for a field or a @skip/@include, before any resolver
 * runs (graphql/execution/values.js): a GraphQLError of its own, located at the argument's value
 * and nowhere else, without path, code or cause. Apollo Server recognises graphql-js's variable
 * errors by the same marks (isBadUserInputGraphQLError in its request pipeline). An error thrown by
 * a resolver or a scalar is located at its field, or not at all: it never looks like this one.
 */
export function isArgumentCoercionError(error: unknown): error is GraphQLError {
  if (!(error instanceof GraphQLError)) return false;
  const [node, ...otherNodes] = error.nodes ?? [];
  return (
    node !== undefined &&
    otherNodes.length === 0 &&
    isValueNode(node) &&
    error.originalError === undefined &&
    error.path === undefined &&
    error.extensions.code === undefined &&
    error.message.startsWith('Argument "')
  );
}
