"""Build time: `python -m debrief.themes` rewrites `data/background.json` from the triage training
corpus (run by `make model`, since retraining may change the corpus)."""

from __future__ import annotations

import json
from pathlib import Path

from debrief.themes.cluster import BACKGROUND_FILE, count_background


def main() -> None:
    """Write the background document frequencies beside the package's other data."""
    target = Path(__file__).with_name("data") / BACKGROUND_FILE
    target.write_text(json.dumps(count_background(), separators=(",", ":")) + "\n", "utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
