#!/usr/bin/env bash
# Build the web page's third-party assets (not committed):
#   src/whatweknow/serve/static/vendor/  <- npm packages, pinned below
# Usage: bash scripts/build-web-assets.sh   (make install runs it)
# Needs npm and access to the npm registry at set-up time only; the page never
# fetches anything at run time. When npm is missing the page still works,
# without the basemap and marker clustering, and says so.
set -euo pipefail
cd "$(dirname "$0")/.."

DEST=src/whatweknow/serve/static/vendor
WORK=build/web-assets
# package@version  licence (checked below against the installed package.json)
PKGS=(
  "leaflet@1.9.4:BSD-2-Clause"
  "leaflet.markercluster@1.5.3:MIT"
  "world-atlas@2.0.2:ISC"
  "topojson-client@3.1.0:ISC"
)

if ! command -v npm >/dev/null 2>&1; then
  echo "build-web-assets: npm not found; the map will have no basemap or clustering" >&2
  exit 0
fi

mkdir -p "$WORK"
if [ ! -f "$WORK/package.json" ]; then
  printf '{"name":"wwk-web-assets","private":true,"version":"0.0.0"}\n' >"$WORK/package.json"
fi
specs=()
for p in "${PKGS[@]}"; do specs+=("${p%%:*}"); done
npm install --prefix "$WORK" --no-audit --no-fund --save-exact --loglevel=error "${specs[@]}"

NM="$WORK/node_modules"
for p in "${PKGS[@]}"; do
  spec=${p%%:*}; lic=${p##*:}; name=${spec%@*}; ver=${spec##*@}
  got=$(node -e 'const p=require(process.argv[1]);console.log(p.version+" "+(p.license||""))' "$PWD/$NM/$name/package.json")
  if [ "$got" != "$ver $lic" ]; then
    echo "build-web-assets: $name: expected '$ver $lic', found '$got'" >&2
    exit 1
  fi
done

rm -rf "$DEST"
mkdir -p "$DEST/leaflet/images" "$DEST/markercluster" "$DEST/world-atlas" "$DEST/topojson-client" "$DEST/licenses"
cp "$NM/leaflet/dist/leaflet.js" "$NM/leaflet/dist/leaflet.css" "$DEST/leaflet/"
cp "$NM"/leaflet/dist/images/*.png "$DEST/leaflet/images/"
cp "$NM/leaflet.markercluster/dist/leaflet.markercluster.js" \
   "$NM/leaflet.markercluster/dist/MarkerCluster.css" \
   "$NM/leaflet.markercluster/dist/MarkerCluster.Default.css" "$DEST/markercluster/"
cp "$NM/world-atlas/countries-50m.json" "$DEST/world-atlas/"
cp "$NM/topojson-client/dist/topojson-client.min.js" "$DEST/topojson-client/"
for p in "${PKGS[@]}"; do
  spec=${p%%:*}; name=${spec%@*}
  for f in "$NM/$name"/LICEN[CS]E* "$NM/$name"/MIT-LICEN[CS]E*; do
    [ -f "$f" ] && cp "$f" "$DEST/licenses/$name-$(basename "$f")"
  done
done
cat >"$DEST/VERSIONS.txt" <<TXT
Built by scripts/build-web-assets.sh from npm packages (licence):
$(for p in "${PKGS[@]}"; do echo "  ${p%%:*} (${p##*:})"; done)
Country boundaries: world-atlas countries-50m.json, made from Natural Earth (public domain).
TXT
echo "build-web-assets: wrote $DEST"
