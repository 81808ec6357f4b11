"""Project configuration that the promises of the README rest on."""

from __future__ import annotations

import ast
import json
import os
import re
import sys
import tomllib
from collections import OrderedDict
from importlib.metadata import metadata, packages_distributions, version
from pathlib import Path
from types import SimpleNamespace

from nbval.plugin import IPyNbCell, get_sanitize_patterns
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent


def test_nbval_is_strict_everywhere():
    addopts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]["addopts"]
    assert re.search(r"--nbval(\s|$)", addopts) and "--nbval-current-env" in addopts
    for name in (
        ".ci/run",
        "pyproject.toml",
        "README.md",
        ".github/workflows/ci.yml",
        ".github/workflows/floors.yml",
    ):
        assert "nbval-lax" not in (ROOT / name).read_text(), f"{name} uses --nbval-lax"


def _pins() -> dict[str, str]:
    """requirements.txt as {name: version}; asserts that every line is an exact pin and the last is `-e .`."""
    lines = [
        line.strip()
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines[-1] == "-e .", "requirements.txt must end by installing this repository's helpers package"
    pins = {}
    for line in lines[:-1]:
        assert re.fullmatch(r"[A-Za-z0-9._-]+==[0-9][0-9A-Za-z.]*", line), (
            f"requirements.txt: {line!r} is no exact pin"
        )
        name, pinned = line.split("==")
        pins[canonicalize_name(name)] = pinned
    return pins


def _floors() -> dict[str, str]:
    """pyproject.toml's dependencies as {name: floor}; asserts that each is a bare `name>=version`."""
    floors = {}
    for dependency in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]:
        requirement = Requirement(dependency)
        (specifier,) = requirement.specifier  # exactly one: the floor
        assert specifier.operator == ">=" and not requirement.marker, f"{dependency!r} is not `name>=floor`"
        floors[canonicalize_name(requirement.name)] = specifier.version
    return floors


def _floor_constraints() -> dict[str, str]:
    """constraints-floors.txt, which `.ci/run --floors` installs, as {name: version}."""
    constraints = {}
    for line in (ROOT / "constraints-floors.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version_ = line.strip().split("==")
            constraints[canonicalize_name(name)] = version_
    return constraints


def test_the_floors_environment_installs_exactly_the_floors_of_pyproject():
    # The same packages, each at the version its `>=` names, written alike: so what `.ci/run --floors`
    # tests is what pyproject.toml promises, and a floor is raised in both places or the test fails.
    assert _floor_constraints() == _floors()


def test_requirements_pin_every_dependency_at_or_above_its_floor():
    pins = _pins()
    for name, floor in _floors().items():
        assert name in pins, f"requirements.txt does not pin {name}, which pyproject.toml declares"
        assert Version(pins[name]) >= Version(floor), (
            f"requirements.txt pins {name} {pins[name]}, below {floor}"
        )


def test_the_installed_versions_are_the_promised_ones():
    # `.ci/run` installs the pins, `.ci/run --floors` the floors (and says so in BACKPROP_VERSIONS).
    # The floors environment keeps the test tools at their pins: only the dependencies are checked there.
    if os.environ.get("BACKPROP_VERSIONS") == "floors":
        expected, source = _floor_constraints(), "constraints-floors.txt"
    else:
        expected, source = _pins(), "requirements.txt"
    for name, wanted in expected.items():
        assert version(name) == wanted, f"{name} {version(name)} is installed, {source} names {wanted}"


def test_the_floors_are_tested_weekly_on_every_change_of_versions_and_by_one_command():
    workflow = (ROOT / ".github" / "workflows" / "floors.yml").read_text()
    assert re.search(r"schedule:\s*\n\s*- cron:", workflow)
    assert "run: MNIST_DIR=" in workflow and "bash .ci/run --floors" in workflow
    for event in ("push", "pull_request"):
        paths = re.search(rf"^  {event}:\n    paths: \[(.*)\]$", workflow, re.M)
        assert paths, f"floors.yml runs on every {event}, or on none"
        assert {"pyproject.toml", "requirements.txt", "constraints-floors.txt"} <= set(paths[1].split(", "))
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("**Which versions are tested.**") :]
    assert "```bash\nbash .ci/run --floors\n```" in section[: section.index("**On another computer")]


def _third_party_imports() -> dict[str, set[str]]:
    """{top-level module: files importing it} for helpers/*.py and every notebook's code cells."""
    sources = {
        path.relative_to(ROOT).as_posix(): path.read_text() for path in (ROOT / "helpers").glob("*.py")
    }
    for path in sorted((ROOT / "notebooks").rglob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] == "code":
                code = "".join(cell["source"])
                # IPython's magics and shell lines are no Python: `pass` keeps an indented block valid.
                code = re.sub(r"^(\s*)[%!].*$", r"\1pass", code, flags=re.M)
                sources.setdefault(path.relative_to(ROOT).as_posix(), "")
                sources[path.relative_to(ROOT).as_posix()] += code + "\n"
    found: dict[str, set[str]] = {}
    for name, code in sources.items():
        for node in ast.walk(ast.parse(code)):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top not in sys.stdlib_module_names and top not in ("helpers", "__future__"):
                    found.setdefault(top, set()).add(name)
    return found


def test_every_package_a_notebook_or_helpers_imports_is_declared_with_a_floor():
    distributions = packages_distributions()
    declared = set(_floors())
    imports = _third_party_imports()
    assert {"numpy", "matplotlib", "scipy", "sklearn"} <= set(imports)  # the scan finds what is there
    for module, files in sorted(imports.items()):
        names = {canonicalize_name(name) for name in distributions.get(module, [])}
        assert names & declared, (
            f"{module} (imported by {sorted(files)[0]}) is not declared in pyproject.toml"
        )


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
