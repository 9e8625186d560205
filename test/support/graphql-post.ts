/** One GraphQL operation POSTed as JSON to a subgraph process's /graphql, as a frontend sends it. */
export async function postGraphQL(
  graphqlUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ status: number; body: { data?: any; errors?: any[] } }> {
  const response = await fetch(graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: any[] } };
}
