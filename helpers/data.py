"""Data sets and the small data tools the notebooks share.

Loading and splitting data is kept here because it would distract from the lessons. What the
notebooks teach (the layers, their gradients, the training loop) is written in the notebooks and
exported to the other modules of `helpers` (tools/export.py); this module is written by hand.

MNIST: Yann LeCun, Corinna Cortes and Christopher J.C. Burges, "The MNIST database of handwritten
digits", derived from NIST Special Databases 1 and 3, made available under the Creative Commons
Attribution-Share Alike 3.0 licence.

names.txt: the data file of Andrej Karpathy's makemore (MIT License, Copyright (c) 2022 Andrej
Karpathy), 32,033 first names from the US Social Security Administration's baby-name data for 2018.
"""

from __future__ import annotations

import gzip
import hashlib
import os
from pathlib import Path

import numpy as np

__all__ = [
    "MNIST_FILES",
    "MNIST_MIRRORS",
    "MnistError",
    "load_mnist",
    "mnist_cache_dir",
    "NAMES_BYTES",
    "NAMES_SHA256",
    "NAMES_URL",
    "NamesError",
    "load_names",
    "load_iris",
    "one_hot",
    "minibatches",
    "train_val_split",
    "mnist_rows",
    "split_mnist",
]

#: The four original files and their published sha256 sums (the ones TensorFlow Datasets publishes).
MNIST_FILES = {
    "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}

#: Public mirrors serving the same bytes under the same four names, tried in order.
MNIST_MIRRORS = (
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://github.com/rossbar/numpy-tutorial-data-mirror/raw/main/",
    "http://yann.lecun.com/exdb/mnist/",
)

_IMAGES_MAGIC = 0x00000803  # IDX: unsigned bytes, 3 dimensions
_LABELS_MAGIC = 0x00000801  # IDX: unsigned bytes, 1 dimension
_DOWNLOAD_TIMEOUT = (5, 30)  # seconds: (connect, read between bytes)

_HOW_TO_FIX = (
    "To use a copy you already have, set the environment variable MNIST_DIR to a folder holding the "
    "four files {names}; to download them, connect to the internet and call load_mnist() again."
)


class MnistError(RuntimeError):
    """MNIST could not be loaded: a file is missing, corrupted or could not be downloaded."""


def mnist_cache_dir() -> Path:
    """The per-user cache folder: ``$XDG_CACHE_HOME/backprop-from-scratch/mnist`` (``~/.cache`` by default)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "backprop-from-scratch" / "mnist"


def load_mnist(data_dir: str | os.PathLike | None = None, *, download: bool = True, mirrors=None):
    """Load MNIST as the original uint8 arrays, Keras-style.

    Where the files are looked for, in order:

    1. ``data_dir`` if given, else the folder named by the environment variable ``MNIST_DIR``
       (all four files must be there: nothing is downloaded in this case);
    2. the per-user cache (:func:`mnist_cache_dir`);
    3. the public mirrors (:data:`MNIST_MIRRORS`), each file downloaded into the cache, trying the
       next mirror when one fails, and kept only once its sha256 matches.

    Every file is checked against its published sha256, wherever it came from.

    Args:
        data_dir: a folder with the four ``.gz`` files; overrides ``MNIST_DIR``.
        download: if False, never touch the network (raise if the files are not found locally).
        mirrors: base URLs to download from, in order (default :data:`MNIST_MIRRORS`).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 arrays of shapes (60000, 28, 28), (60000,),
        (10000, 28, 28) and (10000,); pixel values 0-255, labels 0-9.

    Raises:
        MnistError: with a message saying which file, what went wrong, and what to do.
    """
    if data_dir is None and os.environ.get("MNIST_DIR"):
        data_dir = os.environ["MNIST_DIR"]
    if data_dir is not None:
        paths = _files_in_folder(Path(data_dir).expanduser())
    else:
        paths = _files_in_cache(mnist_cache_dir(), download=download, mirrors=mirrors or MNIST_MIRRORS)

    x_train = _read_idx(paths["train-images-idx3-ubyte.gz"], _IMAGES_MAGIC)
    y_train = _read_idx(paths["train-labels-idx1-ubyte.gz"], _LABELS_MAGIC)
    x_test = _read_idx(paths["t10k-images-idx3-ubyte.gz"], _IMAGES_MAGIC)
    y_test = _read_idx(paths["t10k-labels-idx1-ubyte.gz"], _LABELS_MAGIC)
    return (x_train, y_train), (x_test, y_test)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _verify(path: Path, name: str) -> None:
    actual = _sha256(path)
    if actual != MNIST_FILES[name]:
        raise MnistError(
            f"{path} is corrupted or incomplete: its sha256 is {actual}, but the published sha256 of "
            f"{name} is {MNIST_FILES[name]} ({path.stat().st_size:,} bytes on disk). Replace it with "
            f"the original file (or delete it and let load_mnist() download it again)."
        )


def _files_in_folder(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        raise MnistError(
            f"The MNIST folder {folder} does not exist (it came from MNIST_DIR or data_dir). "
            + _HOW_TO_FIX.format(names=", ".join(MNIST_FILES))
        )
    missing = [name for name in MNIST_FILES if not (folder / name).is_file()]
    if missing:
        raise MnistError(
            f"The MNIST folder {folder} lacks {len(missing)} of the 4 files: {', '.join(missing)}. "
            "Put the original files there (names unchanged, still gzipped), or unset MNIST_DIR to "
            "download them into the cache."
        )
    for name in MNIST_FILES:
        _verify(folder / name, name)
    return {name: folder / name for name in MNIST_FILES}


def _files_in_cache(cache: Path, *, download: bool, mirrors) -> dict[str, Path]:
    paths = {}
    for name in MNIST_FILES:
        path = cache / name
        if not path.is_file():
            if not download:
                raise MnistError(
                    f"{name} is not in the cache {cache} and download=False. "
                    + _HOW_TO_FIX.format(names=", ".join(MNIST_FILES))
                )
            _download(name, cache, mirrors)
        try:
            _verify(path, name)
        except MnistError:
            path.unlink()  # a bad cached copy must not survive to be trusted later
            raise
        paths[name] = path
    return paths


def _download(name: str, cache: Path, mirrors) -> None:
    """Fetch ``name`` from the first mirror that serves it intact; pooch writes to a temporary file
    and moves it into place only once the sha256 matches, so a failed download leaves nothing."""
    import pooch  # imported here: only a download needs it
    import requests

    cache.mkdir(parents=True, exist_ok=True)
    downloader = pooch.HTTPDownloader(progressbar=True, timeout=_DOWNLOAD_TIMEOUT)  # tqdm draws the bar
    failures = []
    for base in mirrors:
        url = base.rstrip("/") + "/" + name
        try:
            pooch.retrieve(
                url,
                known_hash=f"sha256:{MNIST_FILES[name]}",
                fname=name,
                path=cache,
                downloader=downloader,
                progressbar=False,
            )
            return
        except ValueError as error:  # pooch raises it when the downloaded bytes do not match the sha256
            kind = "checksum mismatch" if "hash" in str(error) else "rejected"
            failures.append(f"{url}: {kind} ({_first_line(error)})")
        except (requests.RequestException, OSError) as error:
            failures.append(f"{url}: {type(error).__name__}: {_first_line(error)}")
    raise MnistError(
        f"Could not download {name} (expected sha256 {MNIST_FILES[name]}) from any mirror; nothing "
        f"was kept in {cache}.\n  "
        + "\n  ".join(failures)
        + "\n"
        + _HOW_TO_FIX.format(names=", ".join(MNIST_FILES))
    )


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0][:300] if text else "no details"


def _read_idx(path: Path, magic: int) -> np.ndarray:
    """Parse one gzipped IDX file (big-endian header: magic, then one uint32 per dimension)."""
    with gzip.open(path, "rb") as stream:
        raw = stream.read()
    header = np.frombuffer(raw, dtype=">u4", count=1)[0]
    if header != magic:
        raise MnistError(
            f"{path} is not an IDX file of the expected kind: magic {header:#010x}, expected {magic:#010x}."
        )
    n_dims = magic & 0xFF
    shape = tuple(int(d) for d in np.frombuffer(raw, dtype=">u4", count=n_dims, offset=4))
    offset = 4 * (1 + n_dims)
    if len(raw) != offset + int(np.prod(shape)):
        raise MnistError(
            f"{path}: the header promises shape {shape}, but the file holds {len(raw) - offset} values."
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=offset).reshape(shape).copy()


# ----------------------------------------------------------------------------------------------
# names.txt: makemore's 32,033 names (notebook 14)
# ----------------------------------------------------------------------------------------------

#: makemore's data file at commit 988aa59e (pinned, so that the checksum holds), and its sha256.
NAMES_URL = (
    "https://raw.githubusercontent.com/karpathy/makemore/988aa59e4d8fefa526d06f3b453ad116258398d4/names.txt"
)
NAMES_SHA256 = "0a30b5557f192f32ab962680889aac5f6fda0f4cecf40a6d0b5694f58ea8cc4d"
NAMES_BYTES = 228_145
_NAMES_FILE = "names.txt"

_NAMES_HOW_TO_FIX = (
    "To use a copy you already have, put makemore's names.txt ({bytes:,} bytes, sha256 {sha}) in the folder "
    "named by MNIST_DIR (the folder that holds MNIST); to download it, unset MNIST_DIR, connect to the "
    "internet and call load_names() again."
)


class NamesError(RuntimeError):
    """names.txt could not be loaded: it is missing, corrupted, truncated or could not be downloaded."""


def load_names(data_dir: str | os.PathLike | None = None, *, download: bool = True, url: str | None = None):
    """makemore's names.txt as a list of 32,033 lowercase names, in the file's order.

    Where the file is looked for, in order (the same places as :func:`load_mnist`):

    1. ``data_dir`` if given, else the folder named by ``MNIST_DIR`` (nothing is downloaded then);
    2. the per-user cache (:func:`mnist_cache_dir`, the folder MNIST is cached in);
    3. :data:`NAMES_URL` (makemore's file at a pinned commit), downloaded into the cache and kept
       only once its sha256 matches.

    The file is checked against :data:`NAMES_SHA256` wherever it came from; a bad copy in the cache
    is deleted.

    Args:
        data_dir: a folder holding ``names.txt``; overrides ``MNIST_DIR``.
        download: if False, never touch the network.
        url: where to download from (default :data:`NAMES_URL`).

    Returns:
        a list of str, one name per line of the file (only the letters a-z).

    Raises:
        NamesError: with a message saying which file, what was wrong, and what to do.
    """
    if data_dir is None and os.environ.get("MNIST_DIR"):
        data_dir = os.environ["MNIST_DIR"]
    if data_dir is not None:
        folder = Path(data_dir).expanduser()
        path = folder / _NAMES_FILE
        if not path.is_file():
            where = "does not exist" if not folder.is_dir() else f"has no {_NAMES_FILE}"
            raise NamesError(
                f"The data folder {folder} {where} (it came from MNIST_DIR or data_dir). "
                + _NAMES_HOW_TO_FIX.format(bytes=NAMES_BYTES, sha=NAMES_SHA256)
            )
        _verify_names(path)
    else:
        cache = mnist_cache_dir()
        path = cache / _NAMES_FILE
        if not path.is_file():
            if not download:
                raise NamesError(
                    f"{_NAMES_FILE} is not in the cache {cache} and download=False. "
                    + _NAMES_HOW_TO_FIX.format(bytes=NAMES_BYTES, sha=NAMES_SHA256)
                )
            _download_names(cache, url or NAMES_URL)
        try:
            _verify_names(path)
        except NamesError:
            path.unlink()  # a bad cached copy must not survive to be trusted later
            raise
    return path.read_text(encoding="ascii").split("\n")  # no newline after the last name


def _verify_names(path: Path) -> None:
    size = path.stat().st_size
    actual = _sha256(path)
    if actual == NAMES_SHA256:
        return
    if size < NAMES_BYTES:
        problem = f"is truncated: it holds {size:,} bytes, but makemore's names.txt has {NAMES_BYTES:,}"
    else:
        problem = (
            f"is corrupted: its sha256 is {actual} ({size:,} bytes), but makemore's names.txt has sha256 "
            f"{NAMES_SHA256} ({NAMES_BYTES:,} bytes)"
        )
    raise NamesError(
        f"{path} {problem}. Replace it with the original file (or delete it and let load_names() "
        f"download it again from {NAMES_URL})."
    )


def _download_names(cache: Path, url: str) -> None:
    """Fetch names.txt from ``url`` into ``cache``; pooch keeps the file only once its sha256 matches."""
    import pooch  # imported here: only a download needs it
    import requests

    cache.mkdir(parents=True, exist_ok=True)
    try:
        pooch.retrieve(
            url,
            known_hash=f"sha256:{NAMES_SHA256}",
            fname=_NAMES_FILE,
            path=cache,
            downloader=pooch.HTTPDownloader(progressbar=False, timeout=_DOWNLOAD_TIMEOUT),
            progressbar=False,
        )
        return
    except ValueError as error:  # pooch raises it when the downloaded bytes do not match the sha256
        kind = "checksum mismatch" if "hash" in str(error) else "rejected"
        failure = f"{url}: {kind} ({_first_line(error)})"
    except (requests.RequestException, OSError) as error:
        failure = f"{url}: {type(error).__name__}: {_first_line(error)}"
    raise NamesError(
        f"Could not download {_NAMES_FILE} (expected sha256 {NAMES_SHA256}); nothing was kept in {cache}.\n  "
        + failure
        + "\n"
        + _NAMES_HOW_TO_FIX.format(bytes=NAMES_BYTES, sha=NAMES_SHA256)
    )


# ----------------------------------------------------------------------------------------------
# Iris and the small tools every training notebook needs
# ----------------------------------------------------------------------------------------------


def load_iris(test_size: float = 0.3, seed: int = 0):
    """Fisher's iris data (scikit-learn's bundled copy), split and standardised.

    The split is stratified and seeded; the standardisation (zero mean, unit variance per feature)
    is fitted on the training part only and then applied to both parts, so no information about
    the test examples leaks into training.

    Returns:
        ``(x_train, y_train), (x_test, y_test), info``: float64 features of shape (N, 4), integer
        labels 0-2 of shape (N,), and a dict with ``feature_names``, ``class_names``, ``mean`` and
        ``std`` (the training statistics, shape (4,)).
    """
    from sklearn.datasets import load_iris as sklearn_iris
    from sklearn.model_selection import train_test_split

    iris = sklearn_iris()
    x_train, x_test, y_train, y_test = train_test_split(
        iris.data, iris.target, test_size=test_size, stratify=iris.target, random_state=seed
    )
    mean = x_train.mean(axis=0)
    std = x_train.std(axis=0)
    info = {
        "feature_names": [str(name) for name in iris.feature_names],
        "class_names": [str(name) for name in iris.target_names],
        "mean": mean,
        "std": std,
    }
    return ((x_train - mean) / std, y_train), ((x_test - mean) / std, y_test), info


def one_hot(labels, num_classes: int) -> np.ndarray:
    """Turn integer labels of shape (N,) into one-hot rows of shape (N, num_classes), float64.

    Raises ValueError for labels that are not integers or not in ``0 … num_classes-1``.
    """
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(
            f"one_hot expects a 1-D array of labels, got shape {labels.shape}; flatten it first."
        )
    is_float = np.issubdtype(labels.dtype, np.floating)
    if not (np.issubdtype(labels.dtype, np.integer) or is_float):
        raise ValueError(
            f"one_hot expects integer class labels, got dtype {labels.dtype}; pass the class indices "
            "(e.g. y, not the class names)."
        )
    if is_float and not np.all(labels == np.round(labels)):
        example = labels[labels != np.round(labels)][0].item()
        raise ValueError(
            f"one_hot expects integer class labels, got non-integer values such as {example!r}; pass the "
            "class indices (e.g. y, not the network's probabilities)."
        )
    if num_classes < 1:
        raise ValueError(f"num_classes must be at least 1, got {num_classes}.")
    bad = (labels < 0) | (labels >= num_classes)
    if np.any(bad):
        raise ValueError(
            f"one_hot got labels outside 0…{num_classes - 1}: {np.unique(labels[bad])[:5].tolist()} "
            f"({int(bad.sum())} of {labels.size}); check num_classes or the labels."
        )
    encoded = np.zeros((labels.size, num_classes))
    encoded[np.arange(labels.size), labels.astype(np.intp)] = 1.0
    return encoded


def minibatches(X, Y, batch_size: int, rng: np.random.Generator, *, shuffle: bool = True):
    """Yield ``(X_batch, Y_batch)`` pairs that cover every example once (one epoch).

    The order is a fresh permutation drawn from ``rng`` (pass the notebook's seeded generator);
    the last batch is smaller when ``batch_size`` does not divide N.
    """
    X, Y = np.asarray(X), np.asarray(Y)
    if len(X) != len(Y):
        raise ValueError(f"X and Y must have the same number of rows, got {len(X)} and {len(Y)}.")
    if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}.")
    if not isinstance(rng, np.random.Generator):
        raise TypeError("rng must be a numpy Generator, e.g. np.random.default_rng(0).")
    order = rng.permutation(len(X)) if shuffle else np.arange(len(X))
    for start in range(0, len(X), batch_size):
        index = order[start : start + batch_size]
        yield X[index], Y[index]


def train_val_split(X, y, val_size, rng: np.random.Generator):
    """Split off a random validation set.

    Args:
        X, y: arrays with the same number of rows N.
        val_size: a fraction in (0, 1) or a number of examples in 1 … N-1.
        rng: the notebook's seeded generator.

    Returns:
        ``(X_train, y_train), (X_val, y_val)``
    """
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"X and y must have the same number of rows, got {len(X)} and {len(y)}.")
    n = len(X)
    n_val = int(round(val_size * n)) if isinstance(val_size, float) else int(val_size)
    if not 1 <= n_val <= n - 1:
        raise ValueError(
            f"val_size={val_size!r} leaves {n_val} of {n} examples for validation; it must leave at least one on each side."
        )
    order = rng.permutation(n)
    val, train = order[:n_val], order[n_val:]
    return (X[train], y[train]), (X[val], y[val])


def mnist_rows(images):
    """uint8 images (N, 28, 28) -> float64 rows (N, 784) with pixel values in [0, 1]."""
    images = np.asarray(images)
    return images.reshape(len(images), -1).astype(np.float64) / 255.0


def split_mnist(images, labels, n_train: int, n_val: int, rng: np.random.Generator):
    """Disjoint random training and validation subsets of images (N, 28, 28), labels (N,).

    Returns (X_train (n_train, 784), y_train (n_train,)), (X_val (n_val, 784), y_val (n_val,)),
    drawn from one permutation by rng, pixels scaled to [0, 1] in float64 (``mnist_rows``).
    """
    if n_train < 1 or n_val < 0 or n_train + n_val > len(images):
        raise ValueError(
            f"cannot draw {n_train} training and {n_val} validation images from {len(images)}: "
            "ask for fewer (they must not overlap)."
        )
    order = rng.permutation(len(images))
    train_index, val_index = order[:n_train], order[n_train : n_train + n_val]
    return (mnist_rows(images[train_index]), labels[train_index]), (
        mnist_rows(images[val_index]),
        labels[val_index],
    )
