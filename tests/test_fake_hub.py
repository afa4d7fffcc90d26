"""FakeHub speaks the Hub's real protocol: the real huggingface_hub client, in a subprocess, talks to it over HTTP."""

import json
import os
import subprocess
import sys
import textwrap

import pytest
from fake_hub import FakeHub, fake_hub_fixture  # noqa: F401  (registers the `fake_hub` fixture)

WEIGHTS = bytes(range(256)) * 64 + b"\x00\xff"  # every byte value: catches any text/encoding mix-up
FOLDER = {
    "README.md": "---\nlicense: apache-2.0\n---\n# A model\n",
    "config.json": '{"model_type": "gemma3_text"}',
    "weights.bin": WEIGHTS,
    "nested/deep/tokenizer.json": '{"version": "1.0"}',
    "checkpoint-1/optimizer.pt": b"ignored",
    "notes.tmp": "ignored",
}


def write_folder(root, files):
    for path, data in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data.encode() if isinstance(data, str) else data)
    return root


def run_client(hub, tmp_path, code, *args, **env):
    """Run `code` with the real client, configured only through the environment, like the toolkit's scripts."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGINGFACE_", "TRANSFORMERS_"))}
    merged = {**clean, **hub.env(tmp_path / "hf_home"), **env}
    merged = {k: v for k, v in merged.items() if v is not None}  # env(HF_ENDPOINT=None) drops a variable
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code), *map(str, args)], env=merged,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


UPLOAD = """
    import json, sys
    from huggingface_hub import HfApi, hf_hub_download
    api = HfApi()
    out = {"whoami": api.whoami()["name"]}
    url = api.create_repo("alice/model", repo_type="model", private=True, exist_ok=True)
    out["url"], out["repo_id"] = str(url), url.repo_id
    out["url_again"] = str(api.create_repo("alice/model", repo_type="model", private=True, exist_ok=True))
    upload = dict(folder_path=sys.argv[1], repo_id="alice/model", repo_type="model",
                  ignore_patterns=["checkpoint-*", "*.tmp"], commit_message="Upload model")
    out["commit"] = api.upload_folder(**upload).oid
    out["files"] = api.list_repo_files("alice/model")
    info = api.model_info("alice/model", files_metadata=True)
    out["private"], out["sha"] = info.private, info.sha
    out["sizes"] = {s.rfilename: s.size for s in info.siblings}
    out["weights"] = open(hf_hub_download("alice/model", "weights.bin"), "rb").read().hex()
    out["nested"] = open(hf_hub_download("alice/model", "nested/deep/tokenizer.json", revision=out["commit"])).read()
    out["exists"] = [api.file_exists("alice/model", "config.json"), api.file_exists("alice/model", "notes.tmp")]
    out["noop"] = api.upload_folder(**upload).oid  # nothing changed: no commit, the head is returned
    api.upload_file(path_or_fileobj=b"v2", path_in_repo="nested/extra.txt", repo_id="alice/model")
    out["tree"] = [(e.path, type(e).__name__) for e in api.list_repo_tree("alice/model", "nested")]
    print(json.dumps(out))
"""


# With hf_xet installed (as here) upload_folder takes the pipelined multi-commit path; without it, create_commit.
@pytest.mark.parametrize("disable_xet", ["0", "1"], ids=["pipelined", "create_commit"])
def test_create_upload_list_download_round_trip(fake_hub, tmp_path, disable_xet):
    folder = write_folder(tmp_path / "model", FOLDER)
    out = run_client(fake_hub, tmp_path, UPLOAD, folder, HF_HUB_DISABLE_XET=disable_xet)

    uploaded = {".gitattributes", "README.md", "config.json", "weights.bin", "nested/deep/tokenizer.json"}
    repo = fake_hub.repos["alice/model"]
    assert out["whoami"] == "alice"
    assert out["url"] == out["url_again"] == f"{fake_hub.url}/alice/model" and out["repo_id"] == "alice/model"
    assert repo["private"] is True and repo["type"] == "model" and out["private"] is True
    assert sorted(out["files"]) == sorted(uploaded)
    assert repo["commits"][1]["files"].keys() == uploaded  # the ignore_patterns were applied client-side
    for path in uploaded - {".gitattributes"}:
        assert repo["files"][path] == (folder / path).read_bytes()
        assert out["sizes"][path] == (folder / path).stat().st_size
    assert bytes.fromhex(out["weights"]) == WEIGHTS
    assert out["nested"] == FOLDER["nested/deep/tokenizer.json"]
    assert out["exists"] == [True, False]
    assert out["sha"] == out["commit"] == out["noop"] == repo["commits"][1]["oid"]
    assert [c["message"] for c in repo["commits"]] == ["initial commit", "Upload model", "Upload nested/extra.txt with huggingface_hub"]
    assert repo["files"]["nested/extra.txt"] == b"v2"
    assert out["tree"] == [["nested/deep", "RepoFolder"], ["nested/extra.txt", "RepoFile"]]

    # The log shows the wire protocol: a preupload, then an NDJSON commit carrying base64 file contents.
    commits = [r for r in fake_hub.requests if r["method"] == "POST" and r["path"].endswith("/commit/main")]
    first = commits[0]
    assert first["headers"]["content-type"] == "application/x-ndjson"
    assert first["body"][0] == {"key": "header", "value": {"summary": "Upload model", "description": ""}}
    assert {"key": "file", "value": {"path": "weights.bin", "encoding": "base64", "content": f"<{len(WEIGHTS)} bytes>"}} in first["body"]
    assert any(r["path"] == "/api/models/alice/model/preupload/main" for r in fake_hub.requests)
    assert all("authorization" not in r["headers"] for r in fake_hub.requests)
    # The only refusals: the exist_ok re-create (409) and file_exists of the ignored file (404).
    assert [r["status"] for r in fake_hub.requests if r["status"] >= 400] == [409, 404]


WRONG_TOKEN = """
    import json
    from huggingface_hub import HfApi, hf_hub_download
    from huggingface_hub.errors import HfHubHTTPError
    api = HfApi()
    calls = {"whoami": api.whoami, "create_repo": lambda: api.create_repo("alice/x", exist_ok=True),
             "download": lambda: hf_hub_download("alice/secret", "config.json")}
    out = {}
    for name, call in calls.items():
        try:
            call()
            out[name] = "no error"
        except HfHubHTTPError as error:
            out[name] = [error.response.status_code, str(error).splitlines()[0]]
    print(json.dumps(out))
"""


def test_wrong_token_is_refused_with_401(fake_hub, tmp_path):
    fake_hub.add_repo("alice/secret", {"config.json": "{}"}, private=True)
    out = run_client(fake_hub, tmp_path, WRONG_TOKEN, HF_TOKEN="hf_wrong")
    assert out["whoami"][0] == 401 and out["whoami"][1].startswith("Invalid user token. The token from HF_TOKEN")
    assert out["create_repo"][0] == 401 and out["download"][0] == 401
    assert list(fake_hub.repos) == ["alice/secret"]
    assert {r["status"] for r in fake_hub.requests} == {401}


ANONYMOUS = """
    import json, sys
    from huggingface_hub import HfApi, hf_hub_download
    from huggingface_hub.errors import RepositoryNotFoundError, RemoteEntryNotFoundError
    url = sys.argv[1]
    out = {"public": open(hf_hub_download("alice/base", "config.json", endpoint=url, token=False)).read()}
    out["info"] = HfApi(endpoint=url, token=False).model_info("alice/base").sha
    for name, repo, filename in [("private", "alice/secret", "config.json"), ("missing", "alice/base", "nope.json")]:
        try:
            hf_hub_download(repo, filename, endpoint=url, token=False)
        except (RepositoryNotFoundError, RemoteEntryNotFoundError) as error:
            out[name] = [type(error).__name__, error.response.status_code]
    print(json.dumps(out))
"""


def test_anonymous_reads_through_endpoint_argument(fake_hub, tmp_path):
    base = fake_hub.add_repo("alice/base", {"config.json": '{"hidden_size": 8}'})
    fake_hub.add_repo("alice/secret", {"config.json": "{}"}, private=True)
    out = run_client(fake_hub, tmp_path, ANONYMOUS, fake_hub.url, HF_ENDPOINT=None, HF_TOKEN=None)
    assert out == {"public": '{"hidden_size": 8}', "info": base["commits"][-1]["oid"],
                   "private": ["RepositoryNotFoundError", 401], "missing": ["RemoteEntryNotFoundError", 404]}
    assert all(r["path"].startswith(("/alice/", "/api/models/alice/")) for r in fake_hub.requests)


def test_fixture_and_context_manager_are_independent(fake_hub):
    with FakeHub(token="other", user="bob") as other:
        assert other.url != fake_hub.url and other.whoami()["name"] == "bob"
    assert fake_hub.token == "hf_test_token" and fake_hub.user == "alice" and fake_hub.repos == {}
