"""launder's orchestration: readers, the Prefect flow over shards, writers and the CLI (I/O lives here, not in cleaners)."""
