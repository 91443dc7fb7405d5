"""launder for other tools: ``import launder``.

- :func:`clean_text` (``cleaners.clean``): one raw text -> its cleaned Documents (a text may hold
  several articles), each with its provenance; pure, no I/O.
- :func:`clean_records` (``flows.records.clean_records``): an iterable of records (dicts or
  strings) -> an iterator of output-contract records, with in-memory exact and near dedup.
- :func:`clean_dump` (``flows.clean_dump.clean_dump``): the Prefect flow ``launder clean`` runs,
  files and directories into an OUT directory; call it from your own flow to run it as a subflow.
  Imported on first use (Prefect takes about 2 s to import).

>>> import launder
>>> [d.text for d in launder.clean_text("The council met on Tuesday  to vote on the harbour budget, the mayor said.")]
['The council met on Tuesday to vote on the harbour budget, the mayor said.']
"""

from __future__ import annotations

from typing import Any

from cleaners import CleanConfig, Document, Source
from cleaners import clean as clean_text
from flows.records import clean_records

__all__ = ["CleanConfig", "Document", "Source", "clean_dump", "clean_records", "clean_text"]


def __getattr__(name: str) -> Any:
    if name == "clean_dump":  # Prefect only for those who use the flow
        from flows.clean_dump import clean_dump

        return clean_dump
    raise AttributeError(f"module 'launder' has no attribute {name!r}")
