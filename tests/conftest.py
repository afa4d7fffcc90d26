"""Shared fixtures: bundled data, offline stand-in models, and a runner for the scripts."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "dev"))

import _common  # noqa: E402
import stand_in  # noqa: E402

# Nothing in the tests may reach the Hub: fail fast instead of hanging on the network.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture(scope="session")
def tools():
    return _common.load_tools()


@pytest.fixture(scope="session")
def seed_examples(tools):
    examples, _ = _common.load_examples(None, tools)
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


@pytest.fixture
def run_script():
    """Run a root script as a user would, in a subprocess; returns CompletedProcess (text)."""
    def run(script: str, *args, cwd=None, env=None, timeout=900, script_path=None):
        command = [sys.executable, str(script_path or ROOT / script), *map(str, args)]
        merged_env = {**os.environ, **(env or {})}
        return subprocess.run(command, cwd=cwd or ROOT, env=merged_env, capture_output=True,
                              text=True, timeout=timeout)
    return run
