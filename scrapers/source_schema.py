"""sources.yml checked when it is read: every mistake one line naming the file, the line, the source and the key.

A misspelt key (`enabeld: true`) used to be ignored and its source silently left out of the crawl, a missing
`base_url` ended in a KeyError, a YAML syntax error in a long traceback; now each is a SourcesError listing one
line per problem, e.g.

    scrapers/sources.yml:37: source 'zhoushan_mirror': unknown key 'enabeld' (did you mean 'enabled'?)

`python -m scrapers check-sources [path]` runs the check alone; the crawl refuses a registry that fails it.
"""

from __future__ import annotations

import difflib
import re
import typing
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from scrapers.fetch import Politeness
from scrapers.region_names import region_names

_STRICT = ConfigDict(extra="forbid")
# mypy matches the ** of a dict against create_model's named keyword parameters (__base__, __validators__ …)
PolitenessEntry = create_model(  # type: ignore[call-overload]
    "PolitenessEntry",
    __config__=_STRICT,
    **{name: (kind | None, None) for name, kind in typing.get_type_hints(Politeness).items()},
)


class ColumnEntry(BaseModel):
    model_config = _STRICT
    id: int = 0
    name: str = ""
    path: str = ""


class SourceEntry(BaseModel):
    model_config = _STRICT
    id: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    region: str = ""
    adapter: str
    base_url: str = Field(min_length=1)
    enabled: bool = False
    columns: list[ColumnEntry] = []
    pages: list[str] = []
    site: dict = {}
    title_include: str | None = None
    max_list_pages: int | None = Field(default=None, ge=1)
    allowed_hosts: list[str] = []
    politeness: PolitenessEntry | None = None  # type: ignore[valid-type]


class Defaults(BaseModel):
    model_config = _STRICT
    title_include: str = ""
    max_list_pages: int = Field(default=20, ge=1)
    politeness: PolitenessEntry | None = None  # type: ignore[valid-type]


class SourcesError(ValueError):
    """The registry has mistakes; `problems` holds one line for each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def read_registry(path: Path | str) -> dict:
    """The registry's mapping, checked; SourcesError with every problem found."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SourcesError([f"{path}: cannot be read: {exc.strerror or exc}"]) from None
    try:
        tree = yaml.compose(text)
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        what = ": ".join(str(part) for part in (getattr(exc, "context", None), getattr(exc, "problem", None)) if part)
        raise SourcesError([f"{where}: YAML syntax error: {what or exc}"]) from None
    problems = _Checker(path, tree).problems(raw)
    if problems:
        raise SourcesError(problems)
    return raw


class _Checker:
    def __init__(self, path: Path, tree):
        self.path = path
        self.tree = tree

    def line(self, *keys) -> int:
        """The line of the key at `keys`; for a key that is missing, the line of the mapping that lacks it."""
        node, line = self.tree, 1
        for key in keys:
            if isinstance(node, yaml.MappingNode):
                pair = next(((k, v) for k, v in node.value if k.value == str(key)), None)
                if pair is None:
                    return node.start_mark.line + 1
                line, node = pair[0].start_mark.line + 1, pair[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
                node = node.value[key]
                line = node.start_mark.line + 1
            else:
                break
        return line

    def problems(self, raw) -> list[str]:
        if not isinstance(raw, dict) or not isinstance(raw.get("sources"), list):
            return [f"{self.path}:1: the registry needs a `sources:` list"]
        problems = [
            f"{self.path}:{self.line(key)}: unknown top-level key {key!r} (known: defaults, sources)"
            for key in raw
            if key not in ("defaults", "sources")
        ]
        try:
            defaults = Defaults.model_validate(raw.get("defaults") or {})
        except ValidationError as exc:
            problems += self._errors(exc, "defaults", ("defaults",))
            defaults = Defaults()
        first_line: dict[str, int] = {}
        for index, entry in enumerate(raw["sources"]):
            problems += self._source(index, entry, defaults, first_line)
        return problems

    def _source(self, index: int, entry, defaults: Defaults, first_line: dict[str, int]) -> list[str]:
        at = ("sources", index)
        if not isinstance(entry, dict):
            return [f"{self.path}:{self.line(*at)}: source #{index + 1} is not a mapping of keys"]
        name = f"source {entry['id']!r}" if entry.get("id") else f"source #{index + 1}"
        try:
            source = SourceEntry.model_validate(entry)
        except ValidationError as exc:
            return self._errors(exc, name, at)
        here = self.line(*at)
        problems = []

        def problem(key: str, text: str) -> None:
            problems.append(f"{self.path}:{self.line(*at, key)}: {name}: {text}")

        if source.id in first_line:
            problem("id", f"duplicate id (first at line {first_line[source.id]})")
        first_line.setdefault(source.id, here)
        adapters = _adapters()
        if source.adapter not in adapters:
            problem("adapter", f"unknown adapter {source.adapter!r} (known: {', '.join(sorted(adapters))})")
        if source.region and source.region not in region_names():
            guess = difflib.get_close_matches(source.region, region_names(), n=1)
            hint = f" (did you mean {guess[0]!r}?)" if guess else ""
            problem("region", f"region {source.region!r} is no GB/T 2260 region name{hint}")
        from scrapers.registry import expand_env

        if not re.match(r"^https?://[^/\s]+", expand_env(source.base_url)):
            problem("base_url", f"base_url {source.base_url!r} is not an http(s) URL with a host")
        try:
            re.compile(source.title_include or "")
        except re.error as exc:
            problem("title_include", f"title_include is no regular expression: {exc}")
        if source.adapter == "pages" and not source.pages:
            problem("pages", "the pages adapter needs `pages:`, the list of page paths")
        if source.adapter != "pages" and source.adapter in adapters and not source.columns:
            problem("columns", "no `columns:` to crawl")
        if source.adapter == "selectors" and "item" not in source.site:
            problem("site", "the selectors adapter needs site.item, the CSS selector of a list entry")
        return problems

    def _errors(self, exc: ValidationError, name: str, at: tuple) -> list[str]:
        lines = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            key = ".".join(str(part) for part in loc)
            if error["type"] == "extra_forbidden":
                known = _known_keys(at, loc)
                guess = difflib.get_close_matches(str(loc[-1]), known, n=1)
                hint = f" (did you mean {guess[0]!r}?)" if guess else f" (known: {', '.join(known)})"
                text = f"unknown key {key!r}{hint}"
            elif error["type"] == "missing":
                text = f"missing required key {key!r}"
            else:
                text = f"{key}: {error['msg']}"
            lines.append(f"{self.path}:{self.line(*at, *loc)}: {name}: {text}")
        return lines


def _known_keys(at: tuple, loc: tuple) -> list[str]:
    model: type[BaseModel] = Defaults if at == ("defaults",) else SourceEntry
    for part in loc[:-1]:
        if part == "politeness":
            model = PolitenessEntry
        elif part == "columns":
            model = ColumnEntry
    return list(model.model_fields)


def _adapters() -> set[str]:
    from scrapers.sites import ADAPTERS  # here: the adapters import the registry, which imports this module

    return {*ADAPTERS, "pages"}
