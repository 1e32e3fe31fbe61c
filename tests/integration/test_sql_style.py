"""The dbt models are sqlfluff-clean with the dbt templater (rules in dbt_project/.sqlfluff), every one of them:
tools/lint_models.py, which `make lint` runs. A model dbt cannot compile, or one sqlfluff skips, fails the lint."""

import shutil

import pytest

from tools.lint_models import lint, sqlfluff_problems
from warehouse.landing.store import RawStore
from warehouse.settings import DBT_PROJECT
from warehouse.transform.dbt import dbt_env

pytestmark = pytest.mark.integration

# reads a relation no build makes, while dbt compiles it: sqlfluff's dbt templater used to skip such a file
UNCOMPILABLE = (
    "{% set rows = run_query('select 1 from reference.no_such_seed') if execute else [] %}\nselect 1 as one\n"
)


def test_every_model_is_linted_and_clean():
    assert lint() == []


def test_a_model_dbt_cannot_compile_fails_the_lint_instead_of_being_skipped(tmp_path):
    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT, project, ignore=shutil.ignore_patterns("logs", "dbt_packages", "target"))
    (project / "models" / "marts" / "dim_uncompilable.sql").write_text(UNCOMPILABLE)
    RawStore(tmp_path / "raw")
    env = dbt_env(tmp_path / "raw", tmp_path / "warehouse.duckdb")

    problems = sqlfluff_problems(env, project, ["models/marts/dim_uncompilable.sql"])
    assert len(problems) == 1 and problems[0].startswith("models/marts/dim_uncompilable.sql:"), problems
    assert " TMP " in problems[0] and "no_such_seed" in problems[0], problems

    # had the configuration let sqlfluff skip it, the lint would still fail, saying so
    config = project / ".sqlfluff"
    config.write_text(config.read_text().replace("dbt_skip_compilation_error = False", ""))
    problems = sqlfluff_problems(env, project, ["models/marts/dim_uncompilable.sql"])
    assert problems and problems[0].startswith("models/marts/dim_uncompilable.sql: not linted: sqlfluff skipped it")
