"""CleanConfig: one frozen sub-config per cleaner, built from plain mappings (TOML) with unknown keys refused.

Every value is checked against its default's type and a range before a config is made: a bad value
raises ``ValueError`` naming the key, so a run refuses it before it reads anything.

>>> CleanConfig.from_mapping({"dedup": {"near": {"threshold": 0.7}}}).dedup.near.threshold
0.7
>>> CleanConfig.from_mapping({"dedup": {"near": {"threshold": -1}}})
Traceback (most recent call last):
...
ValueError: configuration key dedup.near.threshold must be between 0 and 1, not -1
>>> CleanConfig.from_mapping({"min_chars": "200"})
Traceback (most recent call last):
...
ValueError: configuration key min_chars must be an integer, not the string '200'
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Any, Mapping

from .articles import ArticlesConfig
from .boilerplate import BoilerplateConfig
from .passages import PassagesConfig
from .html_extract import HtmlConfig
from .language import LanguageConfig
from .mojibake import MojibakeConfig
from .near_dup import NearDupConfig
from .passage_counts import PassageCountsConfig
from .spacing import SpacingConfig
from .tables import TablesConfig
from .whitespace import WhitespaceConfig


@dataclass(frozen=True)
class DedupConfig:
    """Duplicates across the dump and across runs (the index): whole documents, and passages."""

    exact: bool = True  # same words after normalization (cleaners.exact_dup)
    near: NearDupConfig = field(default_factory=NearDupConfig)  # MinHash/LSH near duplicates (cleaners.near_dup)
    passages: PassageCountsConfig = field(default_factory=PassageCountsConfig)  # lines common to a site's documents


@dataclass(frozen=True)
class CleanConfig:
    html: HtmlConfig = field(default_factory=HtmlConfig)  # main-content extraction of .html inputs
    mojibake: MojibakeConfig = field(default_factory=MojibakeConfig)
    whitespace: WhitespaceConfig = field(default_factory=WhitespaceConfig)
    tables: TablesConfig = field(default_factory=TablesConfig)
    boilerplate: BoilerplateConfig = field(default_factory=BoilerplateConfig)
    articles: ArticlesConfig = field(default_factory=ArticlesConfig)
    passages: PassagesConfig = field(default_factory=PassagesConfig)
    spacing: SpacingConfig = field(default_factory=SpacingConfig)
    language: LanguageConfig = field(default_factory=LanguageConfig)
    dedup: DedupConfig = field(default_factory=DedupConfig)
    min_chars: int = 1  # documents shorter than this after cleaning are rejected as too-short

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> "CleanConfig":
        """Build from nested plain data; an unknown key raises ValueError naming it."""
        return _build(cls, data, "")

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @cached_property
    def hash(self) -> str:
        """16 hex digits of the settings' SHA-256 (computed once: the config is frozen)."""
        blob = json.dumps(self.to_dict(), sort_keys=True, default=list)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _build(cls: type, data: Mapping[str, Any], where: str) -> Any:
    known = {f.name: f for f in fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        name = key.replace("-", "_")
        if name not in known:
            raise ValueError(f"unknown configuration key: {where}{key}")
        f = known[name]
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default  # type: ignore[misc]
        if dataclasses.is_dataclass(default):
            if not isinstance(value, Mapping):
                raise ValueError(f"configuration key {where}{key} must be a table")
            kwargs[name] = _build(type(default), value, f"{where}{key}.")
        elif isinstance(default, tuple):
            if isinstance(value, str):
                value = [v.strip() for v in value.split(",") if v.strip()]
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                raise ValueError(f"configuration key {where}{key} must be a list of strings, not {_shown(value)}")
            kwargs[name] = tuple(value)
        else:
            kwargs[name] = _checked(f"{where}{name}", name, default, value)
    built = cls(**kwargs)
    near = built if isinstance(built, NearDupConfig) else None
    if near is not None and near.bands * near.rows > near.num_perm:
        raise ValueError(
            f"configuration key {where}bands: bands * rows ({near.bands} * {near.rows}) "
            f"must not exceed {where}num_perm ({near.num_perm})"
        )
    return built


# Ranges (inclusive) of the numeric settings. Without an entry: an integer or float >= 0, a weight
# (``w_*``) any integer; a float whose name says it is a share, fraction or probability, 0 to 1.
_AT_LEAST_ONE = {
    "shingle_words",
    "num_perm",
    "bands",
    "rows",
    "sample_chars",
    "max_passes",
    "max_depth",
    "max_input_chars",
    "min_rows",
    "min_toc_rows",
    "numeric_min_rows",
    "min_repeat_run",
    "teaser_min_items",
    "min_title_words",
    "max_title_words",
    "max_title_chars",
}
_RANGES: dict[str, tuple[float | None, float | None]] = {
    "dedup.passages.min_docs": (2, None),  # a passage "in 1 document" would be every passage
    "passages.template_copies": (2, None),
}
_FRACTION_WORDS = (
    "share",
    "similarity",
    "fraction",
    "threshold",
    "containment",
    "ratio",
    "prob",
    "density",
    "stopwords",
    "rate",
)
_CHOICES = {
    "language.paragraphs": ("off", "flag", "drop"),
    "language.backend": ("langdetect", "py3langid"),
    "boilerplate.mode": ("article", "page"),
    "html.comments": ("auto", "keep", "drop"),
}


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (Mapping, list, tuple)):
        return f"a {'table' if isinstance(value, Mapping) else 'list'}"
    return repr(value)


def _checked(key: str, name: str, default: Any, value: Any) -> Any:
    """``value`` for the setting ``key`` (default ``default``), or ValueError naming the key."""
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ValueError(f"configuration key {key} must be true or false, not {_shown(value)}")
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"configuration key {key} must be an integer, not {_shown(value)}")
    elif isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError(f"configuration key {key} must be a number, not {_shown(value)}")
        value = float(value)
    elif isinstance(default, str):
        if not isinstance(value, str):
            raise ValueError(f"configuration key {key} must be a string, not {_shown(value)}")
        choices = _CHOICES.get(key)
        if choices and value not in choices:
            raise ValueError(f"configuration key {key} must be one of {', '.join(choices)}, not {value!r}")
        return value
    else:
        return value
    low, high = _range(key, name, default)
    if (low is not None and value < low) or (high is not None and value > high):
        want = f"between {low:g} and {high:g}" if low is not None and high is not None else f"at least {low:g}"
        raise ValueError(f"configuration key {key} must be {want}, not {value:g}")
    return value


def _range(key: str, name: str, default: int | float) -> tuple[float | None, float | None]:
    if key in _RANGES:
        return _RANGES[key]
    if isinstance(default, int) and name.startswith("w_"):
        return None, None
    if name in _AT_LEAST_ONE:
        return 1, None
    if isinstance(default, float) and any(w in name for w in _FRACTION_WORDS):
        return 0, 1
    return 0, None
