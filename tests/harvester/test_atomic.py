"""harvester.ops.atomic.write_if_changed: whole-file replacement, no leftovers, mode kept."""

from __future__ import annotations

import os

import pytest

from harvester.ops import atomic
from harvester.ops.atomic import write_if_changed


def test_new_file_and_missing_directories_are_created(tmp_path):
    path = tmp_path / "out" / "refs.bib"
    assert write_if_changed(path, "@article{a,}\n") is True
    assert path.read_text("utf-8") == "@article{a,}\n"
    assert os.listdir(path.parent) == ["refs.bib"]  # no temporary file left behind


def test_changed_content_replaces_the_file_in_one_rename_and_keeps_its_mode(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text("old\n", "utf-8")
    path.chmod(0o640)
    inode = path.stat().st_ino
    # A reader holding the old file keeps reading the old content: the new one is a new inode.
    with path.open("rb") as reader:
        assert write_if_changed(path, "new ü\n") is True
        assert reader.read() == b"old\n"
    assert path.read_text("utf-8") == "new ü\n"
    assert path.stat().st_ino != inode
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(os.listdir(tmp_path)) == ["refs.bib"]


def test_unchanged_content_is_not_written(tmp_path):
    path = tmp_path / "refs.bib"
    assert write_if_changed(path, "same\n")
    stamp = path.stat().st_mtime_ns, path.stat().st_ino
    assert write_if_changed(path, "same\n") is False
    assert (path.stat().st_mtime_ns, path.stat().st_ino) == stamp


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "refs.bib"
    path.write_text("old\n", "utf-8")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_if_changed(path, "new\n")
    assert path.read_text("utf-8") == "old\n"
    assert os.listdir(tmp_path) == ["refs.bib"]


def test_pieces_are_written_as_they_come_and_compared_without_joining(tmp_path):
    path = tmp_path / "refs.bib"
    pieces = ["@article{a,}\n", "\n", "@article{b, title = {Ü}}\n"]
    assert write_if_changed(path, iter(pieces)) is True
    assert path.read_text("utf-8") == "".join(pieces)
    stamp = path.stat().st_mtime_ns, path.stat().st_ino
    assert write_if_changed(path, iter(pieces)) is False  # same content, other piece sizes...
    assert write_if_changed(path, iter(["".join(pieces)])) is False  # ...or one piece
    assert (path.stat().st_mtime_ns, path.stat().st_ino) == stamp
    assert write_if_changed(path, iter(pieces[:2])) is True  # a prefix is a change
    assert path.read_text("utf-8") == "".join(pieces[:2])
    assert sorted(os.listdir(tmp_path)) == ["refs.bib"]


def test_an_error_while_the_pieces_are_made_leaves_the_old_file(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text("old\n", "utf-8")

    def pieces():
        yield "@article{a,}\n"
        raise ValueError("citation key 'a' occurs twice")

    with pytest.raises(ValueError, match="occurs twice"):
        write_if_changed(path, pieces())
    assert path.read_text("utf-8") == "old\n"
    assert os.listdir(tmp_path) == ["refs.bib"]


def test_same_size_other_bytes_are_written_and_same_bytes_are_not(tmp_path):
    """Content is compared byte for byte when the sizes agree (no hash of what is written)."""
    from harvester.ops.atomic import write_if_changed

    path = tmp_path / "refs.bib"
    big = ["x" * 700_000, "y" * 700_000]  # more than one comparison chunk
    assert write_if_changed(path, big) is True
    assert write_if_changed(path, big) is False
    changed = ["x" * 700_000, "y" * 699_999 + "z"]
    assert write_if_changed(path, changed) is True
    assert path.read_text() == "".join(changed)
    assert write_if_changed(path, "é") is True  # other size
    assert path.read_text(encoding="utf-8") == "é"
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind
