"""The size budget of a build: the compressed installer and the ten largest folders.

    python tools/bundle_size.py BUNDLE_DIR [INSTALLER ...]

The budget is for what a clinic downloads or copies: the compressed installer, without
MedGemma (imported separately), under 350 MB and aiming at 250 MB. Over the budget it
says so (exit status 0: the build is still usable; the number is the signal). The ten
largest folders of the bundle show where the size goes.
"""

from __future__ import annotations

import sys
from pathlib import Path

MB = 1_000_000
BUDGET_MB = 350
AIM_MB = 250


def folder_sizes(root: Path) -> dict[Path, int]:
    """The total size of each package folder: the folders directly under the bundle's
    library folder (`_internal`, or `Contents/Frameworks` in a macOS .app)."""
    library = next(
        (p for p in (root / "_internal", root / "Contents" / "Frameworks") if p.is_dir()), root
    )
    sizes: dict[Path, int] = {}
    for folder in (p for p in library.iterdir() if p.is_dir() and not p.is_symlink()):
        files = (f for f in folder.rglob("*") if f.is_file() and not f.is_symlink())
        sizes[folder.relative_to(root)] = sum(f.stat().st_size for f in files)
    return sizes


def report(bundle: Path, installers: list[Path]) -> list[str]:
    total = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())
    lines = [f"Bundle {bundle}: {total / MB:.0f} MB unpacked"]
    for installer in installers:
        size = installer.stat().st_size / MB
        verdict = (
            "within the aim" if size <= AIM_MB else "within budget" if size <= BUDGET_MB else "OVER"
        )
        lines.append(
            f"Installer {installer.name}: {size:.0f} MB compressed "
            f"(budget {BUDGET_MB} MB, aim {AIM_MB} MB: {verdict})"
        )
    lines.append("Ten largest folders:")
    largest = sorted(folder_sizes(bundle).items(), key=lambda item: item[1], reverse=True)[:10]
    lines += [f"  {size / MB:8.1f} MB  {folder}" for folder, size in largest]
    return lines


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    for line in report(Path(argv[1]), [Path(p) for p in argv[2:]]):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
