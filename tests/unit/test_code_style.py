"""The Python is ruff-clean and ruff-formatted (rules in pyproject.toml), type-checks under mypy (strict for the
modules pyproject.toml lists), and the imports keep the contract in pyproject.toml: stages import downwards, the
product never imports launchers or tests; no module of warehouse/ or scrapers/ is over 450 lines."""

import subprocess
import sys
from pathlib import Path

from warehouse.settings import REPO_ROOT

BIN = Path(sys.executable).parent


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)


def test_ruff_finds_nothing():
    result = run(str(BIN / "ruff"), "check", "--output-format", "concise", ".")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_the_code_is_formatted():
    result = run(str(BIN / "ruff"), "format", "--check", ".")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_mypy_finds_nothing():
    result = run(str(BIN / "mypy"))
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_imports_keep_the_contract():
    result = run(str(BIN / "lint-imports"))
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "broken" in result.stdout and " 0 broken" in result.stdout


MAX_MODULE_LINES = 450  # issue 36: a module a newcomer can read whole


def test_no_module_of_the_product_is_over_450_lines():
    long = {
        str(path.relative_to(REPO_ROOT)): lines
        for folder in ("warehouse", "scrapers")
        for path in (REPO_ROOT / folder).rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not long, f"split these modules by their parts: {long}"
