"""The in-memory repository and JSON snapshots."""

from __future__ import annotations

import pytest

from bazaar.storage import (
    DuplicateRecord,
    Repository,
    StaleWrite,
    load_snapshot,
    new_id,
    save_snapshot,
)


class TestRepository:
    def test_missing_key_is_a_key_error_naming_the_record(self):
        """get() of an unknown key raises KeyError whose text says 'not found'."""
        repo: Repository[int] = Repository("order")
        with pytest.raises(KeyError) as info:
            repo.get("ord-404")
        assert str(info.value) == "'order ord-404 not found'"
        assert "not found" in str(info.value)

    def test_duplicate_add_is_a_value_error(self):
        """Adding an existing key raises DuplicateRecord, caught as ValueError."""
        repo: Repository[int] = Repository("order")
        repo.add("a", 1)
        with pytest.raises(ValueError, match=r"^order a already exists$"):
            repo.add("a", 2)
        with pytest.raises(DuplicateRecord):
            repo.add("a", 3)

    def test_stale_write_is_refused(self):
        """update() with an outdated version raises StaleWrite, a RuntimeError."""
        repo: Repository[str] = Repository("hold")
        repo.add("h", "v1")
        version, _ = repo.get_versioned("h")
        repo.update("h", "v2")
        with pytest.raises(RuntimeError) as info:
            repo.update("h", "v3", version=version)
        assert isinstance(info.value, StaleWrite)
        assert str(info.value) == "hold h was modified: expected version 1, found 2"
        assert repo.get("h") == "v2"

    def test_find_returns_none_for_missing(self):
        """find() turns the KeyError of a missing record into None."""
        repo: Repository[int] = Repository("order")
        assert repo.find("nope") is None

    def test_new_id_rejects_bad_prefix(self):
        """new_id() refuses a prefix that is not an identifier."""
        assert new_id("probe").startswith("probe-")
        with pytest.raises(ValueError, match="id prefix must be an identifier, got 'a b'"):
            new_id("a b")


class TestSnapshot:
    def test_round_trip(self, tmp_path):
        """A saved snapshot loads back unchanged."""
        path = tmp_path / "snap.json"
        save_snapshot(path, {"orders": {"o-1": {"hours": 3}}})
        assert load_snapshot(path) == {"orders": {"o-1": {"hours": 3}}}

    def test_missing_file_is_empty(self, tmp_path):
        """A missing snapshot file means an empty store, not an error."""
        assert load_snapshot(tmp_path / "absent.json") == {}

    def test_corrupt_file_is_a_value_error(self, tmp_path):
        """Unparseable JSON raises ValueError naming the line."""
        path = tmp_path / "snap.json"
        path.write_text('{"version": 3,\n"tables": }', encoding="utf-8")
        with pytest.raises(ValueError, match=r"snap\.json is corrupt at line 2$"):
            load_snapshot(path)

    def test_unwritable_directory_is_a_runtime_error(self, tmp_path):
        """Writing into a missing folder raises RuntimeError naming the target."""
        target = tmp_path / "missing" / "snap.json"
        with pytest.raises(RuntimeError, match=r"^cannot write snapshot .*snap\.json: "):
            save_snapshot(target, {})
