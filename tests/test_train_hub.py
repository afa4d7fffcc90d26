"""train_functiongemma.py against the Hub stand-in (tests/fake_hub.py, the real huggingface_hub client
over HTTP): private by default, no row files without --push-data, no local path or token in anything
written or uploaded, and a run SIGKILLed after its first checkpoint that resumes, locally and from the
Hub, to the same steps and weights as a run never interrupted.

All runs share one module fixture (each training process costs tens of seconds on a busy CPU):
    reference   --output-repo alice/reference, never interrupted
    killed      an HF Job (JOB_ID) without --output-repo: auto-named private repo; SIGKILLed once its
                first checkpoint is on disk and on the Hub
    from_hub    the Job run again on a fresh disk with --output-repo <that repo> --resume-from-checkpoint
                --push-data: pulls last-checkpoint/ from the Hub
    local       the killed output dir resumed with --resume-from-checkpoint, offline
"""

import csv
import glob
import json
import os
import signal
import subprocess
import sys
import time

import pytest

import _data
import stand_in
from conftest import ROOT
from fake_hub import FakeHub

TOKEN = "hf_fakeSECRETtoken0123456789"
TOOLS = ("get_ride_status", "find_nearby_poi")
ROW_FILES = {"train.csv", "validation.csv", "heldout.csv"}


def train_command(runs, output_dir, *extra):
    return [sys.executable, str(ROOT / "train_functiongemma.py"), "--model", str(runs["model"]),
            "--tools", str(runs["data"] / "tools.json"), "--dataset", str(runs["data"] / "rows.csv"),
            "--epochs", "1", "--batch-size", "2", "--save-steps", "2", "--output-dir", str(output_dir), *extra]


def run_logged(command, env, log):
    """Run to the end with stdout/stderr in files (a long run must not fill a pipe)."""
    with open(f"{log}.out", "w") as out, open(f"{log}.err", "w") as err:
        code = subprocess.run(command, env=env, stdout=out, stderr=err, timeout=900).returncode
    return code, open(f"{log}.out").read(), open(f"{log}.err").read()


def wait_for(condition, process, timeout=600):
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, "the run ended before its first checkpoint"
        assert time.monotonic() < deadline, "no checkpoint in time"
        time.sleep(0.05)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("hub-runs")
    data = root / "data"
    data.mkdir()
    tools = [tool for tool in _data.load_tools() if tool["function"]["name"] in TOOLS]
    (data / "tools.json").write_text(json.dumps(tools), encoding="utf-8")
    examples, _ = _data.load_examples(None, _data.load_tools())
    with open(data / "rows.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["user_message", "tool_calls"])
        for example in [example for example in examples if example.call and example.call.name in TOOLS][::3][:12]:
            writer.writerow([example.message, example.call.to_json()])
    runs = {"root": root, "data": data, "model": stand_in.tiny_gemma3(root / "tiny")}
    with FakeHub(token=TOKEN) as hub:
        runs["hub"] = hub
        online = {**os.environ, **hub.env(root / "hf-home")}
        runs["reference"] = run_logged(train_command(runs, root / "reference", "--output-repo", "alice/reference"),
                                       online, root / "reference")

        # A Job on a machine that vanishes: killed once checkpoint-N is complete locally and on the Hub.
        job = {**online, "JOB_ID": "job-1"}
        with open(root / "killed.out", "w") as out, open(root / "killed.err", "w") as err:
            process = subprocess.Popen(train_command(runs, root / "killed"), env=job, stdout=out, stderr=err)

            def checkpointed():
                with hub.lock:
                    pushed = any("last-checkpoint/trainer_state.json" in repo["files"] for repo in hub.repos.values())
                return pushed and glob.glob(str(root / "killed" / "checkpoint-*" / "trainer_state.json"))

            try:
                wait_for(checkpointed, process)
            finally:
                process.send_signal(signal.SIGKILL)
                process.wait()
        runs["killed"] = process.returncode, (root / "killed.out").read_text(), (root / "killed.err").read_text()
        runs["killed_files"] = sorted(os.listdir(root / "killed"))
        (runs["job_repo"],) = [repo for repo in hub.repos if repo != "alice/reference"]

        runs["from_hub"] = run_logged(train_command(runs, root / "from_hub", "--output-repo", runs["job_repo"],
                                                    "--resume-from-checkpoint", "--push-data"),
                                      job, root / "from_hub")
    offline = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_TOKEN": ""}
    runs["local"] = run_logged(train_command(runs, root / "killed", "--resume-from-checkpoint"), offline, root / "local")
    return runs


def metrics(runs, name):
    folder = "killed" if name == "local" else name
    return json.loads((runs["root"] / folder / "metrics.json").read_text())


def adapter(runs, name):
    from safetensors.torch import load_file
    return load_file(runs["root"] / ("killed" if name == "local" else name) / "adapter_model.safetensors")


def test_pushes_are_private_and_carry_no_row_files_unless_asked(runs):
    hub = runs["hub"]
    code, out, err = runs["reference"]
    assert code == 0, err[-3000:]
    assert "the result will be pushed to the private repo" in out and "without the row files" in out
    reference = hub.repos["alice/reference"]
    assert reference["private"] is True
    assert set(reference["files"]) == {".gitattributes", "README.md", "adapter_config.json", "adapter_model.safetensors",
                                       "chat_template.jinja", "metrics.json", "tokenizer.json", "tokenizer_config.json",
                                       "training_config.json", "split.json", "tools.json"}  # the record, not the rows
    card = reference["files"]["README.md"].decode()
    assert "Uploaded to this repository: `adapter_config.json`" in card and "the row files (`--push-data`)" in card
    assert "rows.csv (sha256 " in card

    code, out, err = runs["from_hub"]
    assert code == 0, err[-3000:]
    job = hub.repos[runs["job_repo"]]
    assert job["private"] is True and ROW_FILES <= set(job["files"])
    with_rows = job["files"]["train.csv"].decode().splitlines()
    assert with_rows[0] == '"user_message","tool_calls","source"'
    assert all('"rows.csv (sha256 ' in line for line in with_rows[1:])
    assert "`train.csv`" in job["files"]["README.md"].decode()


def test_no_local_path_or_token_in_anything_written_or_uploaded(runs):
    local_paths = [str(runs["root"]).encode(), str(ROOT).encode()]
    uploaded = {f"{repo_id}@{commit['oid'][:8]}:{path}": data for repo_id, repo in runs["hub"].repos.items()
                for commit in repo["commits"] for path, data in commit["files"].items()}
    assert len(uploaded) > 20
    for name, data in uploaded.items():
        for secret in local_paths + [TOKEN.encode()]:
            assert secret not in data, (name, secret)
    written = [path for path in runs["root"].rglob("*") if path.is_file() and "hf-home" not in path.parts]
    assert any(path.name == "optimizer.pt" for path in written)
    for path in written:
        assert TOKEN.encode() not in path.read_bytes(), path
    for name in ("reference", "killed", "from_hub", "local"):
        code, out, err = runs[name]
        assert TOKEN not in out + err, name


def test_a_job_without_output_repo_names_its_private_repo_before_training(runs):
    code, out, err = runs["killed"]
    assert code == -signal.SIGKILL
    repo = runs["job_repo"]
    assert repo.startswith("alice/functiongemma-cycling-copilot-")
    lines = out.splitlines()
    assert lines[0] == f"the result will be pushed to the private repo https://huggingface.co/{repo} (without the row files)"
    assert f"run it again with --output-repo {repo} --resume-from-checkpoint" in lines[1]
    assert runs["hub"].repos[repo]["private"] is True
    # killed for real: no adapter at the top of the output dir, only checkpoints
    assert "adapter_model.safetensors" not in runs["killed_files"] and "metrics.json" not in runs["killed_files"]


@pytest.mark.parametrize("name", ["from_hub", "local"])
def test_a_killed_run_resumes_to_the_same_steps_and_loss(runs, name):
    code, out, err = runs[name]
    assert code == 0, err[-3000:]
    resumed_from = out.split("resuming from ", 1)[1].splitlines()[0]
    step = int(resumed_from.rsplit("checkpoint-", 1)[1])
    assert 2 <= step < metrics(runs, "reference")["train"]["steps"]
    if name == "from_hub":
        assert f"downloaded {runs['job_repo']}/last-checkpoint to " in out
    expected, got = metrics(runs, "reference"), metrics(runs, name)
    assert got["train"]["steps"] == expected["train"]["steps"] == 5
    assert got["eval_loss_per_epoch"][-1]["eval_loss"] == pytest.approx(
        expected["eval_loss_per_epoch"][-1]["eval_loss"], rel=1e-4)
    reference, resumed = adapter(runs, "reference"), adapter(runs, name)
    assert reference.keys() == resumed.keys()
    changed = max((reference[key] - resumed[key]).abs().max().item() for key in reference)
    assert changed < 1e-5, changed


def test_existing_public_repo_needs_public(run_script, tmp_path):
    with FakeHub(token=TOKEN) as hub:
        hub.add_repo("alice/shared", private=False)
        refused = run_script("train_functiongemma.py", "--model", tmp_path / "never-loaded", "--output-repo",
                             "alice/shared", "--output-dir", tmp_path / "run", env=hub.env(tmp_path / "home"))
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1, refused.stderr
    assert "alice/shared is a public repo: pass --public" in refused.stderr
    assert not (tmp_path / "run").exists()
