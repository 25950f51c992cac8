// Hive Gateway in front of the supergraph: the caller's bearer token and declared purpose go to
// every subgraph (Hive Gateway forwards no headers by default); Ungeprofil trusts no router and
// decides each reference itself.
import { defineConfig } from '@graphql-hive/gateway';

export const gatewayConfig = defineConfig({
  propagateHeaders: {
    fromClientToSubgraphs({ request }) {
      return {
        authorization: request.headers.get('authorization') ?? undefined,
        'x-purpose': request.headers.get('x-purpose') ?? undefined,
      };
    },
  },
});
