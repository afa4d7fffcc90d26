"""Print the dev group's floors as exact pins, one a line (`transformers==5.24`).

    python dev/floors.py > floors.txt
    uv pip install --resolution lowest-direct --group dev --constraints floors.txt ...

`.ci/run` installs its floor environment with these constraints: `--resolution lowest-direct`
alone may settle on a version above a floor (it lets the resolver pick any combination that
fits), while pinned floors make the run test exactly the versions the scripts declare.
"""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def floor_pins() -> list[str]:
    dev = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["dependency-groups"]["dev"]
    matches = (re.match(r"([A-Za-z0-9_.-]+)[^;]*?>=\s*([0-9][^,;\s]*)", requirement) for requirement in dev)
    return [f"{match.group(1)}=={match.group(2)}" for match in matches if match]


if __name__ == "__main__":
    print("\n".join(floor_pins()))
