#!/usr/bin/env bash
# Pack "dist/MedAssist Desktop.app" (pyinstaller build.spec on macOS) into a .dmg with a
# link to /Applications, so a person drags the app across. Prints the .dmg's path.
#   installer/macos/build_dmg.sh [OUT_DIR]
# The user's data lives in ~/Library/Application Support/MedAssist, outside the .app:
# replacing the .app with a newer one (or deleting it) keeps the data.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="${1:-$ROOT/dist}"
APP="$ROOT/dist/MedAssist Desktop.app"
test -d "$APP" || { echo "no app at $APP (run: pyinstaller build.spec on macOS)" >&2; exit 1; }
VERSION="$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/pyproject.toml" | head -1)"
STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
DMG="$OUT/medassist-desktop-$VERSION.dmg"
rm -f "$DMG"
hdiutil create -volname "MedAssist Desktop" -srcfolder "$STAGE" -ov -format UDZO "$DMG" >/dev/null
echo "$DMG"
