"""helpers.data.load_names: makemore's names.txt from a folder, the cache, and downloads over loopback.

The expected facts are the published ones (../shared/data/README.md: 32,033 names, 228,145 bytes, the
sha256), not values computed by the loader under test. Nothing here reaches the internet.
"""

from __future__ import annotations

import shutil

import pytest

from helpers.data import NAMES_BYTES, NAMES_SHA256, NamesError, load_names


@pytest.fixture
def names_dir(mnist_dir):
    """The folder holding names.txt next to MNIST (MNIST_DIR, or ../shared/data)."""
    if not (mnist_dir / "names.txt").is_file():
        pytest.skip("no local names.txt next to the MNIST files")
    return mnist_dir


def _check_names(names):
    assert len(names) == 32_033
    assert names[:5] == ["emma", "olivia", "ava", "isabella", "sophia"]
    assert sum(len(name) + 1 for name in names) - 1 == NAMES_BYTES  # one newline between names
    assert set("".join(names)) == set("abcdefghijklmnopqrstuvwxyz")
    assert max(len(name) for name in names) == 15 and min(len(name) for name in names) == 2


def test_loads_the_names_from_mnist_dir(names_dir, monkeypatch):
    monkeypatch.setenv("MNIST_DIR", str(names_dir))
    _check_names(load_names())


def test_folder_without_names_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_DIR", str(tmp_path))
    with pytest.raises(NamesError, match="has no names.txt.*MNIST_DIR") as error:
        load_names()
    assert str(tmp_path) in str(error.value) and NAMES_SHA256 in str(error.value)


def test_missing_folder_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_DIR", str(tmp_path / "typo"))
    with pytest.raises(NamesError, match="does not exist.*MNIST_DIR"):
        load_names()


def test_corrupted_file_is_refused_with_its_checksum(names_dir, tmp_path):
    data = bytearray((names_dir / "names.txt").read_bytes())
    data[1000] ^= 0x01
    (tmp_path / "names.txt").write_bytes(bytes(data))
    with pytest.raises(NamesError) as error:
        load_names(tmp_path)
    message = str(error.value)
    assert "corrupted" in message and NAMES_SHA256 in message and "Replace it" in message


def test_truncated_file_is_refused_with_its_size(names_dir, tmp_path):
    (tmp_path / "names.txt").write_bytes((names_dir / "names.txt").read_bytes()[:5000])
    with pytest.raises(NamesError, match="truncated: it holds 5,000 bytes.*228,145"):
        load_names(tmp_path)


def test_download_verifies_and_then_works_offline(mirror_server, empty_cache):
    _check_names(load_names(url=mirror_server.url("good") + "names.txt"))
    assert [p.name for p in empty_cache.iterdir()] == ["names.txt"]
    assert len(mirror_server.requests_seen) == 1
    _check_names(load_names(download=False))  # from the cache, no request
    assert len(mirror_server.requests_seen) == 1


@pytest.mark.parametrize("kind", ["corrupt", "truncated", "missing"])
def test_bad_download_raises_and_leaves_nothing(mirror_server, empty_cache, kind):
    url = mirror_server.url(kind) + "names.txt"
    with pytest.raises(NamesError) as error:
        load_names(url=url)
    message = str(error.value)
    assert url in message and NAMES_SHA256 in message and "MNIST_DIR" in message
    if kind == "corrupt":
        assert "checksum mismatch" in message
    assert not empty_cache.exists() or list(empty_cache.iterdir()) == []


def test_no_network_fails_naming_mnist_dir(mirror_server, empty_cache):
    with pytest.raises(NamesError, match="MNIST_DIR"):
        load_names(url=mirror_server.dead_url + "names.txt")


def test_download_false_never_touches_the_network(mirror_server, empty_cache):
    with pytest.raises(NamesError, match="download=False.*MNIST_DIR"):
        load_names(download=False, url=mirror_server.url("good") + "names.txt")
    assert mirror_server.requests_seen == []


def test_bad_file_in_cache_is_removed(names_dir, empty_cache):
    empty_cache.mkdir(parents=True)
    shutil.copy(names_dir / "names.txt", empty_cache / "names.txt")
    (empty_cache / "names.txt").write_bytes(b"emma\nolivia")
    with pytest.raises(NamesError, match="truncated"):
        load_names(download=False)
    assert not (empty_cache / "names.txt").exists()
