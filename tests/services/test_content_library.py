"""ContentLibrary: bundled packs for new consultations, stored snapshots for old ones."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from consult_aid.domain.errors import NotFound
from consult_aid.domain.people import Clinician, Patient
from consult_aid.paths import procedures_dir
from consult_aid.services.bundle import Services, open_services
from consult_aid.services.content_library import ContentLibrary
from tests.signing_in import sign_in

PACK_ID = "balloon-kyphoplasty"
BUNDLED = procedures_dir() / f"{PACK_ID}.yaml"


def _copy_of_the_pack(
    folder: Path, *, title: str | None = None, version: str | None = None
) -> Path:
    """Write the bundled pack into ``folder``, optionally with a new title or version."""
    folder.mkdir(exist_ok=True)
    text = BUNDLED.read_text(encoding="utf-8")
    if title is not None:
        text = text.replace(
            "\ntitle: Balloon kyphoplasty and SpineJack\n", f"\ntitle: {title}\n", 1
        )
    if version is not None:
        text = text.replace('\nversion: "1.0.0"\n', f'\nversion: "{version}"\n', 1)
    name = f"{PACK_ID}-{version}.yaml" if version else f"{PACK_ID}.yaml"
    target = folder / name
    target.write_text(text, encoding="utf-8")
    return target


def test_current_loads_the_bundled_pack_and_stores_its_text(
    services: Services, tmp_path: Path
) -> None:
    pack = services.library.current(PACK_ID)
    assert pack.id == PACK_ID
    assert {v.id for v in pack.variants} == {"balloon", "spinejack"}
    # A library with no pack files at all still reads the stored snapshot.
    empty = tmp_path / "no-packs"
    empty.mkdir()
    from_store = ContentLibrary(services.db, empty).by_hash(pack.info.content_hash)
    assert from_store == pack
    assert from_store.info.content_hash == pack.info.content_hash


def test_unknown_packs_and_hashes_are_not_found(services: Services) -> None:
    with pytest.raises(NotFound):
        services.library.current("hip-replacement")
    with pytest.raises(NotFound):
        services.library.by_hash("0" * 64)


def test_a_bad_pack_file_is_logged_and_skipped(
    db_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "packs"
    _copy_of_the_pack(folder)
    (folder / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    bundle = open_services(db_url, folder)
    try:
        with caplog.at_level(logging.WARNING):
            packs = bundle.library.available()
    finally:
        bundle.close()
    assert [p.id for p in packs] == [PACK_ID]
    assert "broken.yaml" in caplog.text


def test_the_newest_version_is_current(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "packs"
    for version in ("1.2.0", "1.10.0", "1.9.3"):
        _copy_of_the_pack(folder, version=version)
    bundle = open_services(db_url, folder)
    try:
        assert bundle.library.current(PACK_ID).info.version == "1.10.0"
        assert sorted(p.info.version for p in bundle.library.available()) == [
            "1.10.0",
            "1.2.0",
            "1.9.3",
        ]
    finally:
        bundle.close()


def test_an_old_consultation_keeps_its_pack_after_the_file_changes(
    db_url: str, tmp_path: Path, clinician: Clinician, patient: Patient
) -> None:
    folder = tmp_path / "packs"
    pack_file = _copy_of_the_pack(folder)
    before = open_services(db_url, folder)
    try:
        sign_in(before, "anna")
        old = before.consultations.start(patient.id, clinician.id, PACK_ID, "balloon")
    finally:
        before.close()
    _copy_of_the_pack(folder, title="Kyphoplasty, the new edition", version="2.0.0")
    pack_file.unlink()

    after = open_services(db_url, folder)
    try:
        sign_in(after, "anna")
        reloaded = after.consultations.load(old.header.id)
        assert reloaded.pack.title == "Balloon kyphoplasty and SpineJack"
        assert reloaded.pack == old.pack
        assert reloaded.header.pack_hash == old.header.pack_hash
        assert reloaded.header.pack_version == "1.0.0"
        new = after.consultations.start(patient.id, clinician.id, PACK_ID, "balloon")
        assert new.pack.title == "Kyphoplasty, the new edition"
        assert new.header.pack_version == "2.0.0"
        assert new.header.pack_hash != old.header.pack_hash
    finally:
        after.close()
