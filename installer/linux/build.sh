#!/usr/bin/env bash
# Build, self-test and pack the Linux one-folder bundle: dist/medassist-desktop-linux-x86_64.tar.gz
set -euo pipefail
cd "$(dirname "$0")/../.."
# The bundle is built from the locked versions (requirements/*.txt, hash-checked).
make install-dev
.venv/bin/pyinstaller --noconfirm build.spec
QT_QPA_PLATFORM=offscreen MEDASSIST_DATA_DIR="$(mktemp -d)" \
  dist/medassist-desktop/medassist-desktop --self-test
cp installer/linux/medassist-desktop.desktop dist/medassist-desktop/
cp resources/icons/medassist.svg dist/medassist-desktop/
tar -C dist -czf dist/medassist-desktop-linux-x86_64.tar.gz medassist-desktop
echo "dist/medassist-desktop-linux-x86_64.tar.gz"
