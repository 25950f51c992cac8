"""The OPA bundle holds exactly the policy and data the embedded engine runs."""

from __future__ import annotations

import io
import json
import tarfile

from gateway.policies.bundle import build_bundle, read_bundle
from gateway.policies.sources import data_document, load_catalogue, policy_modules, policy_version


def test_bundle_contents() -> None:
    bundle = build_bundle()
    manifest, modules, data = read_bundle(bundle)
    assert manifest == {"revision": policy_version(load_catalogue()), "roots": ["ungeprofil"]}
    assert {name.split("/")[-1]: text for name, text in modules.items()} == policy_modules()
    assert not any(name.endswith("_test.rego") for name in modules)
    # The catalogue and the lookups derived from it, exactly as the embedded engine gets them.
    assert data == data_document(load_catalogue())
    assert set(data["ungeprofil"]) == {"catalogue", "index"}


def test_bundle_is_reproducible_and_a_plain_tar_gz() -> None:
    assert build_bundle() == build_bundle()
    with tarfile.open(fileobj=io.BytesIO(build_bundle()), mode="r:gz") as archive:
        names = archive.getnames()
        manifest = archive.extractfile("/.manifest")
        assert manifest is not None
        assert json.loads(manifest.read())["revision"]
    assert "/ungeprofil/catalogue/data.json" in names
    assert "/ungeprofil/index/data.json" in names
    assert "/ungeprofil/decision.rego" in names


def test_revision_follows_the_catalogue() -> None:
    catalogue = load_catalogue()
    catalogue["policy_version"] = "2030-01-01.7"
    manifest, _, _ = read_bundle(build_bundle(catalogue=catalogue))
    assert manifest["revision"] == "2030-01-01.7"
