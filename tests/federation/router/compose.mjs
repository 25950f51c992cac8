// Composes subgraphs into a supergraph with @theguild/federation-composition (what Hive's
// registry and `mesh compose` use). Reads [{name, url, sdl}] as JSON on stdin; prints the
// supergraph SDL, or the composition errors on stderr and exits 1.
import { readFileSync } from 'node:fs';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';

const services = JSON.parse(readFileSync(0, 'utf8'));
const result = composeServices(
  services.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })),
);
if (result.errors && result.errors.length > 0) {
  process.stderr.write(result.errors.map((e) => e.message).join('\n') + '\n');
  process.exit(1);
}
process.stdout.write(result.supergraphSdl);
