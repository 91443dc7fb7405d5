"""CleanConfig: one frozen sub-config per cleaner, built from plain mappings (TOML) with unknown keys refused."""

from __future__ import annotations

import dataclasses
import hashlib
import json
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

    exact: bool = True  # same words after normalization (cleaners.dedup)
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
            kwargs[name] = tuple(value) if not isinstance(value, str) else tuple(v.strip() for v in value.split(",") if v.strip())
        else:
            kwargs[name] = value
    return cls(**kwargs)
