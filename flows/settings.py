"""Configuration files: a TOML file of cleaner settings, or the [tool.launder] table of a pyproject.toml.

>>> print(to_toml({"language": {"languages": ["en"], "min_chars": 20}, "min_chars": 1}))
min_chars = 1
<BLANKLINE>
[language]
languages = ["en"]
min_chars = 20
<BLANKLINE>
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

if (
    TYPE_CHECKING
):  # the CLI imports this module at start-up, before it knows it will clean (cleaners takes ~1 s to import)
    from cleaners import CleanConfig


class ConfigError(Exception):
    """A configuration file that cannot be read or holds an unknown key."""


def load_config(path: str | None, cwd: str | Path = ".") -> tuple[dict[str, Any], str | None]:
    """(settings, where they came from): ``path`` if given, else ./pyproject.toml's [tool.launder], else none."""
    if path is None:
        candidate = Path(cwd) / "pyproject.toml"
        if not candidate.is_file():
            return {}, None
        data = _read(candidate)
        section = data.get("tool", {}).get("launder")
        return (dict(section), f"{candidate} [tool.launder]") if isinstance(section, dict) else ({}, None)
    data = _read(Path(path))
    if isinstance(data.get("tool"), dict) and "launder" in data["tool"]:
        return dict(data["tool"]["launder"]), f"{path} [tool.launder]"
    return data, str(path)


def clean_config(config: CleanConfig | Mapping[str, Any] | None) -> CleanConfig:
    """The cleaner settings, given as a CleanConfig or as plain data (a TOML table, a flow's parameter);
    None: the defaults. Plain data is checked here: an unknown key or a bad value raises ValueError.

    >>> clean_config({"min_chars": 20}).min_chars, clean_config(None) == clean_config({})
    (20, True)
    """
    from cleaners import CleanConfig

    if config is None:
        return CleanConfig()
    return config if isinstance(config, CleanConfig) else CleanConfig.from_mapping(config)


def _read(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config {path}: {exc}") from None


def to_toml(data: dict[str, Any], prefix: str = "") -> str:
    """Nested settings as TOML (scalars first, then one table per nested mapping)."""
    scalars = [(k, v) for k, v in data.items() if not isinstance(v, dict)]
    tables = [(k, v) for k, v in data.items() if isinstance(v, dict)]
    lines = [f"{k} = {_value(v)}" for k, v in scalars]
    out = "\n".join(lines) + ("\n" if lines else "")
    for k, v in tables:
        name = f"{prefix}{k}"
        body = to_toml(v, prefix=f"{name}.")
        out += f"\n[{name}]\n{body}"
    return out


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, tuple, frozenset, set)):
        return "[" + ", ".join(_value(x) for x in (sorted(v) if isinstance(v, (set, frozenset)) else v)) + "]"
    if isinstance(v, (int, float)):
        return repr(v)
    return json.dumps(str(v), ensure_ascii=False)
