"""A minimal Debian root made offline from the packages installed on this machine.

    python tools/debian_root.py ROOT [--with PACKAGE ...] [--depends-of FILE.deb ...]

Why: a package is only proven installable and self-contained on a clean system, but
debootstrap downloads its packages and the build machine may have no network. Every
package installed here is already unpacked on disk, with its file list in dpkg's
database, so a root can be assembled from those files instead. The result matches
`debootstrap --variant=minbase`: the installed packages of Priority `required` (and the
Essential ones), apt, and the closure of their Depends and Pre-Depends. `--with` adds
packages (and their closure), as `apt install` would for their dependants;
`--depends-of` adds the Depends of a .deb, so that `dpkg -i` of that .deb inside the root
checks its declared dependencies against exactly what a user's apt would have installed.

How: for each chosen package its files (dpkg's `<package>.list`) are copied as they are
on this machine: symlinks kept, owners and modes kept, paths the machine no longer has
(documentation removed by a container image's dpkg filters) skipped. The top-level
usrmerge links (/bin -> usr/bin, ...) are made first, as debootstrap makes them. dpkg's
database in the root holds exactly those packages (their status stanzas, info files,
diversions and alternatives), so `chroot ROOT dpkg -l` lists them and `chroot ROOT dpkg -i`
checks a package's Depends against them. Maintainer scripts are not run; their few
effects a program can depend on are recreated: the users and groups of base-passwd, the
dynamic linker's cache, the alternatives links and the device nodes of /dev.

A root is a test fixture, not a system to boot or update. Being root is needed (owners,
device nodes, chroot).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

DPKG_ADMIN = Path("/var/lib/dpkg")
ALTERNATIVES_LINKS = Path("/etc/alternatives")
# Priority of the packages debootstrap's minbase variant starts from, plus the one
# package it adds by name.
BASE_PRIORITY = "required"
BASE_EXTRA = ("apt",)
# The device nodes debootstrap creates in a chroot's /dev: (name, mode, major, minor).
DEVICES = (
    ("null", 0o666, 1, 3),
    ("zero", 0o666, 1, 5),
    ("full", 0o666, 1, 7),
    ("random", 0o666, 1, 8),
    ("urandom", 0o666, 1, 9),
    ("tty", 0o666, 5, 0),
    ("console", 0o600, 5, 1),
)
STREAMS = ("stdin", "stdout", "stderr")
_FIELDS = (
    "binary:Package",
    "Package",
    "Architecture",
    "Priority",
    "Essential",
    "Provides",
    "Pre-Depends",
    "Depends",
    "db:Status-Abbrev",
)
_NAME = re.compile(r"^\s*([a-z0-9][a-z0-9+.-]*)")
_INFO_SUFFIX = re.compile(r"^[A-Za-z0-9_-]+$")


def _run(program: str, *args: str) -> str:
    """The output of one of dpkg's (or coreutils') programs; a failure stops the tool."""
    found = shutil.which(program)
    if found is None:
        raise SystemExit(f"{program} is not installed (this tool needs a Debian system)")
    return subprocess.run(  # noqa: S603 - our own argv
        [found, *args], capture_output=True, text=True, check=True
    ).stdout


@dataclass(frozen=True)
class Package:
    """One installed package, as dpkg-query reports it."""

    binary_name: str  # with `:arch` for Multi-Arch: same packages, as dpkg names its info files
    name: str
    priority: str
    essential: bool
    provides: tuple[str, ...]
    depends: tuple[tuple[str, ...], ...]  # groups of alternatives, every group needed


def _names(alternatives: str) -> tuple[str, ...]:
    """`a:any (>= 1) | b [amd64]` -> ("a", "b").

    Versions are not compared: dpkg checked them when it installed the packages here.
    """
    found = (_NAME.match(choice) for choice in alternatives.split("|"))
    return tuple(match.group(1) for match in found if match)


def _relations(field: str) -> tuple[tuple[str, ...], ...]:
    return tuple(names for group in field.split(",") if (names := _names(group)))


def installed_packages() -> dict[str, Package]:
    """The packages installed here of the native architecture, by name."""
    native = _run("dpkg", "--print-architecture").strip()
    query = "\\t".join(f"${{{field}}}" for field in _FIELDS) + "\\n"
    listing = _run("dpkg-query", "--show", f"--showformat={query}")
    packages: dict[str, Package] = {}
    for line in listing.splitlines():
        binary, name, arch, priority, essential, provides, pre, depends, status = line.split("\t")
        if status.strip() != "ii" or arch not in (native, "all"):
            continue
        packages[name] = Package(
            binary_name=binary,
            name=name,
            priority=priority,
            essential=essential == "yes",
            provides=tuple(n for group in _relations(provides) for n in group),
            depends=_relations(pre) + _relations(depends),
        )
    return packages


def closure(wanted: Iterable[tuple[str, ...]], packages: dict[str, Package]) -> set[str]:
    """The wanted packages and everything their Depends/Pre-Depends pull in.

    `wanted` holds groups of alternatives, like a Depends field. Of the alternatives of a
    dependency (`usrmerge | usr-is-merged`), one already chosen wins; otherwise the
    installed one that pulls in the fewest new packages, as a minimal system would have it.
    """
    providers: dict[str, list[str]] = {}
    for package in packages.values():
        for virtual in (package.name, *package.provides):
            providers.setdefault(virtual, []).append(package.name)

    def pick(group: tuple[str, ...], chosen: set[str]) -> str | None:
        """The package to add for a dependency, or None when the chosen ones meet it."""
        options = [name for alternative in group for name in providers.get(alternative, [])]
        if not options:
            raise SystemExit(f"{' | '.join(group)} is not installed on this machine")
        if any(option in chosen for option in options):
            return None
        return min(options, key=lambda option: len(expand(option, chosen)))

    def expand(start: str, chosen: set[str]) -> set[str]:
        added: set[str] = set()
        pending = [start]
        while pending:
            name = pending.pop()
            if name in chosen or name in added:
                continue
            added.add(name)
            for group in packages[name].depends:
                if (needed := pick(group, chosen | added)) is not None:
                    pending.append(needed)
        return added

    chosen: set[str] = set()
    for group in wanted:
        if (needed := pick(group, chosen)) is not None:
            chosen |= expand(needed, chosen)
    return chosen


def base_packages(packages: dict[str, Package]) -> list[str]:
    """What debootstrap's minbase starts from: required and Essential packages, and apt."""
    base = [p.name for p in packages.values() if p.priority == BASE_PRIORITY or p.essential]
    return sorted({*base, *BASE_EXTRA})


def deb_depends(deb: Path) -> list[tuple[str, ...]]:
    """A .deb's Pre-Depends and Depends: groups of alternative package names."""
    fields = [
        _run("dpkg-deb", "--showformat", f"${{{field}}}", "--show", str(deb))
        for field in ("Pre-Depends", "Depends")
    ]
    return [group for field in fields for group in _relations(field)]


def _copy_entry(source: Path, root: Path) -> bool:
    """Copy one path of a package into the root as it is here; False when it is missing."""
    if not source.is_absolute() or source == Path("/"):
        return True
    try:
        info = source.lstat()
    except FileNotFoundError:
        return False
    target = root / source.relative_to("/")
    if os.path.lexists(target) and (target.is_dir() or not stat.S_ISREG(info.st_mode)):
        return True  # a folder (or a usrmerge link to one) shared by several packages
    target.parent.mkdir(parents=True, exist_ok=True)
    if stat.S_ISLNK(info.st_mode):
        target.symlink_to(os.readlink(source))
    elif stat.S_ISDIR(info.st_mode):
        target.mkdir()
        target.chmod(stat.S_IMODE(info.st_mode))
    else:
        shutil.copy2(source, target, follow_symlinks=False)
    os.chown(target, info.st_uid, info.st_gid, follow_symlinks=False)
    return True


def _usrmerge_links(root: Path) -> None:
    """/bin -> usr/bin and its kin, made before any file, as on this machine."""
    for top in Path("/").iterdir():
        if top.is_symlink() and top.name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
            link = os.readlink(top)
            (root / top.name).symlink_to(link)
            (root / link.lstrip("/")).mkdir(parents=True, exist_ok=True)


def _info_files(package: Package) -> list[Path]:
    prefix = package.binary_name + "."
    return [
        path
        for path in (DPKG_ADMIN / "info").iterdir()
        if path.name.startswith(prefix) and _INFO_SUFFIX.match(path.name[len(prefix) :])
    ]


def _write_database(root: Path, chosen: list[Package]) -> None:
    """dpkg's database for exactly the chosen packages: status, info files, diversions."""
    admin = root / DPKG_ADMIN.relative_to("/")
    for folder in ("info", "updates", "triggers", "alternatives"):
        (admin / folder).mkdir(parents=True, exist_ok=True)
    status = _run("dpkg-query", "--status", *(p.binary_name for p in chosen))
    (admin / "status").write_text(status)
    for name in ("available", "statoverride"):
        (admin / name).touch()
    # The database layout: without it dpkg looks for Multi-Arch: same packages' info
    # files under their bare names.
    shutil.copy2(DPKG_ADMIN / "info" / "format", admin / "info" / "format")
    for package in chosen:
        for info in _info_files(package):
            shutil.copy2(info, admin / "info" / info.name)
    names = {p.name for p in chosen}
    lines = (DPKG_ADMIN / "diversions").read_text().splitlines()
    kept = [
        line
        for start in range(0, len(lines) - 2, 3)
        if lines[start + 2] in names
        for line in lines[start : start + 3]
    ]
    (admin / "diversions").write_text("".join(f"{line}\n" for line in kept))


def _alternatives(root: Path) -> None:
    """The alternatives links (awk -> mawk) whose chosen program is in the root.

    update-alternatives makes them in maintainer scripts, so no file list names them.
    The choice database is copied only where every choice it lists is in the root.
    """
    for admin in sorted((DPKG_ADMIN / "alternatives").iterdir()):
        lines = admin.read_text().splitlines()
        links = {admin.name: lines[1]}
        index = 2
        while index + 1 < len(lines) and lines[index]:
            links[lines[index]] = lines[index + 1]
            index += 2
        choices = lines[index + 1 :: 2 + len(links) - 1]
        for name, link in links.items():
            selected = ALTERNATIVES_LINKS / name
            if not selected.is_symlink():
                continue
            program = os.readlink(selected)
            if not os.path.lexists(root / program.lstrip("/")):
                continue
            if not Path(link).is_symlink():
                continue
            for path, target in ((selected, program), (Path(link), os.readlink(link))):
                here = root / path.relative_to("/")
                if not os.path.lexists(here):
                    here.parent.mkdir(parents=True, exist_ok=True)
                    here.symlink_to(target)
        if all(os.path.lexists(root / choice.lstrip("/")) for choice in choices if choice.strip()):
            shutil.copy2(admin, root / DPKG_ADMIN.relative_to("/") / "alternatives")


def _devices(dev: Path) -> None:
    """/dev as debootstrap makes it for a chroot: device nodes, shm and pts, fd links."""
    for name, mode, major, minor in DEVICES:
        node = dev / name
        if not os.path.lexists(node):
            os.mknod(node, mode | stat.S_IFCHR, os.makedev(major, minor))
            node.chmod(mode)
    for folder, mode in (("shm", 0o1777), ("pts", 0o755)):
        (dev / folder).mkdir(exist_ok=True)
        (dev / folder).chmod(mode)
    links = {"fd": "/proc/self/fd", "ptmx": "pts/ptmx"}
    links |= {name: f"/proc/self/fd/{fd}" for fd, name in enumerate(STREAMS)}
    for name, target in links.items():
        if not os.path.lexists(dev / name):
            (dev / name).symlink_to(target)


def _system_files(root: Path) -> None:
    """What the base packages' maintainer scripts and debootstrap make outside file lists."""
    masters = Path("/usr/share/base-passwd")
    for name in ("passwd", "group"):  # base-passwd's update-passwd, on a new system
        shutil.copy2(masters / f"{name}.master", root / "etc" / name)
    (root / "tmp").chmod(0o1777)
    _devices(root / "dev")
    # libc-bin's trigger: the dynamic linker's cache of the root's own libraries.
    _run("chroot", str(root), "/sbin/ldconfig")


def folder_size(root: Path) -> int:
    return sum(
        path.lstat().st_size for path in root.rglob("*") if path.is_file() and not path.is_symlink()
    )


def make_root(root: Path, extra: Iterable[tuple[str, ...]] = ()) -> list[str]:
    """Build the root in an empty (or new) folder; returns the names of its packages."""
    root.mkdir(parents=True, exist_ok=True)
    if any(root.iterdir()):
        raise SystemExit(f"{root} is not empty")
    packages = installed_packages()
    base = [(name,) for name in base_packages(packages)]
    chosen = sorted(closure([*base, *extra], packages))
    _usrmerge_links(root)
    paths: set[str] = set()
    for name in chosen:
        paths.update(
            (DPKG_ADMIN / "info" / f"{packages[name].binary_name}.list").read_text().split("\n")
        )
    missing = [path for path in sorted(paths - {""}) if not _copy_entry(Path(path), root)]
    _write_database(root, [packages[name] for name in chosen])
    _alternatives(root)
    _system_files(root)
    if missing:
        print(f"{len(missing)} listed paths are not on this machine (skipped)", file=sys.stderr)
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    parser.add_argument("root", type=Path, help="an empty or new folder")
    parser.add_argument("--with", dest="extra", action="append", default=[], metavar="PACKAGE")
    parser.add_argument("--depends-of", action="append", default=[], type=Path, metavar="DEB")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        parser.error("must run as root (file owners, device nodes, chroot)")
    extra: list[tuple[str, ...]] = [(name,) for name in args.extra]
    extra += [group for deb in args.depends_of for group in deb_depends(deb)]
    chosen = make_root(args.root, extra)
    size_mb = folder_size(args.root) / 1e6
    print(f"{args.root}: {len(chosen)} packages, {size_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
