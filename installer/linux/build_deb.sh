#!/usr/bin/env bash
# Pack the PyInstaller one-folder app into a Debian package.
#   installer/linux/build_deb.sh [BUNDLE_DIR] [OUT_DIR]
# BUNDLE_DIR defaults to dist/medassist-desktop, OUT_DIR to dist. Prints the .deb's path.
#
# Layout: the app under /opt/medassist-desktop, a launcher on PATH
# (/usr/bin/medassist-desktop), a desktop entry (menu category MedicalSoftware) and the
# icon in the hicolor theme. The package owns only those files: the user's data
# (~/.local/share/MedAssist, or MEDASSIST_DATA_DIR) is never part of it, so removing or
# upgrading the package leaves databases, settings and imported models where they are.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUNDLE="$(realpath "${1:-$ROOT/dist/medassist-desktop}")"
OUT="$(realpath "${2:-$ROOT/dist}")"
PACKAGE=medassist-desktop
test -x "$BUNDLE/medassist-desktop" || { echo "no bundle at $BUNDLE (run: make bundle)" >&2; exit 1; }
VERSION="$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/pyproject.toml" | head -1)"
ARCH="$(dpkg --print-architecture)"

STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
  "$STAGE/usr/share/icons/hicolor/256x256/apps" "$STAGE/usr/share/icons/hicolor/scalable/apps"
cp -a "$BUNDLE" "$STAGE/opt/$PACKAGE"
cat > "$STAGE/usr/bin/$PACKAGE" <<'LAUNCHER'
#!/bin/sh
# Launcher on PATH for the app installed under /opt (kept a script: the bundle finds its
# libraries beside its real executable).
# Qt needs a UTF-8 character set. A process started with no locale at all (a service,
# `env -i`, a minimal system) would get plain C and a warning on every start; it gets the
# character set of C.UTF-8 instead, which every Debian system has. A chosen language and
# any locale setting the user made are left as they are.
if [ -z "${LC_ALL:-}${LC_CTYPE:-}${LANG:-}" ]; then
  LC_CTYPE=C.UTF-8
  export LC_CTYPE
fi
exec /opt/medassist-desktop/medassist-desktop "$@"
LAUNCHER
chmod 0755 "$STAGE/usr/bin/$PACKAGE"
install -m 0644 "$ROOT/installer/linux/medassist-desktop.desktop" "$STAGE/usr/share/applications/"
install -m 0644 "$ROOT/resources/icons/medassist.png" "$STAGE/usr/share/icons/hicolor/256x256/apps/"
install -m 0644 "$ROOT/resources/icons/medassist.svg" "$STAGE/usr/share/icons/hicolor/scalable/apps/"

INSTALLED_KB="$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)"
# The oldest C library that can load the bundle: the newest GLIBC symbol version any of
# its programs and libraries asks for (the libraries PyInstaller copies from the build
# machine, libstdc++ among them, ask for that machine's). dpkg-shlibdeps works this out
# for a package built the Debian way; this one is built from a finished bundle.
command -v readelf >/dev/null || { echo "build_deb.sh needs readelf (binutils)" >&2; exit 1; }
GLIBC_MIN="$(find "$BUNDLE" -type f \( -name '*.so*' -o -name "$PACKAGE" \) \
  -exec readelf --version-info {} + 2>/dev/null \
  | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/^GLIBC_//' | sort -uV | tail -1)"
test -n "$GLIBC_MIN" || { echo "no GLIBC symbol versions found in $BUNDLE" >&2; exit 1; }
# What Qt's xcb/EGL platform plugin and the keyring need from the system (Debian 12 names).
cat > "$STAGE/DEBIAN/control" <<CONTROL
Package: $PACKAGE
Version: $VERSION
Architecture: $ARCH
Maintainer: MedAssist Desktop maintainers <medassist@localhost>
Installed-Size: $INSTALLED_KB
Section: science
Priority: optional
Depends: libc6 (>= $GLIBC_MIN), libegl1, libgl1, libfontconfig1, libxkbcommon0, libxkbcommon-x11-0, libxcb-cursor0, libxcb-icccm4, libxcb-image0, libxcb-keysyms1, libxcb-randr0, libxcb-render-util0, libxcb-shape0, libxcb-xinerama0, libxcb-xkb1, libxcb1, libdbus-1-3
Recommends: gnome-keyring | kwalletmanager
Description: Offline clinical assistant for rural clinics
 MedAssist Desktop: WHO danger-sign triage, a searchable clinical library and a
 local language model (Gemma 3 270M embedded) that answer without a network.
 User data lives in the user's own folders and is kept when the package is
 removed or upgraded.
CONTROL
# No maintainer scripts: Debian's desktop-file-utils and hicolor-icon-theme refresh the
# menu and icon caches through dpkg triggers, and nothing else needs doing at install or
# removal (the user's data is not the package's to touch).
mkdir -p "$OUT"
DEB="$OUT/${PACKAGE}_${VERSION}_${ARCH}.deb"
# xz: the smallest download (the budget counts the compressed installer); minutes on two
# cores, so a test that only installs the package may ask for DEB_COMPRESSION=gzip.
dpkg-deb --root-owner-group "-Z${DEB_COMPRESSION:-xz}" --build "$STAGE" "$DEB" >/dev/null
echo "$DEB"
