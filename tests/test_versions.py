"""Version floors: each script's REQUIREMENTS equal its PEP 723 header and the dev group's floors,
and a script started with a too-old library stops with one line naming it (_cli.require)."""

import ast
import os
import re
import shutil
import site
import subprocess
import sys
import tomllib
from importlib import metadata

import pytest

import _cli
from conftest import ROOT

SCRIPTS = ["train_functiongemma.py", "evaluate_functiongemma.py", "export_litertlm.py",
           "validate_functiongemma_dataset.py", "generate_dataset.py", "generate_dataset-local-ollama.py"]
# Declared in a header but not checked at start-up: litert-torch imports `tensorflow`, which a
# notebook may have from the `tensorflow` distribution rather than `tensorflow-cpu`.
NOT_CHECKED = {"tensorflow-cpu"}
OLD_TRANSFORMERS = "4.57.6"  # the last 4.x release: what an older notebook runtime has


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def split_requirement(requirement: str) -> tuple[str, str]:
    name, specifier = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*(.*)", requirement.strip()).groups()
    return name, specifier.replace(" ", "")


def header_dependencies(script: str) -> dict[str, str]:
    """The PEP 723 `dependencies` of a script (the specification's reference regex)."""
    text = (ROOT / script).read_text(encoding="utf-8")
    block = re.search(r"(?m)^# /// script$\s(?P<content>(^#(| .*)$\s)+)^# ///$", text).group("content")
    toml = "".join(line[2:] if line.startswith("# ") else line[1:] for line in block.splitlines(keepends=True))
    return dict(split_requirement(requirement) for requirement in tomllib.loads(toml)["dependencies"])


def script_requirements(script: str) -> dict[str, str]:
    """The script's REQUIREMENTS literal, read without importing the script."""
    tree = ast.parse((ROOT / script).read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and [target.id for target in node.targets] == ["REQUIREMENTS"]:
            return ast.literal_eval(node.value)
    raise AssertionError(f"{script} has no REQUIREMENTS")


def dev_group() -> dict[str, str]:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {canonical(name): specifier for name, specifier in map(split_requirement,
                                                                   pyproject["dependency-groups"]["dev"])}


@pytest.mark.parametrize("script", SCRIPTS)
def test_requirements_are_the_header_and_main_checks_them(script):
    expected = {name: specifier for name, specifier in header_dependencies(script).items() if name not in NOT_CHECKED}
    assert script_requirements(script) == expected
    main = next(node for node in ast.parse((ROOT / script).read_text(encoding="utf-8")).body
                if isinstance(node, ast.FunctionDef) and node.name == "main")
    assert ast.unparse(main.body[0]) == "require(REQUIREMENTS)"


@pytest.mark.parametrize("script", SCRIPTS)
def test_dev_group_floors_are_the_scripts_floors(script):
    """The CI floor job installs the dev group at its floors: they must be the scripts' own."""
    dev = dev_group()
    for name, specifier in header_dependencies(script).items():
        if canonical(name) == "torch":  # CI carries one CPU build of torch: the dev group pins it
            assert _cli.version_allowed(dev["torch"].removeprefix("=="), specifier), specifier
        else:
            assert dev.get(canonical(name)) == specifier, name


@pytest.mark.parametrize("script", SCRIPTS)
def test_this_environment_passes_every_scripts_check(script):
    _cli.require(script_requirements(script))  # also proves each distribution name is spelled as installed


@pytest.mark.parametrize("installed, specifier, allowed", [
    ("5.24.0", ">=5.24", True), ("5.23.9", ">=5.24", False), ("5.24", ">=5.24.0", True),
    ("2.13.0+cpu", ">=2.6,<2.15", True), ("2.15.0", ">=2.6,<2.15", False), ("2.5.1", ">=2.6,<2.15", False),
    ("0.10.7", ">=0.10,<0.11", True), ("0.11.0", ">=0.10,<0.11", False), ("10.0", ">=9.1", True),
    ("5.25.0.dev0", ">=5.24", True), ("1.2.3", "", True), ("1.2.3", "==1.2.3", True), ("1.2.4", "!=1.2.4", False),
])
def test_version_comparison(installed, specifier, allowed):
    assert _cli.version_allowed(installed, specifier) is allowed


def test_require_names_what_is_installed_what_is_needed_and_the_command():
    with pytest.raises(_cli.DataError) as error:
        _cli.require({"pytest": ">=999", "hypothesis": ">=1.0", "no-such-distribution": ">=1.0"})
    assert str(error.value) == (f"pytest {pytest.__version__} is installed, no-such-distribution is not installed; "
                                "this script needs pytest>=999, no-such-distribution>=1.0: "
                                "pip install -U 'pytest>=999' 'no-such-distribution>=1.0'")


@pytest.fixture(scope="module")
def old_transformers_python(tmp_path_factory):
    """A python whose environment is this one, except for a real, older transformers installed in
    front of it (its own site-packages come before the ones the .pth file adds)."""
    uv = shutil.which("uv")
    assert uv, "uv is needed to build the old-transformers environment (.ci/run installs it)"
    venv = tmp_path_factory.mktemp("old-transformers") / "venv"
    subprocess.run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([uv, "pip", "install", "--quiet", "--python", str(python), "--no-deps",
                    f"transformers=={OLD_TRANSFORMERS}"], check=True)
    own = subprocess.run([str(python), "-c", "import site; print(site.getsitepackages()[0])"],
                         check=True, capture_output=True, text=True).stdout.strip()
    with open(os.path.join(own, "this-environment.pth"), "w", encoding="utf-8") as handle:
        handle.write("\n".join(site.getsitepackages()) + "\n")
    seen = subprocess.run([str(python), "-c", "import importlib.metadata as m; "
                           "print(m.version('transformers'), m.version('trl'))"],
                          check=True, capture_output=True, text=True).stdout.split()
    assert seen == [OLD_TRANSFORMERS, metadata.version("trl")]
    return python


@pytest.mark.parametrize("script", ["train_functiongemma.py", "evaluate_functiongemma.py",
                                    "validate_functiongemma_dataset.py"])
def test_a_script_under_an_old_transformers_stops_with_one_line(script, old_transformers_python, tmp_path):
    result = subprocess.run([str(old_transformers_python), str(ROOT / script)], capture_output=True, text=True,
                            timeout=120, cwd=tmp_path)
    needed = script_requirements(script)["transformers"]
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (f"error: transformers {OLD_TRANSFORMERS} is installed; this script needs "
                             f"transformers{needed}: pip install -U 'transformers{needed}'\n")
    assert not list(tmp_path.iterdir())  # stopped before writing anything


def test_ci_pins_every_floor_the_scripts_declare():
    """.ci/run installs its floor environment with dev/floors.py's pins."""
    import floors
    pins = {canonical(pin.split("==")[0]): pin.split("==")[1] for pin in floors.floor_pins()}
    for script in SCRIPTS:
        for name, specifier in header_dependencies(script).items():
            lower = re.search(r">=([0-9][^,]*)", specifier)
            if lower and canonical(name) != "torch":
                assert pins[canonical(name)] == lower.group(1), (script, name)


def release(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.match(r"\d+(\.\d+)*", version).group(0).split("."))


def python_floor(specifier: str) -> tuple[int, ...]:
    return (release(re.search(r">=\s*([\d.]+)", specifier).group(1)) + (0, 0))[:3]


def script_python(script: str) -> str:
    text = (ROOT / script).read_text(encoding="utf-8")
    return re.search(r'(?m)^# requires-python = "([^"]+)"$', text).group(1)


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_script_asks_for_a_python_its_floor_libraries_run_on(script):
    """`uv run` refuses a script whose python range includes versions a floor library cannot use.
    Checked where the installed library is the floor itself (CI's floor run)."""
    floor = python_floor(script_python(script))
    checked = 0
    for name, specifier in header_dependencies(script).items():
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        if ">=" not in specifier or release(dist.version)[:len(python_floor(specifier))] != python_floor(specifier):
            continue  # not at its floor: a newer release may ask for a newer python, and uv picks an older one
        needs = dist.metadata.get("Requires-Python")
        if needs and ">=" in needs:
            checked += 1
            assert floor >= python_floor(needs), f"{script}: {name} {dist.version} needs python {needs}"
    if checked == 0:
        pytest.skip("no library is installed at its floor here")


def test_the_dev_project_asks_for_the_strictest_scripts_python():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert python_floor(pyproject["project"]["requires-python"]) == max(python_floor(script_python(s)) for s in SCRIPTS)
