"""Vendor the shared modules into the scripts that use them, and regenerate the bundled data.

    python dev/sync_vendored.py           # rewrite what is stale
    python dev/sync_vendored.py --check   # exit 1 listing what is stale or wrongly declared (the tests run this)
    python dev/sync_vendored.py --stats   # per script: own lines, vendored lines, where main starts

1. `_bundled.py` is generated from `cycling-copilot-tools.json` and `cycling-copilot-seeds.csv`.
2. Each script in SCRIPTS gets, after its `main` and before its `if __name__ == "__main__":`
   guard, the part of each declared module it uses, in dependency order, each between its
   `# --- begin MODULE.py` / `# --- end MODULE.py ---` banner lines. The part is the module's
   docstring and the top-level statements (definitions, assignments, imports; any statement that
   binds nothing too) that the script reaches: the names its own code reads, then the names those
   statements read, followed across modules through their `from _x import` lines, to a fixed point.
   Statements are copied verbatim, in the module's order, with the comments above them.
   Annotations do not count as reads: every script starts with `from __future__ import annotations`.
   A module's imports of other project modules are left out: the script defines those names itself.
   Names read only inside strings (getattr by name, globals()) are not followed; the tests forbid
   globals() in the modules, and check that every global name a script reads is defined in it.
3. The declarations are checked: every module a script declares is reached, and every module it
   reaches is declared (a reached name from an undeclared module is named).
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
BANNER = " (vendored: what this script uses of it; edit {0}.py, then run python dev/sync_vendored.py) ---"
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


def defined_names(tree: ast.Module) -> set[str]:
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {name.id for target in targets for name in ast.walk(target) if isinstance(name, ast.Name)}
    return names


def statement_names(node: ast.stmt) -> set[str]:
    """The names a top-level statement binds (a definition, an assignment or an import)."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    targets = {ast.Assign: lambda: node.targets, ast.AnnAssign: lambda: [node.target],
               ast.AugAssign: lambda: [node.target]}.get(type(node), lambda: [])()
    return {name.id for target in targets for name in ast.walk(target) if isinstance(name, ast.Name)}


def annotations(tree: ast.AST) -> list[ast.AST]:
    """The annotations under tree: never evaluated in a script, which starts with
    `from __future__ import annotations`."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs + [node.args.vararg, node.args.kwarg]
            found += [argument.annotation for argument in arguments if argument and argument.annotation]
            found += [node.returns] if node.returns else []
        elif isinstance(node, ast.AnnAssign):
            found.append(node.annotation)
    return found


def used_names(tree: ast.AST, evaluated_only: bool = False) -> set[str]:
    """The names read under tree; with evaluated_only, not those only in annotations."""
    skip = {id(node) for annotation in (annotations(tree) if evaluated_only else []) for node in ast.walk(annotation)}
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and id(node) not in skip}


class Module:
    """A module's top-level statements: what each binds and reads, and the text that carries it."""

    def __init__(self, name: str, source: str):
        self.name, self.lines = name, source.splitlines(keepends=True)
        self.tree = ast.parse(source)
        self.body = self.tree.body
        # A statement's text starts after the previous statement's last line: its comments come with it.
        self.starts, previous = [], 0
        for node in self.body:
            self.starts.append(previous)
            previous = node.end_lineno
        self.imported = {alias.asname or alias.name: node.module for node in project_imports(self.tree)
                         for alias in node.names}
        self.binders: dict[str, list[int]] = {}
        for index, node in enumerate(self.body):
            if not (isinstance(node, ast.ImportFrom) and node.module in MODULES):
                for bound in statement_names(node):
                    self.binders.setdefault(bound, []).append(index)

    def is_docstring(self, index: int) -> bool:
        node = self.body[index]
        return index == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) \
            and isinstance(node.value.value, str)

    def always_kept(self) -> list[int]:
        """The docstring and every top-level statement that binds nothing (a call, an `if` block):
        carried whenever anything of the module is."""
        return [index for index, node in enumerate(self.body)
                if self.is_docstring(index) or (not statement_names(node) and not isinstance(node, ast.ImportFrom))]

    def text(self, kept: set[int]) -> str:
        """The kept statements in source order, each with the comments above it, spaced as in the source."""
        out, last = [], None
        for index in sorted(kept):
            chunk = self.lines[self.starts[index]:self.body[index].end_lineno]
            if last is not None and last != index - 1:
                # The gap of the first left-out statement: a def after a left-out constant keeps its two blank lines.
                gap = self.lines[self.starts[last + 1]:self.body[last + 1].end_lineno]
                blanks = max(leading_blanks(chunk), leading_blanks(gap))
                chunk = ["\n"] * blanks + chunk[leading_blanks(chunk):]
            out += chunk
            last = index
        return re.sub(r"\n{4,}", "\n\n\n", "".join(out))


def leading_blanks(lines: list[str]) -> int:
    return next((number for number, line in enumerate(lines) if line.strip()), len(lines))


def reached(own: str, declared: list[str], modules: dict[str, Module]) -> tuple[dict[str, set[int]], list[str]]:
    """The top-level statements of each module that a script's own code reaches, followed through the
    names each reached statement reads (in its module: its own definitions and its imports), and the
    reached names that come from a module the script does not declare."""
    tree = ast.parse(own)
    lazy = any(isinstance(node, ast.ImportFrom) and node.module == "__future__"
               and any(alias.name == "annotations" for alias in node.names) for node in tree.body)
    own_names = {name for node in tree.body for name in statement_names(node)}
    kept: dict[str, set[int]] = {name: set() for name in modules}
    problems, queue = [], []

    def want(module: str, name: str, via: str) -> None:
        seen = set()
        while name in modules[module].imported and (module, name) not in seen:
            seen.add((module, name))
            source = modules[module].imported[name]
            if source not in declared and via != "(own code)":
                problems.append(f"{via} uses {name} from {source}.py, which the script does not carry")
            module = source
        for index in modules[module].binders.get(name, []):
            if index not in kept[module]:
                if not kept[module]:
                    queue.extend((module, extra) for extra in modules[module].always_kept())
                queue.append((module, index))
            kept[module].add(index)

    for name in sorted(used_names(tree, lazy) - own_names):
        owners = [module for module in MODULES if name in modules[module].binders]
        owner = next((module for module in owners if module in declared), owners[0] if owners else None)
        if owner:
            want(owner, name, "(own code)")
    while queue:
        module, index = queue.pop()
        kept[module].add(index)
        node = modules[module].body[index]
        via = f"{module}.py" + (f"'s {node.name}" if hasattr(node, "name") else "")
        for name in sorted(used_names(node, lazy)):
            want(module, name, via)
    return {name: indexes for name, indexes in kept.items() if indexes}, problems


def own_code(text: str) -> str:
    """A script without its vendored blocks."""
    return re.sub(r"^# --- begin _\w+\.py.*?^# --- end _\w+\.py ---\n", "", text, flags=re.S | re.M)


def vendored_blocks(own: str, declared: list[str], modules: dict[str, Module]) -> tuple[str, list[str]]:
    """The vendored blocks of a script with this own code, and what is wrong with its declaration."""
    kept, problems = reached(own, declared, modules)
    problems = sorted(set(problems))
    problems += [f"carries {name}.py but never uses it" for name in declared if name not in kept]
    problems += [f"uses {name}.py but does not declare it in SCRIPTS" for name in MODULES
                 if name in kept and name not in declared]
    blocks = []
    for name in sorted(kept.keys() & set(declared), key=MODULES.index):
        body = modules[name].text(kept[name]).rstrip("\n") + "\n"
        blocks.append(BEGIN.format(name) + BANNER.format(name) + "\n" + body + END.format(name) + "\n")
    return "\n\n".join(blocks), problems


def synced_script(path: Path, declared: list[str], modules: dict[str, Module]) -> tuple[str, list[str]]:
    own = own_code(path.read_text(encoding="utf-8"))
    head, guard, tail = own.rpartition("\n" + GUARD)
    if not guard:
        sys.exit(f"{path.name}: no {GUARD!r} line")
    blocks, problems = vendored_blocks(own, declared, modules)
    return head.rstrip("\n") + "\n\n\n" + blocks + "\n\n" + GUARD + tail, [f"{path.name}: {problem}" for problem in problems]


def expected_files() -> tuple[dict[Path, str], list[str]]:
    """Every file the sync owns with the text it must have, and the declaration problems."""
    bundled = bundled_module()
    sources = {name: (ROOT / f"{name}.py").read_text(encoding="utf-8") for name in MODULES}
    sources["_bundled"] = bundled
    modules = {name: Module(name, source) for name, source in sources.items()}
    files = {ROOT / "_bundled.py": bundled}
    problems = []
    for script, declared in SCRIPTS.items():
        path = ROOT / script
        files[path], found = synced_script(path, declared, modules)
        problems += found
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
