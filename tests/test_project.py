"""Project configuration that the promises of the README rest on."""

from __future__ import annotations

import re
import tomllib
from collections import OrderedDict
from importlib.metadata import metadata, version
from pathlib import Path
from types import SimpleNamespace

from nbval.plugin import IPyNbCell, get_sanitize_patterns

ROOT = Path(__file__).resolve().parent.parent


def test_nbval_is_strict_everywhere():
    addopts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]["addopts"]
    assert re.search(r"--nbval(\s|$)", addopts) and "--nbval-current-env" in addopts
    for name in (".ci/run", "pyproject.toml", "README.md", ".github/workflows/ci.yml"):
        assert "nbval-lax" not in (ROOT / name).read_text(), f"{name} uses --nbval-lax"


def test_requirements_are_exact_pins_and_are_what_is_installed():
    lines = [
        line.strip()
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines[-1] == "-e .", "requirements.txt must end by installing this repository's helpers package"
    for line in lines[:-1]:
        name, pinned = line.split("==")
        assert version(name) == pinned, f"{name} {version(name)} is installed, requirements.txt pins {pinned}"


def test_the_package_metadata_says_mit():
    assert metadata("backprop-helpers")["License-Expression"] == "MIT"  # what pip and PyPI show


def _sanitize(text: str) -> str:
    """tests/nbval_sanitize.cfg applied by nbval's own code: its parser, then its cells' sanitize method."""
    patterns = OrderedDict(get_sanitize_patterns((ROOT / "tests" / "nbval_sanitize.cfg").read_text()))
    return IPyNbCell.sanitize(SimpleNamespace(parent=SimpleNamespace(sanitize_patterns=patterns)), text)


def test_sanitize_blanks_only_machine_noise():
    assert _sanitize("epoch 3: loss 0.1234, 12.34 s") == "epoch 3: loss 0.1234, TIME"
    assert _sanitize("loop 115.20 ms, batched 830 µs") == "loop TIME, batched TIME"
    assert _sanitize("<Foo at 0x7f3a2b>") == "<Foo at 0xADDRESS>"
    assert _sanitize("W1  relative error: 2.3e-10") == "W1  relative error: below 1e-7"
    assert _sanitize("relative error: 8.9e-08") == "relative error: below 1e-7"
    assert _sanitize("largest relative error: 0.0e+00") == "largest relative error: below 1e-7"
    for kept in (
        "relative error: 1.0e-07",
        "relative error: 7.7e-01",
        "Test accuracy: 98.25%",
        "15.2x faster",
    ):
        assert _sanitize(kept) == kept
