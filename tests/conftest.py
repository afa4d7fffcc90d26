"""Shared fixtures: bundled data, offline stand-in models, and a runner for the scripts."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "dev"))

import _data  # noqa: E402
import stand_in  # noqa: E402

# Nothing in the tests may reach the Hub: fail fast instead of hanging on the network.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture(scope="session")
def tools():
    return _data.load_tools()


@pytest.fixture(scope="session")
def seed_examples(tools):
    examples, _ = _data.load_examples(None, tools)
    return examples


@pytest.fixture(scope="session")
def tokenizer_dir():
    return stand_in.functiongemma_tokenizer()


@pytest.fixture(scope="session")
def tokenizer(tokenizer_dir):
    from transformers import AutoTokenizer
    return AutoTokenizer.from_pretrained(tokenizer_dir)


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory):
    """A tiny random Gemma 3 checkpoint with the FunctionGemma tokenizer (read-only: copy to change)."""
    return stand_in.tiny_gemma3(tmp_path_factory.mktemp("tiny-gemma3"))


@pytest.fixture(scope="session")
def real_model_dir():
    """The real Gemma 3 270M weights (slow tests only)."""
    return stand_in.real_gemma3_270m()


@pytest.fixture(scope="session")
def trained_run(tmp_path_factory):
    """A real training output to evaluate and export: a tiny Gemma 3 that litert-torch can express
    (query_pre_attn_scalar = head_dim), trained two steps on a stand-in for the public dataset
    (3 rows per value, the first a generator artefact like the public set's) plus the bundled seeds
    file, as the README recommends. Returns (output dir, stand-in CSV, training's stdout)."""
    folder = tmp_path_factory.mktemp("trained-run")
    base = stand_in.tiny_gemma3(folder / "base", query_pre_attn_scalar=16)
    public = folder / "public.csv"
    tools = _data.load_tools()

    def message(name: str, value: str, i: int) -> str:
        if i == 0:
            return f"Requesting {name} with {value} (Standard natural language questions. Varied phrasing. variant 0)"
        return f"stand-in request {i} for {value.replace('_', ' ')} from {name.split('_')[-1]}"

    examples = [_data.Example(message(name, value, i), _data.Call.make(name, {"query": value}))
                for name, values in _data.enum_values(tools).items() for value in values for i in range(3)]
    _data.write_examples_csv(str(public), examples)
    output = folder / "run"
    command = [sys.executable, str(ROOT / "train_functiongemma.py"), "--model", str(base), "--dataset", str(public),
               "--dataset", str(ROOT / "cycling-copilot-seeds.csv"), "--max-steps", "2", "--lr", "1e-2",
               "--output-dir", str(output)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=folder)
    assert result.returncode == 0, result.stderr[-3000:]
    return output, public, result.stdout


@pytest.fixture
def run_script():
    """Run a root script as a user would, in a subprocess; returns CompletedProcess (text)."""
    def run(script: str, *args, cwd=None, env=None, timeout=900, script_path=None):
        command = [sys.executable, str(script_path or ROOT / script), *map(str, args)]
        merged_env = {**os.environ, **(env or {})}
        return subprocess.run(command, cwd=cwd or ROOT, env=merged_env, capture_output=True,
                              text=True, timeout=timeout)
    return run


def load_script(filename: str):
    """Import a root script as a module (registered like a real import: its dataclasses need it)."""
    name = filename.removesuffix(".py").replace("-", "_")
    spec = importlib.util.spec_from_file_location(name, ROOT / filename)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


# ----------------------------------------------------------------------------- order independence


def pytest_addoption(parser):
    parser.addoption("--shuffle", metavar="SEED", type=int,
                     help="run the test files, and the tests within each file, in an order shuffled by SEED: "
                          "a test that passes only after another one fails (CI runs the suite this way once)")


def pytest_collection_modifyitems(config, items):
    """--shuffle SEED: the files in a shuffled order, and the tests of each file shuffled too (a file's
    tests stay together, so its module fixtures are built once)."""
    seed = config.getoption("--shuffle")
    if seed is None:
        return
    import random
    rng = random.Random(seed)
    files = {}
    for item in items:
        files.setdefault(item.nodeid.split("::")[0], []).append(item)
    order = list(files)
    rng.shuffle(order)
    for tests in files.values():
        rng.shuffle(tests)
    items[:] = [item for name in order for item in files[name]]


def pytest_report_header(config):
    seed = config.getoption("--shuffle")
    return None if seed is None else f"test order shuffled by --shuffle {seed}"


def many_tools(count: int) -> list[dict]:
    """The bundled tools and `count` more, each with an 80-word description and eight values: tool
    declarations too long for a phone's prompt, or a model's context."""
    import json
    extra = [{"type": "function", "function": {
        "name": f"read_sensor_{index}", "description": "Reads one more sensor of the bike for the rider. " * 8,
        "parameters": {"type": "object", "properties": {"query": {
            "type": "string", "description": "Which reading.", "enum": [f"reading_{n}" for n in range(8)]}},
            "required": ["query"]}}} for index in range(count)]
    return json.loads(_data.BUNDLED_TOOLS_JSON) + extra
