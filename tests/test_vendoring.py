"""The vendored copies of the shared modules: exact, declared, used, and placed after `main`."""

import ast
import re
import shutil
import subprocess
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


def test_each_script_carries_exactly_its_declared_modules_verbatim():
    for script, declared in sync_vendored.SCRIPTS.items():
        found = blocks((ROOT / script).read_text(encoding="utf-8"))
        assert list(found) == sorted(declared, key=sync_vendored.MODULES.index), script
        for name, body in found.items():
            source = (ROOT / f"{name}.py").read_text(encoding="utf-8")
            imports = {number for node in ast.parse(source).body if isinstance(node, ast.ImportFrom)
                       and node.module.startswith("_") for number in range(node.lineno, node.end_lineno + 1)}
            kept = [line for number, line in enumerate(source.splitlines(), 1) if line and number not in imports]
            assert [line for line in body.splitlines() if line] == kept, (script, name)


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
    assert check.returncode == 1 and "_inference.py imports _scoring.py, which the script does not carry" in check.stdout
