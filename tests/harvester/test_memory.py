"""Between the batches of a long job the free C heap goes back to the system
(:mod:`harvester.memory`), during the pause that lets other writers in."""

from __future__ import annotations

import platform

import pytest

from harvester import memory
from harvester.store import Library
from harvester.store import library as store_library


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_glibc_trim_is_found():
    assert memory._libc() is not None
    memory.release_free_memory()  # callable: the symbol exists and takes its argument


def test_the_pause_between_batches_releases_free_memory(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(store_library, "release_free_memory", lambda: calls.append(1))
    with Library(tmp_path / "lib.db") as library:
        with library.write():
            pass
        library.let_others_in()
    assert calls == [1]
