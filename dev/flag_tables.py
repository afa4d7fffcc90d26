"""README.md's flag tables, generated from each script's own parser, so the README says exactly what --help says.

    python dev/flag_tables.py           # rewrite the tables that are stale
    python dev/flag_tables.py --check   # exit 1 naming the stale tables (the tests run this)

Each script's table sits between `<!-- flags: SCRIPT -->` and `<!-- end flags -->` lines in README.md:
one row per flag, as --help spells it (the flag with its metavar) and explains it (the help text with
its defaults filled in). The parsers come from each script's `build_parser()`.
"""

import argparse
import importlib.util
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
SCRIPTS = ["validate_functiongemma_dataset.py", "train_functiongemma.py", "evaluate_functiongemma.py",
           "export_litertlm.py", "generate_dataset.py", "generate_dataset-local-ollama.py"]
BLOCK = re.compile(r"(<!-- flags: (?P<script>\S+) -->\n)(?P<table>.*?)(<!-- end flags -->)", re.S)


def build_parser(script: str) -> argparse.ArgumentParser:
    """The script's parser, from importing it (its top level only defines things)."""
    name = "flags_" + script.removesuffix(".py").replace("-", "_")
    spec = importlib.util.spec_from_file_location(name, ROOT / script)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module.build_parser()


def flag_rows(parser: argparse.ArgumentParser) -> list[tuple[str, str]]:
    """(flag as --help shows it, help text as --help shows it) for every flag but -h."""
    formatter = parser._get_formatter()
    return [(formatter._format_action_invocation(action), formatter._expand_help(action) if action.help else "")
            for action in parser._actions if not isinstance(action, argparse._HelpAction)]


def table(script: str) -> str:
    rows = ["| flag | what it does |", "|---|---|"]
    for flag, text in flag_rows(build_parser(script)):
        rows.append(f"| `{flag}` | " + text.replace("|", "\\|") + " |")
    return "\n".join(rows) + "\n"


def updated_readme(text: str) -> tuple[str, list[str]]:
    """README text with every table regenerated, and the scripts whose table changed."""
    found = {match["script"] for match in BLOCK.finditer(text)}
    missing = [script for script in SCRIPTS if script not in found]
    if missing:
        sys.exit(f"README.md has no <!-- flags: SCRIPT --> block for {', '.join(missing)}")
    stale = []

    def replace(match):
        fresh = table(match["script"])
        if fresh != match["table"]:
            stale.append(match["script"])
        return match[1] + fresh + match[4]

    return BLOCK.sub(replace, text), stale


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="only report stale tables (exit 1)")
    args = parser.parse_args()
    text = README.read_text(encoding="utf-8")
    fresh, stale = updated_readme(text)
    if args.check:
        for script in stale:
            print(f"README.md: the flag table of {script} differs from its --help (run python dev/flag_tables.py)")
        return 1 if stale else 0
    if stale:
        README.write_text(fresh, encoding="utf-8")
        print(f"updated the flag tables of {', '.join(stale)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
