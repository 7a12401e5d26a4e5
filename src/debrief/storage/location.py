"""Where the journal database is: `--db`, then `DEBRIEF_DATABASE_URL`, then the user data directory.

Kept free of SQLAlchemy so the CLI can answer `debrief db path` and `--help` without loading it.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "DEBRIEF_DATABASE_URL"
DEFAULT_FILENAME = "journal.db"


def default_database_path() -> Path:
    """The SQLite file used when neither --db nor DEBRIEF_DATABASE_URL says otherwise."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("debrief", appauthor=False)) / DEFAULT_FILENAME


def resolve_database_url(db: str | os.PathLike[str] | None = None) -> str:
    """Turn a --db value (a path or a SQLAlchemy URL), the environment or the default into a URL."""
    if db is None or str(db) == "":
        db = os.environ.get(ENV_VAR) or None
    if db is None:
        return f"sqlite:///{default_database_path()}"
    text = str(db)
    if "://" not in text:
        return f"sqlite:///{Path(text).expanduser().resolve()}"
    scheme, rest = text.split("://", 1)
    # psycopg 3 is the driver we ship; a bare postgres:// URL means it.
    if scheme in ("postgres", "postgresql"):
        return f"postgresql+psycopg://{rest}"
    return text


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and in-memory SQLite."""
    if not url.startswith("sqlite"):
        return None
    _, _, rest = url.partition(":///")
    path = rest.split("?", 1)[0]
    if not path or path == ":memory:":
        return None
    return Path(path)
