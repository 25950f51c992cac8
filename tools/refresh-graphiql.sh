#!/usr/bin/env bash
# Refreshes the GraphiQL that demo mode serves offline (gateway/static/graphiql/, README.md
# there): the browser builds of the pinned npm packages, byte for byte as published, with their
# licences. Needs npm and the npm registry (install time only; the gateway never fetches them).
# Usage: tools/refresh-graphiql.sh [GRAPHIQL_VERSION [REACT_VERSION]]
# then update the versions and checksums in gateway/static/graphiql/README.md (printed below),
# run tests/security/test_graphiql.py and, with a browser, tests/e2e/test_graphiql_browser.py.
set -eu
GRAPHIQL=${1:-3.8.3}
REACT=${2:-18.2.0}
OUT=$(cd "$(dirname "$0")/.." && pwd)/gateway/static/graphiql
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
echo "npm pack graphiql@$GRAPHIQL react@$REACT react-dom@$REACT" >&2
npm pack --silent "graphiql@$GRAPHIQL" "react@$REACT" "react-dom@$REACT" >/dev/null
for pair in "graphiql $GRAPHIQL" "react $REACT" "react-dom $REACT"; do
  set -- $pair
  mkdir "$1"
  tar xzf "$1-$2.tgz" -C "$1"
done
cp graphiql/package/graphiql.min.js graphiql/package/graphiql.min.css "$OUT"/
cp react/package/umd/react.production.min.js "$OUT"/
cp react-dom/package/umd/react-dom.production.min.js "$OUT"/
cp graphiql/package/LICENSE "$OUT"/LICENSE.graphiql
cp react/package/LICENSE "$OUT"/LICENSE.react
cp react-dom/package/LICENSE "$OUT"/LICENSE.react-dom
cd "$OUT"
sha256sum graphiql.min.js graphiql.min.css react.production.min.js react-dom.production.min.js
