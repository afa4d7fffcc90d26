"""Two optimizer steps of train_functiongemma.py on the real Gemma 3 270M weights."""

import json

import pytest


@pytest.mark.slow
def test_two_steps_on_the_real_weights(run_script, real_model_dir, tmp_path):
    output = tmp_path / "run"
    result = run_script("train_functiongemma.py", "--model", real_model_dir, "--max-steps", "2",
                        "--batch-size", "2", "--max-examples", "8", "--no-eval", "--output-dir", output)
    assert result.returncode == 0, result.stderr[-3000:]
    metrics = json.loads((output / "metrics.json").read_text())
    assert metrics["train"]["steps"] == 2 and metrics["train"]["train_loss"] > 0
    assert (output / "adapter_model.safetensors").exists() and (output / "README.md").exists()
