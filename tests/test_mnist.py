"""helpers.data.load_mnist: reading a folder, the cache, and real downloads over loopback.

The expected numbers are the published facts about MNIST (../shared/data/README.md), not values
computed by the loader under test.
"""

from __future__ import annotations

import gzip
import shutil
import time

import numpy as np
import pytest

from helpers.data import MNIST_FILES, MnistError, _read_idx, load_mnist

TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def _check_arrays(arrays):
    (x_train, y_train), (x_test, y_test) = arrays
    assert x_train.shape == (60000, 28, 28) and x_train.dtype == np.uint8
    assert y_train.shape == (60000,) and y_train.dtype == np.uint8
    assert x_test.shape == (10000, 28, 28) and x_test.dtype == np.uint8
    assert y_test.shape == (10000,) and y_test.dtype == np.uint8
    assert np.bincount(y_train).tolist() == TRAIN_COUNTS
    assert np.bincount(y_test).tolist() == TEST_COUNTS
    assert y_train[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert y_test[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    pixels = x_train / 255.0
    assert round(float(pixels.mean()), 4) == 0.1307
    assert round(float(pixels.std()), 4) == 0.3081


def test_loads_the_original_arrays_from_mnist_dir(mnist_dir, monkeypatch):
    monkeypatch.setenv("MNIST_DIR", str(mnist_dir))
    _check_arrays(load_mnist())


def test_data_dir_argument_overrides_the_environment(mnist_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("MNIST_DIR", str(tmp_path / "nowhere"))
    _check_arrays(load_mnist(mnist_dir))


def test_wrong_mnist_dir_names_the_missing_files(mnist_dir, tmp_path, monkeypatch):
    for name in ("train-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
        shutil.copy(mnist_dir / name, tmp_path / name)
    monkeypatch.setenv("MNIST_DIR", str(tmp_path))
    with pytest.raises(MnistError) as error:
        load_mnist()
    message = str(error.value)
    assert "train-labels-idx1-ubyte.gz" in message and "t10k-images-idx3-ubyte.gz" in message
    assert "train-images-idx3-ubyte.gz" not in message.split("lacks", 1)[1]
    assert str(tmp_path) in message


def test_missing_mnist_dir_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_DIR", str(tmp_path / "typo"))
    with pytest.raises(MnistError, match="does not exist.*MNIST_DIR"):
        load_mnist()


def test_corrupted_file_in_folder_is_refused_with_its_checksum(mnist_dir, tmp_path):
    for name in MNIST_FILES:
        shutil.copy(mnist_dir / name, tmp_path / name)
    victim = tmp_path / "train-labels-idx1-ubyte.gz"
    data = bytearray(victim.read_bytes())
    data[100] ^= 0x01
    victim.write_bytes(bytes(data))
    with pytest.raises(MnistError) as error:
        load_mnist(tmp_path)
    message = str(error.value)
    assert "train-labels-idx1-ubyte.gz" in message
    assert MNIST_FILES["train-labels-idx1-ubyte.gz"] in message
    assert "corrupted" in message


def test_truncated_file_in_folder_is_refused(mnist_dir, tmp_path):
    for name in MNIST_FILES:
        shutil.copy(mnist_dir / name, tmp_path / name)
    victim = tmp_path / "t10k-images-idx3-ubyte.gz"
    victim.write_bytes(victim.read_bytes()[:1000])
    with pytest.raises(MnistError, match="t10k-images-idx3-ubyte.gz.*corrupted or incomplete"):
        load_mnist(tmp_path)


def test_download_verifies_and_then_works_offline(mirror_server, empty_cache):
    arrays = load_mnist(mirrors=[mirror_server.url("good")])
    _check_arrays(arrays)
    assert sorted(p.name for p in empty_cache.iterdir()) == sorted(MNIST_FILES)
    assert len(mirror_server.requests_seen) == 4
    _check_arrays(load_mnist(download=False))  # from the cache, no request
    assert len(mirror_server.requests_seen) == 4


def test_checksum_mismatch_raises_and_leaves_nothing(mirror_server, empty_cache):
    with pytest.raises(MnistError) as error:
        load_mnist(mirrors=[mirror_server.url("corrupt")])
    message = str(error.value)
    assert "train-images-idx3-ubyte.gz" in message
    assert MNIST_FILES["train-images-idx3-ubyte.gz"] in message
    assert "checksum mismatch" in message and "MNIST_DIR" in message
    assert list(empty_cache.iterdir()) == []


def test_dead_mirrors_fall_back_to_the_next(mirror_server, empty_cache):
    mirrors = [mirror_server.dead_url, mirror_server.url("missing"), mirror_server.url("good")]
    _check_arrays(load_mnist(mirrors=mirrors))
    assert sum(path.startswith("/missing/") for path in mirror_server.requests_seen) == 4


def test_truncated_transfer_is_caught_and_leaves_nothing(mirror_server, empty_cache):
    with pytest.raises(MnistError, match="train-images-idx3-ubyte.gz") as error:
        load_mnist(mirrors=[mirror_server.url("truncated")])
    assert mirror_server.url("truncated") in str(error.value)
    assert not empty_cache.exists() or list(empty_cache.iterdir()) == []


def test_no_network_and_no_copy_fails_fast_naming_mnist_dir(mirror_server, empty_cache):
    # Refused connections and an unresolvable name (RFC 2606 reserves .invalid) stand for "offline".
    start = time.monotonic()
    with pytest.raises(MnistError) as error:
        load_mnist(mirrors=[mirror_server.dead_url, "http://mnist-mirror.invalid/"])
    elapsed = time.monotonic() - start
    assert "MNIST_DIR" in str(error.value)
    # Not a performance figure: a generous bound that only a hang (e.g. no timeout) would cross.
    assert elapsed < 30, f"giving up took {elapsed:.0f} s; it must not hang"


def test_download_false_never_touches_the_network(mirror_server, empty_cache):
    with pytest.raises(MnistError, match="download=False.*MNIST_DIR"):
        load_mnist(download=False, mirrors=[mirror_server.url("good")])
    assert mirror_server.requests_seen == []


def test_bad_file_in_cache_is_removed(mnist_dir, empty_cache):
    empty_cache.mkdir(parents=True)
    for name in MNIST_FILES:
        shutil.copy(mnist_dir / name, empty_cache / name)
    (empty_cache / "t10k-labels-idx1-ubyte.gz").write_bytes(b"not mnist")
    with pytest.raises(MnistError, match="t10k-labels-idx1-ubyte.gz"):
        load_mnist(download=False)
    assert not (empty_cache / "t10k-labels-idx1-ubyte.gz").exists()
    assert (empty_cache / "train-images-idx3-ubyte.gz").exists()


def test_idx_parser_checks_magic_and_length(tmp_path):
    good = tmp_path / "labels.gz"
    with gzip.open(good, "wb") as stream:
        stream.write(bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9]))
    assert _read_idx(good, 0x00000801).tolist() == [7, 8, 9]
    with pytest.raises(MnistError, match="magic 0x00000801, expected 0x00000803"):
        _read_idx(good, 0x00000803)
    short = tmp_path / "short.gz"
    with gzip.open(short, "wb") as stream:
        stream.write(bytes([0, 0, 8, 1, 0, 0, 0, 5, 7, 8, 9]))
    with pytest.raises(MnistError, match=r"promises shape \(5,\)"):
        _read_idx(short, 0x00000801)
