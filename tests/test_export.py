"""tools/export.py: the code a notebook teaches and the helpers module later notebooks import are one."""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import export  # noqa: E402
import series  # noqa: E402


def _notebook(tmp_path, *sources, name="99_demo.ipynb"):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# demo")] + [nbformat.v4.new_code_cell(s) for s in sources]
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


def test_exported_modules_are_current():
    problems = export.stale_files()
    assert not problems, "run `python tools/export.py --write`:\n" + "\n".join(problems)


def test_an_exported_cell_becomes_an_importable_module(tmp_path, monkeypatch):
    monkeypatch.setitem(export.MODULE_DOCS, "demo", "A demo module.")
    path = _notebook(
        tmp_path,
        "x = 1\nprint(x)",  # not marked: not exported
        "# Exported to helpers/demo.py: later notebooks import it\nimport numpy as np\n\n\n"
        'def double(a):\n    """2 a."""\n    return 2 * np.asarray(a)  # (any shape)',
        "# Exported to helpers/demo.py\nfrom math import pi\n\nTAU = 2 * pi",
    )
    cells = export.exported_cells([path])
    assert list(cells) == ["demo"] and [c.index for c in cells["demo"]] == [2, 3]
    source = export.module_source("demo", cells["demo"])
    assert "print(x)" not in source and "# (any shape)" in source
    module_path = tmp_path / "demo.py"
    module_path.write_text(source)
    spec = importlib.util.spec_from_file_location("demo", module_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.double(3) == 6 and module.TAU == pytest.approx(6.283185307179586)
    assert module.__doc__.startswith("A demo module.")
    tree = ast.parse(source)  # the imports were gathered before the first definition
    first_def = next(i for i, node in enumerate(tree.body) if isinstance(node, ast.FunctionDef))
    assert all(isinstance(node, ast.Import | ast.ImportFrom) for node in tree.body[1:first_def])


def test_an_exported_cell_with_a_statement_is_refused(tmp_path, monkeypatch):
    monkeypatch.setitem(export.MODULE_DOCS, "demo", "A demo module.")
    path = _notebook(tmp_path, "# Exported to helpers/demo.py\ndef f():\n    return 1\n\nprint(f())")
    with pytest.raises(ValueError, match=r"cell 1: .*line 4 is a Expr"):
        export.module_source("demo", export.exported_cells([path])["demo"])


def test_a_module_without_a_docstring_is_refused(tmp_path):
    path = _notebook(tmp_path, "# Exported to helpers/nodoc.py\nA = 1")
    with pytest.raises(KeyError, match="MODULE_DOCS"):
        export.module_source("nodoc", export.exported_cells([path])["nodoc"])


def _defined_functions(path):
    nb = nbformat.read(path, as_version=4)
    names = set()
    for cell in nb.cells:
        if cell.cell_type == "code":
            source = "\n".join(  # IPython magics and shell lines become `pass`, keeping the indentation
                line[: len(line) - len(line.lstrip())] + "pass"
                if line.lstrip().startswith(("%", "!"))
                else line
                for line in cell.source.splitlines()
            )
            names |= {n.name for n in ast.walk(ast.parse(source)) if isinstance(n, ast.FunctionDef)}
    return names


def _exported_names():
    names = {}
    for module, cells in export.exported_cells().items():
        for cell in cells:
            _, body = export._split_imports(cell)
            for node in ast.parse(body).body:
                if isinstance(node, ast.FunctionDef | ast.ClassDef):
                    names[node.name] = f"helpers.{module}"
    return names


@pytest.mark.parametrize("notebook", series.SERIES, ids=[n.stem for n in series.SERIES])
def test_solutions_import_what_the_series_exports_instead_of_copying_it(notebook):
    if not notebook.solutions_path.exists():
        pytest.skip("no solutions notebook")
    exported = _exported_names()
    copies = sorted(_defined_functions(notebook.solutions_path) & exported.keys())
    assert not copies, f"{notebook.solutions_path.name} re-defines " + ", ".join(
        f"{name} (import it from {exported[name]})" for name in copies
    )
