// Composes subgraphs into a supergraph. Reads [{name, url, sdl}] as JSON on stdin; prints the
// supergraph SDL, or the composition errors on stderr and exits 1. The composer is the first
// argument: `guild` (@theguild/federation-composition, what Hive uses; the default) or
// `apollo` (@apollo/composition, what Apollo's tools use) — both take the same services and
// answer { errors, supergraphSdl }.
import { readFileSync } from 'node:fs';
import { composeServices as apollo } from '@apollo/composition';
import { composeServices as guild } from '@theguild/federation-composition';
import { parse } from 'graphql';

const composers = { apollo, guild };
const compose = composers[process.argv[2] ?? 'guild'];
if (!compose) {
  process.stderr.write(`unknown composer ${process.argv[2]}: apollo or guild\n`);
  process.exit(2);
}
const services = JSON.parse(readFileSync(0, 'utf8'));
const result = compose(
  services.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })),
);
if (result.errors && result.errors.length > 0) {
  process.stderr.write(result.errors.map((e) => e.message).join('\n') + '\n');
  process.exit(1);
}
process.stdout.write(result.supergraphSdl);
