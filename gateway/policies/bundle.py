"""An OPA bundle of exactly what the embedded engine runs.

`build_bundle()` packs the Rego modules (without their unit tests), the catalogue as
`ungeprofil/catalogue/data.json` and the lookups derived from it (`sources.derived_index`) as
`ungeprofil/index/data.json`, with a `.manifest` whose `revision` is the catalogue's
`policy_version` and whose only root is `ungeprofil`. Serve the bytes to OPA (bundle service,
or `opa run --server bundle.tar.gz`). The archive is byte-for-byte reproducible: fixed order,
fixed times and owners.
"""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gateway.policies.sources import (
    CATALOGUE_DATA_PATH,
    INDEX_DATA_PATH,
    POLICY_DIR,
    derived_index,
    load_catalogue,
    policy_modules,
    policy_version,
)

BUNDLE_ROOT = CATALOGUE_DATA_PATH[0]


def bundle_files(
    path: Path = POLICY_DIR, catalogue: Mapping[str, Any] | None = None
) -> dict[str, bytes]:
    """The files of the bundle by their path inside it."""
    data = (
        dict(catalogue)
        if catalogue is not None
        else load_catalogue(path / "data" / "catalogue.json")
    )
    manifest = {"revision": policy_version(data), "roots": [BUNDLE_ROOT]}
    files = {".manifest": json.dumps(manifest, sort_keys=True).encode()}
    for name, source in policy_modules(path).items():
        files[f"{BUNDLE_ROOT}/{name}"] = source.encode()
    files["/".join(CATALOGUE_DATA_PATH) + "/data.json"] = json.dumps(
        data, sort_keys=True, ensure_ascii=False
    ).encode()
    files["/".join(INDEX_DATA_PATH) + "/data.json"] = json.dumps(
        derived_index(data), sort_keys=True, ensure_ascii=False
    ).encode()
    return files


def build_bundle(path: Path = POLICY_DIR, catalogue: Mapping[str, Any] | None = None) -> bytes:
    """The bundle as tar.gz bytes."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name, content in sorted(bundle_files(path, catalogue).items()):
            info = tarfile.TarInfo(name=f"/{name}")
            info.size = len(content)
            info.mode = 0o644
            info.mtime = 0
            archive.addfile(info, io.BytesIO(content))
    return gzip.compress(raw.getvalue(), mtime=0)


def read_bundle(bundle: bytes) -> tuple[dict[str, Any], dict[str, str], dict[str, Any]]:
    """(manifest, Rego modules by path, data document) of a bundle made by `build_bundle`."""
    manifest: dict[str, Any] = {}
    modules: dict[str, str] = {}
    data: dict[str, Any] = {}
    with tarfile.open(fileobj=io.BytesIO(bundle), mode="r:gz") as archive:
        for member in archive.getmembers():
            handle = archive.extractfile(member)
            if handle is None:
                continue
            content = handle.read()
            name = member.name.lstrip("/")
            if name == ".manifest":
                manifest = json.loads(content)
            elif name.endswith(".rego"):
                modules[name] = content.decode()
            elif name.endswith("data.json"):
                node = data
                for part in name.split("/")[:-1]:
                    node = node.setdefault(part, {})
                node.update(json.loads(content))
    return manifest, modules, data
