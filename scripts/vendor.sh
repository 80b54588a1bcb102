#!/usr/bin/env bash
# Re-fetch the vendored front-end files from the npm registry at the pinned versions.
# The files are committed; run this only to upgrade a pin (then commit the result).
set -euo pipefail
BOOTSTRAP=5.3.9
BOOTSTRAP_ICONS=1.13.2
HTMX=2.0.11          # htmx 2.0.x: npm "latest" is a breaking 4.x
ECHARTS=6.1.0
dest="$(cd "$(dirname "$0")/.." && pwd)/src/anjian/web/static/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
for spec in "bootstrap@$BOOTSTRAP" "bootstrap-icons@$BOOTSTRAP_ICONS" "htmx.org@$HTMX" "echarts@$ECHARTS"; do
  npm pack --silent "$spec" >/dev/null
done
for t in *.tgz; do mkdir -p "${t%.tgz}" && tar -xzf "$t" -C "${t%.tgz}"; done
rm -rf "$dest" && mkdir -p "$dest"/{bootstrap,bootstrap-icons/fonts,htmx,echarts}
cp bootstrap-$BOOTSTRAP/package/dist/css/bootstrap.min.css "$dest/bootstrap/"
cp bootstrap-$BOOTSTRAP/package/dist/js/bootstrap.bundle.min.js "$dest/bootstrap/"
cp bootstrap-$BOOTSTRAP/package/LICENSE "$dest/bootstrap/LICENSE"
cp bootstrap-icons-$BOOTSTRAP_ICONS/package/font/bootstrap-icons.min.css "$dest/bootstrap-icons/"
cp bootstrap-icons-$BOOTSTRAP_ICONS/package/font/fonts/bootstrap-icons.woff2 "$dest/bootstrap-icons/fonts/"
cp bootstrap-icons-$BOOTSTRAP_ICONS/package/font/fonts/bootstrap-icons.woff "$dest/bootstrap-icons/fonts/"
cp bootstrap-icons-$BOOTSTRAP_ICONS/package/LICENSE "$dest/bootstrap-icons/LICENSE"
cp htmx.org-$HTMX/package/dist/htmx.min.js "$dest/htmx/"
cp htmx.org-$HTMX/package/LICENSE "$dest/htmx/LICENSE"
cp echarts-$ECHARTS/package/dist/echarts.min.js "$dest/echarts/"
cp echarts-$ECHARTS/package/LICENSE "$dest/echarts/LICENSE"
# Source maps are not shipped: drop their references, or the manifest storage fails on the missing files.
find "$dest" \( -name '*.css' -o -name '*.js' \) -exec sed -i -E 's#/\*\# sourceMappingURL=[^*]*\*/##; s#^//\# sourceMappingURL=.*$##' {} +
cat > "$dest/VERSIONS" <<V
bootstrap $BOOTSTRAP
bootstrap-icons $BOOTSTRAP_ICONS
htmx.org $HTMX
echarts $ECHARTS
V
echo "vendored into $dest"
