"""Each script works alone: copied into an empty folder, run from there, or pasted into a notebook."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted(path.name for path in ROOT.glob("*.py") if not path.name.startswith("_"))


def alone(name, tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    shutil.copy(ROOT / name, folder / name)
    return folder


@pytest.mark.parametrize("name", SCRIPTS)
def test_help_from_an_empty_folder(name, tmp_path):
    folder = alone(name, tmp_path)
    result = subprocess.run([sys.executable, name, "--help"], cwd=folder, capture_output=True, text=True,
                            timeout=300, env={**os.environ, "PYTHONPATH": ""})
    assert result.returncode == 0, result.stderr[-2000:]
    assert "usage:" in result.stdout and "--" in result.stdout


@pytest.mark.parametrize("name", SCRIPTS)
def test_declares_pep723_dependencies(name):
    text = (ROOT / name).read_text()
    assert text.startswith("# /// script\n") and "\n# ///\n" in text
    assert "# dependencies = [" in text.split("\n# ///\n", 1)[0]


def test_validator_default_run_from_an_empty_folder(tmp_path):
    folder = alone("validate_functiongemma_dataset.py", tmp_path)
    result = subprocess.run([sys.executable, "validate_functiongemma_dataset.py", "--json", "r.json"], cwd=folder,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "0 errors" in result.stdout and (folder / "r.json").exists()


@pytest.mark.skipif(shutil.which("uv") is None, reason="uv is not installed")
def test_validator_runs_with_uv_from_its_own_header(tmp_path):
    """`uv run SCRIPT` builds the environment from the PEP 723 header alone."""
    folder = alone("validate_functiongemma_dataset.py", tmp_path)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("VIRTUAL_ENV", "UV_PROJECT"))}
    result = subprocess.run(["uv", "run", "--no-project", "validate_functiongemma_dataset.py"], cwd=folder,
                            capture_output=True, text=True, timeout=900, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "0 errors" in result.stdout


def test_pasted_into_a_notebook_cell(tmp_path):
    """A notebook kernel has its own argv and must not be exited: run the text as a cell would."""
    cell = (ROOT / "validate_functiongemma_dataset.py").read_text()
    driver = (
        "import sys, types\n"
        "sys.modules['ipykernel'] = types.ModuleType('ipykernel')  # what a Jupyter kernel has loaded\n"
        "sys.argv = ['ipykernel_launcher.py', '-f', '/tmp/kernel-123.json']\n"
        f"namespace = {{'__name__': '__main__'}}\nexec(compile(open({str(tmp_path / 'cell.py')!r}).read(), 'cell', 'exec'), namespace)\n"
        "print('kernel alive; main(argv) ->', namespace['main'](['--json', 'r.json']))\n"
    )
    (tmp_path / "cell.py").write_text(cell)
    result = subprocess.run([sys.executable, "-c", driver], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("0 errors") == 2 and "kernel alive; main(argv) -> 0" in result.stdout
