"""Refresh every vendored copy of the shared modules, and the bundled data they embed.

    python dev/sync_vendored.py          # rewrite the copies in place
    python dev/sync_vendored.py --check  # exit 1 and list what is stale (used by the tests)

1. The bundled-data block at the end of `_common.py` is regenerated from
   `cycling-copilot-tools.json` and `cycling-copilot-seeds.csv` (the single sources).
2. Each root script that has `# --- begin MODULE.py` / `# --- end MODULE.py` marker lines
   gets the exact text of MODULE.py between them.
"""

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED_MODULES = ["_common.py", "_inference.py", "_shared_prefix.py", "_generation.py"]
DATA_BEGIN = "# --- begin bundled data"
DATA_END = "# --- end bundled data ---"


def python_literal(name: str, text: str, source: str) -> str:
    if "'''" in text or text.endswith("\\"):
        sys.exit(f"{source} contains ''' or ends with a backslash; it cannot be embedded")
    return f"{name} = r'''{text}'''"


def bundled_data_block() -> str:
    tools = (ROOT / "cycling-copilot-tools.json").read_text(encoding="utf-8")
    seeds = (ROOT / "cycling-copilot-seeds.csv").read_text(encoding="utf-8")
    return "\n".join([
        python_literal("BUNDLED_TOOLS_JSON", tools, "cycling-copilot-tools.json"),
        python_literal("BUNDLED_SEEDS_CSV", seeds, "cycling-copilot-seeds.csv"),
    ])


def replace_between(text: str, begin_prefix: str, end_line: str, body: str, where: str) -> str:
    pattern = re.compile(rf"(^{re.escape(begin_prefix)}[^\n]*\n)(.*?)(^{re.escape(end_line)}[^\n]*$)",
                         re.S | re.M)
    if not pattern.search(text):
        sys.exit(f"{where}: marker lines {begin_prefix!r} … {end_line!r} not found")
    return pattern.sub(lambda match: match.group(1) + body + match.group(3), text, count=1)


def expected_files() -> dict[Path, str]:
    """Every file the sync owns, with the text it must have."""
    common_path = ROOT / "_common.py"
    common = replace_between(common_path.read_text(encoding="utf-8"), DATA_BEGIN, DATA_END,
                             bundled_data_block() + "\n", "_common.py")
    modules = {"_common.py": common}
    for name in SHARED_MODULES[1:]:
        if (ROOT / name).exists():
            modules[name] = (ROOT / name).read_text(encoding="utf-8")
    files = {common_path: common}
    for script in sorted(ROOT.glob("*.py")) + sorted((ROOT / "bench").glob("*.py")):
        if script.name in SHARED_MODULES:
            continue
        text = script.read_text(encoding="utf-8")
        for name, body in modules.items():
            if f"# --- begin {name}" in text:
                text = replace_between(text, f"# --- begin {name}", f"# --- end {name}", body, script.name)
        files[script] = text
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only report stale copies; exit 1 if any")
    args = parser.parse_args()
    stale = {path: text for path, text in expected_files().items() if path.read_text(encoding="utf-8") != text}
    if args.check:
        for path in stale:
            print(f"stale: {path.relative_to(ROOT)} (run python dev/sync_vendored.py)")
        return 1 if stale else 0
    for path, text in stale.items():
        path.write_text(text, encoding="utf-8")
        print(f"updated {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
