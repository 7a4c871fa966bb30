#!/usr/bin/env python3
"""Vendor a browser library from the npm registry into a static folder, so pages work offline.

    python3 scripts/vendor_npm.py cytoscape 3.34.4 dist/cytoscape.min.js --into src/shelter/network/static/network/vendor

Fetches the package with ``npm pack`` (the ordinary npm client), copies the named files and the package's licence
file, and records name, version, licence and each file's SHA-256 in ``VENDOR.json`` in that folder. Refuses a
package under a GPL or AGPL licence. Run again with a new version to upgrade.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REFUSED_LICENCES = ("GPL", "AGPL")  # LGPL passes: it does not start with either


def _licence(meta: dict[str, object]) -> str:
    value = meta.get("license", "")
    return str(value.get("type", "") if isinstance(value, dict) else value)


def vendor(name: str, version: str, files: list[str], into: Path) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as work:
        packed = subprocess.run(["npm", "pack", f"{name}@{version}", "--pack-destination", work, "--silent"],
                                check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
        with tarfile.open(Path(work) / packed) as archive:
            members = {m.name.removeprefix("package/"): m for m in archive.getmembers() if m.isfile()}
            meta = json.load(archive.extractfile(members["package.json"]))  # type: ignore[arg-type]
            licence = _licence(meta)
            if licence.upper().startswith(REFUSED_LICENCES):
                raise SystemExit(f"{name} {version} is under {licence}: not vendored (no GPL or AGPL)")
            licence_file = next((n for n in members if n.upper().startswith(("LICENSE", "LICENCE", "COPYING"))), None)
            into.mkdir(parents=True, exist_ok=True)
            recorded = {}
            for wanted in files + ([licence_file] if licence_file else []):
                if wanted not in members:
                    raise SystemExit(f"{name} {version} has no file {wanted}")
                data = archive.extractfile(members[wanted]).read()  # type: ignore[union-attr]
                target = into / (f"{name}.LICENSE" if wanted == licence_file else Path(wanted).name)
                target.write_bytes(data)
                recorded[target.name] = hashlib.sha256(data).hexdigest()
    entry: dict[str, object] = {"name": name, "version": version, "license": licence, "files": recorded,
                                "homepage": meta.get("homepage", "")}
    manifest = into / "VENDOR.json"
    entries = json.loads(manifest.read_text(encoding="utf-8")) if manifest.exists() else []
    entries = [e for e in entries if e["name"] != name] + [entry]
    manifest.write_text(json.dumps(sorted(entries, key=lambda e: e["name"]), indent=2) + "\n", encoding="utf-8")
    return entry


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("name")
    parser.add_argument("version")
    parser.add_argument("files", nargs="+", help="paths inside the package, e.g. dist/cytoscape.min.js")
    parser.add_argument("--into", type=Path, required=True, help="the static folder to place them in")
    arguments = parser.parse_args()
    entry = vendor(arguments.name, arguments.version, arguments.files, arguments.into)
    print(json.dumps(entry, indent=2), file=sys.stdout)


if __name__ == "__main__":
    main()
