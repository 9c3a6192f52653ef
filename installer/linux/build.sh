#!/usr/bin/env bash
# Build, self-test (--full) and pack the Linux app: dist/medassist-desktop_<version>_<arch>.deb
# (the same as `make installer`; the size budget is printed at the end).
set -euo pipefail
cd "$(dirname "$0")/../.."
make installer
