"""The vendored copies of the shared modules: exact, declared, used, and placed after `main`."""

import ast
import builtins
import collections
import re
import shutil
import subprocess
import symtable
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SYNC = ROOT / "dev" / "sync_vendored.py"
sys.path.insert(0, str(ROOT / "dev"))
import sync_vendored  # noqa: E402


def blocks(text: str) -> dict[str, str]:
    return dict(re.findall(r"^# --- begin (_\w+)\.py[^\n]*\n(.*?)^# --- end \1\.py ---$", text, re.S | re.M))


def test_every_copy_is_in_sync():
    result = subprocess.run([sys.executable, SYNC, "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def top_level(source: str) -> list[str]:
    """The text of each top-level statement, decorators included."""
    lines = source.splitlines()
    return ["\n".join(lines[(node.decorator_list[0].lineno if getattr(node, "decorator_list", None) else node.lineno) - 1:
                            node.end_lineno]) for node in ast.parse(source).body]


def test_each_script_carries_its_declared_modules_verbatim_statement_by_statement():
    """A copy is whole top-level statements of its module, unchanged and in the module's order."""
    for script, declared in sync_vendored.SCRIPTS.items():
        found = blocks((ROOT / script).read_text(encoding="utf-8"))
        assert list(found) == sorted(declared, key=sync_vendored.MODULES.index), script
        for name, body in found.items():
            source = (ROOT / f"{name}.py").read_text(encoding="utf-8")
            statements, copied = top_level(source), top_level(body)
            assert copied[0] == statements[0], (script, name)  # the module's docstring
            at = [statements.index(statement) for statement in copied]  # ValueError: a statement not in the module
            assert at == sorted(set(at)), (script, name)
            assert not any(statement.startswith("from _") for statement in copied), (script, name)


def test_every_name_a_script_reads_is_defined_in_it():
    """What the sync leaves out is never needed: every global name read anywhere in a script (its own code
    and its copies, in any function or class) is bound at its top level or is a builtin. Annotations are
    never evaluated (`from __future__ import annotations`), so a name read only there may be absent."""
    for script in sync_vendored.SCRIPTS:
        text = (ROOT / script).read_text(encoding="utf-8")
        tree = ast.parse(text)
        assert any(isinstance(node, ast.ImportFrom) and node.module == "__future__" for node in tree.body), script
        table = symtable.symtable(text, script, "exec")
        bound = {symbol.get_name() for symbol in table.get_symbols()
                 if symbol.is_assigned() or symbol.is_imported() or symbol.is_namespace()}
        read = set()

        def visit(scope):
            read.update(symbol.get_name() for symbol in scope.get_symbols() if symbol.is_referenced()
                        and (scope.get_type() == "module" or symbol.is_global()))
            for child in scope.get_children():
                visit(child)

        visit(table)
        unbound = read - bound - set(dir(builtins)) - {"__file__"}
        assert unbound <= sync_vendored.used_names(tree) - sync_vendored.used_names(tree, evaluated_only=True), \
            (script, sorted(unbound))


def test_every_carried_statement_is_read():
    """No dead copies: each vendored top-level statement binds a name the rest of the script reads."""
    for script in sync_vendored.SCRIPTS:
        text = (ROOT / script).read_text(encoding="utf-8")
        lines = text.splitlines()
        vendored, inside = set(), False
        for number, line in enumerate(lines, 1):
            if line.startswith(("# --- begin _", "# --- end _")):
                inside = line.startswith("# --- begin _")
            elif inside:
                vendored.add(number)
        statements = ast.parse(text).body
        reads = [collections.Counter(sync_vendored.used_names(node, evaluated_only=True)) for node in statements]
        total = sum(reads, collections.Counter())
        for node, read in zip(statements, reads):
            if node.lineno in vendored and not isinstance(node, ast.Expr):
                bound = sync_vendored.statement_names(node)
                assert any(total[name] > read[name] for name in bound), (script, node.lineno, sorted(bound))


def test_only_what_is_used_is_carried():
    """The validator uses a few names of _generation (the judge, the client, near misses), not the generators'
    planner; the generators have no held-out split, the evaluator no training-only augmentation."""
    validator = (ROOT / "validate_functiongemma_dataset.py").read_text(encoding="utf-8")
    for name in ("def judge_request(", "def judge_label(", "def openai_connect(", "def boundary_report("):
        assert name in validator, name
    for name in ("def plan_slots(", "class RowWriter", "class OutputState", "def build_request("):
        assert name not in validator, name
    evaluator = (ROOT / "evaluate_functiongemma.py").read_text(encoding="utf-8")
    assert "def augmented_variants(" not in evaluator and "def score_renderings(" in evaluator
    assert "def plan_slots(" in (ROOT / "generate_dataset.py").read_text(encoding="utf-8")


def test_generators_carry_no_format_parser_or_scoring():
    for script in ("generate_dataset.py", "generate_dataset-local-ollama.py"):
        text = (ROOT / script).read_text(encoding="utf-8")
        for name in ("def render_prompt", "CHAT_TEMPLATE", "def parse_output", "def score_predictions",
                     "def load_model"):
            assert name not in text, (script, name)


def test_modules_import_each_other_plainly_and_only_backwards():
    for index, name in enumerate(sync_vendored.MODULES):
        source = (ROOT / f"{name}.py").read_text(encoding="utf-8")
        assert "globals()" not in source, name
        for node in sync_vendored.project_imports(ast.parse(source)):
            assert sync_vendored.MODULES.index(node.module) < index, (name, node.module)


def test_no_two_carried_modules_define_the_same_name():
    """A script's vendored modules and its own code share one namespace."""
    for script, declared in sync_vendored.SCRIPTS.items():
        owners = {}
        text = (ROOT / script).read_text(encoding="utf-8")
        sources = {"(own code)": sync_vendored.own_code(text), **blocks(text)}
        for owner, source in sources.items():
            for name in sync_vendored.defined_names(ast.parse(source)):
                assert name not in owners, f"{script}: {name} defined by {owners.get(name)} and {owner}"
                owners[name] = owner


def test_main_comes_first_and_the_vendored_code_after_it():
    stats = subprocess.run([sys.executable, SYNC, "--stats"], capture_output=True, text=True, check=True).stdout
    for script in sync_vendored.SCRIPTS:
        text = (ROOT / script).read_text(encoding="utf-8")
        tree = ast.parse(text)
        docstring_end = tree.body[0].end_lineno
        main = next(node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "main")
        first_function = next(node for node in tree.body if isinstance(node, ast.FunctionDef))
        assert first_function.lineno - docstring_end < 150, script
        assert text.index("\n# --- begin _") > text.index("\ndef main(")
        assert text.rindex("# --- end _") < text.index('\nif __name__ == "__main__":')
        row = next(line for line in stats.splitlines() if line.startswith(script + " "))
        assert int(row.split()[4]) == main.lineno, row


def test_drift_and_wrong_declarations_are_detected_and_repaired(tmp_path):
    copy = tmp_path / "repo"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".git", ".venv", "*.litertlm", "__pycache__"))
    script = copy / "validate_functiongemma_dataset.py"
    script.write_text(script.read_text().replace("def render_prompt(", "def render_prompt_edited_by_hand(", 1))
    seeds = copy / "cycling-copilot-seeds.csv"
    seeds.write_text(seeds.read_text() + '"A new seed row","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]"\n')
    check = subprocess.run([sys.executable, copy / "dev" / "sync_vendored.py", "--check"], capture_output=True, text=True)
    assert check.returncode == 1
    assert "validate_functiongemma_dataset.py" in check.stdout and "_bundled.py" in check.stdout
    subprocess.run([sys.executable, copy / "dev" / "sync_vendored.py"], check=True, capture_output=True)
    assert "A new seed row" in (copy / "_bundled.py").read_text()
    assert "A new seed row" in script.read_text() and "render_prompt_edited_by_hand" not in script.read_text()
    assert subprocess.run([sys.executable, copy / "dev" / "sync_vendored.py", "--check"]).returncode == 0

    sync = copy / "dev" / "sync_vendored.py"
    table = sync.read_text()
    declared = '"generate_dataset.py": ["_cli", "_bundled", "_data", "_renderings", "_generation"]'
    assert declared in table  # else the replacement below changes nothing and the check cannot fail
    sync.write_text(table.replace(declared, declared.replace('"_generation"', '"_format", "_generation"')))
    check = subprocess.run([sys.executable, sync, "--check"], capture_output=True, text=True)
    assert check.returncode == 1 and "generate_dataset.py: carries _format.py but never uses it" in check.stdout
    declared = '"evaluate_functiongemma.py": ["_cli", "_bundled", "_data", "_renderings", "_heldout", "_format", "_scoring", "_inference",'
    assert declared in table  # else the replacement below changes nothing and the check cannot fail
    sync.write_text(table.replace(declared, declared.replace(' "_scoring",', '')))
    check = subprocess.run([sys.executable, sync, "--check"], capture_output=True, text=True)
    assert check.returncode == 1 and "from _scoring.py, which the script does not carry" in check.stdout
    assert "evaluate_functiongemma.py: uses _scoring.py but does not declare it in SCRIPTS" in check.stdout


def test_a_module_edit_changes_what_a_script_carries(tmp_path):
    """The sync follows names: a definition nobody reads is not copied; once a carried function reads it,
    it comes along with what it reads in turn."""
    copy = tmp_path / "repo"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".git", ".venv", "*.litertlm", "__pycache__"))
    sync = copy / "dev" / "sync_vendored.py"
    script = copy / "validate_functiongemma_dataset.py"
    assert "def plan_slots(" not in script.read_text()
    module = copy / "_generation.py"
    source = module.read_text()
    anchor = "\ndef judge_label("
    call = "    request, schema, labels = judge_request("
    assert source.count(anchor) == 1 and source.count(call) == 1  # else the edits below change nothing
    module.write_text(source.replace(anchor, "\nJUDGE_HOOK = plan_slots\n\n" + anchor, 1))
    assert subprocess.run([sys.executable, sync, "--check"], capture_output=True).returncode == 0
    module.write_text(module.read_text().replace(call, "    assert JUDGE_HOOK\n" + call, 1))
    check = subprocess.run([sys.executable, sync, "--check"], capture_output=True, text=True)
    assert check.returncode == 1 and "stale: validate_functiongemma_dataset.py" in check.stdout
    subprocess.run([sys.executable, sync], check=True, capture_output=True)
    text = script.read_text()
    assert "JUDGE_HOOK = plan_slots" in text and "def plan_slots(" in text and "class Slot" in text
    assert subprocess.run([sys.executable, sync, "--check"], capture_output=True).returncode == 0
    help_run = subprocess.run([sys.executable, script, "--help"], capture_output=True, text=True, cwd=tmp_path)
    assert help_run.returncode == 0, help_run.stderr
