"""Vendor the shared modules into the scripts that use them, and regenerate the bundled data.

    python dev/sync_vendored.py           # rewrite what is stale
    python dev/sync_vendored.py --check   # exit 1 listing what is stale or wrongly declared (the tests run this)
    python dev/sync_vendored.py --stats   # per script: own lines, vendored lines, where main starts

1. `_bundled.py` is generated from `cycling-copilot-tools.json` and `cycling-copilot-seeds.csv`.
2. Each script in SCRIPTS gets, after its `main` and before its `if __name__ == "__main__":`
   guard, exactly the modules it declares, in dependency order, each between its
   `# --- begin MODULE.py` / `# --- end MODULE.py ---` banner lines. A module's imports of other
   project modules are left out of its copy: the script already defines those names above it.
3. The declarations are checked: every module a script carries is used (by the script's own code
   or by another module it carries), and every module those need is carried.
"""

import argparse
import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Dependency order: a module may import only modules listed before it.
MODULES = ["_cli", "_bundled", "_renderings", "_data", "_heldout", "_format", "_scoring", "_inference", "_constrained",
           "_shared_prefix", "_generation"]
SCRIPTS = {
    "validate_functiongemma_dataset.py": ["_cli", "_bundled", "_data", "_renderings", "_format", "_generation"],
    "train_functiongemma.py": ["_cli", "_bundled", "_data", "_renderings", "_heldout", "_format", "_scoring", "_inference", "_shared_prefix"],
    "evaluate_functiongemma.py": ["_cli", "_bundled", "_data", "_renderings", "_heldout", "_format", "_scoring", "_inference",
                                  "_constrained"],
    "export_litertlm.py": ["_cli", "_bundled", "_data", "_renderings", "_heldout", "_format", "_scoring", "_inference", "_constrained"],
    "generate_dataset.py": ["_cli", "_bundled", "_data", "_renderings", "_generation"],
    "generate_dataset-local-ollama.py": ["_cli", "_bundled", "_data", "_renderings", "_generation"],
}
BEGIN, END = "# --- begin {}.py", "# --- end {}.py ---"
BANNER = " (vendored copy; edit {0}.py, then run python dev/sync_vendored.py) ---"
GUARD = 'if __name__ == "__main__":'


def python_literal(name: str, path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if "'''" in text or text.endswith("\\"):
        sys.exit(f"{path.name} contains ''' or ends with a backslash; it cannot be embedded")
    return f"{name} = r'''{text}'''\n"


def bundled_module() -> str:
    return ('"""The bundled cycling-copilot tools and seeds, generated from cycling-copilot-tools.json and\n'
            'cycling-copilot-seeds.csv by dev/sync_vendored.py: edit those files, never this one."""\n\n'
            + python_literal("BUNDLED_TOOLS_JSON", ROOT / "cycling-copilot-tools.json")
            + python_literal("BUNDLED_SEEDS_CSV", ROOT / "cycling-copilot-seeds.csv"))


def project_imports(tree: ast.Module) -> list[ast.ImportFrom]:
    return [node for node in tree.body if isinstance(node, ast.ImportFrom) and node.module in MODULES]


def vendored_body(name: str, source: str) -> str:
    """The module's text without its imports of other project modules."""
    lines = source.splitlines(keepends=True)
    for node in reversed(project_imports(ast.parse(source))):
        del lines[node.lineno - 1:node.end_lineno]
    return re.sub(r"\n{4,}", "\n\n\n", "".join(lines))


def defined_names(tree: ast.Module) -> set[str]:
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {name.id for target in targets for name in ast.walk(target) if isinstance(name, ast.Name)}
    return names


def used_names(tree: ast.AST) -> set[str]:
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}


def own_code(text: str) -> str:
    """A script without its vendored blocks."""
    return re.sub(r"^# --- begin _\w+\.py.*?^# --- end _\w+\.py ---\n", "", text, flags=re.S | re.M)


def declaration_problems(script: str, declared: list[str], own: str, sources: dict[str, str]) -> list[str]:
    trees = {name: ast.parse(sources[name]) for name in MODULES}
    problems = []
    for name in declared:
        for node in project_imports(trees[name]):
            if node.module not in declared:
                problems.append(f"{script}: {name}.py imports {node.module}.py, which the script does not carry")
    needed, names = set(), used_names(ast.parse(own))
    while True:
        more = {name for name in MODULES if name not in needed and defined_names(trees[name]) & names}
        if not more:
            break
        needed |= more
        for name in more:
            names |= used_names(trees[name])
    problems += [f"{script}: carries {name}.py but never uses it" for name in declared if name not in needed]
    problems += [f"{script}: uses {name}.py but does not declare it in SCRIPTS" for name in MODULES
                 if name in needed and name not in declared]
    return problems


def vendored_blocks(declared: list[str], sources: dict[str, str]) -> str:
    blocks = []
    for name in sorted(declared, key=MODULES.index):
        body = vendored_body(name, sources[name]).rstrip("\n") + "\n"
        blocks.append(BEGIN.format(name) + BANNER.format(name) + "\n" + body + END.format(name) + "\n")
    return "\n\n".join(blocks)


def synced_script(path: Path, declared: list[str], sources: dict[str, str]) -> str:
    own = own_code(path.read_text(encoding="utf-8"))
    head, guard, tail = own.rpartition("\n" + GUARD)
    if not guard:
        sys.exit(f"{path.name}: no {GUARD!r} line")
    return head.rstrip("\n") + "\n\n\n" + vendored_blocks(declared, sources) + "\n\n" + GUARD + tail


def expected_files() -> tuple[dict[Path, str], list[str]]:
    """Every file the sync owns with the text it must have, and the declaration problems."""
    bundled = bundled_module()
    sources = {name: (ROOT / f"{name}.py").read_text(encoding="utf-8") for name in MODULES}
    sources["_bundled"] = bundled
    files = {ROOT / "_bundled.py": bundled}
    problems = []
    for script, declared in SCRIPTS.items():
        path = ROOT / script
        files[path] = synced_script(path, declared, sources)
        problems += declaration_problems(script, declared, own_code(files[path]), sources)
    return files, problems


def stats() -> None:
    print(f"{'script':36} {'lines':>6} {'own':>6} {'vendored':>9} {'main at':>8} {'own code from':>14}")
    for script in SCRIPTS:
        text = (ROOT / script).read_text(encoding="utf-8")
        lines = text.splitlines()
        own = own_code(text).splitlines()
        tree = ast.parse(text)
        main = next(node.lineno for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "main")
        docstring_end = tree.body[0].end_lineno
        first = next(node.lineno for node in tree.body[1:] if not isinstance(node, (ast.Import, ast.ImportFrom)))
        print(f"{script:36} {len(lines):6} {len(own):6} {len(lines) - len(own):9} {main:8} "
              f"{f'{first} (+{first - docstring_end})':>14}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only report; exit 1 if anything is stale or wrong")
    parser.add_argument("--stats", action="store_true", help="print each script's own and vendored line counts")
    args = parser.parse_args()
    if args.stats:
        stats()
        return 0
    files, problems = expected_files()
    stale = [path for path, text in files.items() if path.read_text(encoding="utf-8") != text]
    for problem in problems:
        print(f"error: {problem}")
    if args.check:
        for path in stale:
            print(f"stale: {path.relative_to(ROOT)} (run python dev/sync_vendored.py)")
        return 1 if stale or problems else 0
    for path in stale:
        path.write_text(files[path], encoding="utf-8")
        print(f"updated {path.relative_to(ROOT)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
