"""Project configuration that the promises of the README rest on."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_nbval_is_strict_everywhere():
    addopts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]["addopts"]
    assert re.search(r"--nbval(\s|$)", addopts) and "--nbval-current-env" in addopts
    for name in (".ci/run", "pyproject.toml", "README.md", ".github/workflows/ci.yml"):
        assert "nbval-lax" not in (ROOT / name).read_text(), f"{name} uses --nbval-lax"
    sanitize = (ROOT / "tests" / "nbval_sanitize.cfg").read_text()
    assert sanitize.count("regex:") == 3, "the sanitize file blanks timings, addresses and round-off only"
    assert r"relative error: \d\.\de-(0[89]|[1-9]\d)\b" in sanitize, "only errors below 1e-7 are blanked"


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


def test_ci_runs_the_readme_test_command_and_binder_gets_python_311():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "&& python -m pytest\n" in readme
    assert re.search(r"^python -m pytest$", ci, re.M)
    assert (ROOT / "runtime.txt").read_text().strip() == "python-3.11"
    assert "MIT License" in (ROOT / "LICENSE").read_text()
