"""Turn a hash-locked requirements file into plain pins for another operating system.

The lock files in requirements/ are resolved on Linux: the versions hold everywhere,
but Windows and macOS need a few extra packages (e.g. keyring's pywin32-ctypes) that a
`--require-hashes` install would refuse. The CI installs with these pins as constraints
instead, so every package the lock names keeps its version.

    python tools/ci_constraints.py requirements/dev.txt constraints.txt
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+==[^\s\\;]+)(\s*;[^\\]*)?")
# Installed before the constraints, from their own sources (CPU index, source build).
SKIP = ("torch==", "llama-cpp-python==")


def pins(text: str) -> list[str]:
    found = []
    for line in text.splitlines():
        match = PIN.match(line.strip())
        if match and not match.group(1).lower().startswith(SKIP):
            found.append(match.group(1) + (match.group(2) or "").rstrip())
    return found


def main(argv: list[str]) -> int:
    source, target = Path(argv[1]), Path(argv[2])
    lines = pins(source.read_text(encoding="utf-8"))
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} pins from {source} in {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
