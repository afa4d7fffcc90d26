"""The vendored copies of the shared modules never drift from their single source."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SYNC = ROOT / "dev" / "sync_vendored.py"


def vendoring_scripts():
    return [path for path in sorted(ROOT.glob("*.py"))
            if not path.name.startswith("_") and "\n# --- begin _common.py" in path.read_text()]


def test_every_copy_is_in_sync():
    result = subprocess.run([sys.executable, SYNC, "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_each_copy_equals_common_byte_for_byte():
    common = (ROOT / "_common.py").read_text()
    scripts = vendoring_scripts()
    assert ROOT / "validate_functiongemma_dataset.py" in scripts
    for script in scripts:
        block = re.search(r"^# --- begin _common\.py[^\n]*\n(.*?)^# --- end _common\.py", script.read_text(),
                          re.S | re.M)
        assert block and block.group(1) == common, script.name


def test_drift_is_detected_and_repaired(tmp_path):
    copy = tmp_path / "repo"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".git", ".venv", "*.litertlm", "__pycache__"))
    script = copy / "validate_functiongemma_dataset.py"
    script.write_text(script.read_text().replace("def render_prompt(", "def render_prompt_edited_by_hand(", 1))
    seeds = copy / "cycling-copilot-seeds.csv"
    seeds.write_text(seeds.read_text() + '"A new seed row","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]"\n')
    check = subprocess.run([sys.executable, copy / "dev" / "sync_vendored.py", "--check"], capture_output=True, text=True)
    assert check.returncode == 1
    assert "validate_functiongemma_dataset.py" in check.stdout and "_common.py" in check.stdout
    subprocess.run([sys.executable, copy / "dev" / "sync_vendored.py"], check=True, capture_output=True)
    assert "A new seed row" in (copy / "_common.py").read_text()
    assert "A new seed row" in script.read_text() and "render_prompt_edited_by_hand" not in script.read_text()
    assert subprocess.run([sys.executable, copy / "dev" / "sync_vendored.py", "--check"]).returncode == 0
