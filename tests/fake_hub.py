"""A stand-in for the Hugging Face Hub: real HTTP on 127.0.0.1, the wire protocol huggingface_hub 2.x speaks.

Point the real client at it (`HF_ENDPOINT=hub.url` before import, or `HfApi(endpoint=hub.url)`) and
create_repo, whoami, upload_folder/upload_file/create_commit, model_info/repo_info, list_repo_files/
list_repo_tree and hf_hub_download work. Shapes follow hf_api.py, _commit_api.py, _upload_pipeline.py
and file_download.py. Preupload answers "regular" for every file, so uploads never touch LFS or Xet:
file contents arrive base64-encoded in the NDJSON commit. Pull requests and branches are not supported.

    with FakeHub(token="hf_test_token", user="alice") as hub:
        run_script("push.py", env=hub.env(tmp_path))
        hub.repos["alice/model"]  # {"private": True, "type": "model", "files": {path: bytes}, "commits": [...]}
        hub.requests              # [{"method", "path", "headers", "body", "status"}] in arrival order

The `fake_hub` fixture gives a running FakeHub(); a test module enables it with `from fake_hub import fake_hub_fixture`.
"""

import base64
import hashlib
import itertools
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

API_RE = re.compile(r"^/api/(models|datasets|spaces)/([^/]+/[^/]+)(?:/(revision|tree|preupload|commit)/([^/]+)(/.*)?)?$")
RESOLVE_RE = re.compile(r"^/(?:(datasets|spaces)/)?([^/]+/[^/]+)/resolve/([^/]+)/(.+)$")
DATE = "2026-01-01T00:00:00.000Z"
# What the real Hub commits first in every new repo, so listings look like the real thing.
GITATTRIBUTES = b"*.bin filter=lfs diff=lfs merge=lfs -text\n*.safetensors filter=lfs diff=lfs merge=lfs -text\n"
INVALID_TOKEN = "Invalid credentials in Authorization header"  # the real Hub's 401 message


def git_sha1(data: bytes) -> str:
    """The git blob id: the Hub's ETag and preupload oid, which the client compares to skip unchanged files."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class HubError(Exception):
    def __init__(self, status: int, message: str, code: str | None = None, headers: dict | None = None, **body):
        self.status, self.message, self.code, self.headers, self.body = status, message, code, headers or {}, body


class FakeHub:
    def __init__(self, token: str = "hf_test_token", user: str = "alice", orgs=()):
        self.token, self.user, self.orgs = token, user, list(orgs)
        self.repos = {}     # repo_id -> {"private", "type", "files": {path: bytes}, "commits": [{"oid", "message", "files"}]}
        self.requests = []  # {"method", "path", "headers" (lowercase, no authorization), "body", "status"}
        self.lock = threading.RLock()
        self.counter = itertools.count()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address
        return f"http://{host}:{port}"

    def env(self, home, token: str | None = None) -> dict:
        """Environment for a subprocess that should talk to this hub (conftest sets HF_HUB_OFFLINE=1: undo it)."""
        return {"HF_ENDPOINT": self.url, "HF_TOKEN": token or self.token, "HF_HOME": str(home),
                "HF_HUB_OFFLINE": "0", "HF_HUB_DISABLE_TELEMETRY": "1", "HF_HUB_DISABLE_PROGRESS_BARS": "1"}

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def add_repo(self, repo_id: str, files: dict | None = None, private: bool = False, kind: str = "model") -> dict:
        """Put a repo on the hub directly, e.g. one a script downloads from. Files: {path: bytes or str}."""
        with self.lock:
            self.repos[repo_id] = {"private": private, "type": kind, "files": {}, "commits": []}
            files = {path: data.encode() if isinstance(data, str) else data for path, data in (files or {}).items()}
            self.commit(repo_id, "initial commit", {".gitattributes": GITATTRIBUTES, **files})
            return self.repos[repo_id]

    def commit(self, repo_id: str, message: str, files: dict) -> str:
        repo = self.repos[repo_id]
        oid = hashlib.sha1(f"{repo_id}:{next(self.counter)}:{message}".encode()).hexdigest()
        repo["commits"].append({"oid": oid, "message": message, "files": files})
        repo["files"] = files
        return oid

    def repo_url(self, repo_id: str) -> str:
        prefix = {"model": "", "dataset": "datasets/", "space": "spaces/"}[self.repos[repo_id]["type"]]
        return f"{self.url}/{prefix}{repo_id}"

    def find_repo(self, kind: str, repo_id: str, authed: bool) -> dict:
        repo = self.repos.get(repo_id)
        if repo is None or repo["type"] != kind or (repo["private"] and not authed):
            # Like the real Hub: a private repo seen anonymously looks missing (401), else 404.
            raise HubError(404 if authed else 401, "Repository not found", "RepoNotFound")
        return repo

    def snapshot(self, repo: dict, revision: str) -> tuple[str, dict]:
        """The head of main, or an older commit by its full oid (the only branch is main)."""
        for commit in reversed(repo["commits"]):
            if revision in ("main", commit["oid"]):
                return commit["oid"], commit["files"]
        raise HubError(404, f"Invalid rev id: {revision}", "RevisionNotFound")

    def whoami(self):
        return {"type": "user", "id": "0" * 24, "name": self.user, "fullname": self.user.title(),
                "email": f"{self.user}@example.com", "emailVerified": True, "canPay": False, "isPro": False,
                "avatarUrl": "", "orgs": [{"type": "org", "name": org, "roleInOrg": "admin"} for org in self.orgs],
                "auth": {"type": "access_token",
                         "accessToken": {"displayName": "fake-hub", "role": "write", "createdAt": DATE}}}

    def create_repo(self, body: dict):
        kind, name = body.get("type") or "model", body["name"]
        namespace = body.get("organization") or self.user
        repo_id = f"{namespace}/{name}"
        if namespace not in (self.user, *self.orgs):
            raise HubError(403, f"You don't have the rights to create a {kind} under the namespace \"{namespace}\"")
        if repo_id in self.repos:  # create_repo(exist_ok=True) reads "url" from this 409 body
            raise HubError(409, f"You already created this {kind} repo", url=self.repo_url(repo_id))
        # 2.x sends "visibility"; older clients sent "private": accept both.
        self.add_repo(repo_id, private=body.get("visibility") == "private" or body.get("private") is True, kind=kind)
        return {"url": self.repo_url(repo_id), "name": repo_id, "id": "1" * 24}

    def repo_info(self, repo_id: str, repo: dict, revision: str, query: dict):
        oid, files = self.snapshot(repo, revision)
        blobs = query.get("blobs", [""])[0].lower() == "true"  # files_metadata=True
        return {"_id": "1" * 24, "id": repo_id, "author": repo_id.split("/")[0], "sha": oid, "private": repo["private"],
                "disabled": False, "gated": False, "lastModified": DATE, "createdAt": DATE, "downloads": 0,
                "likes": 0, "tags": [], "usedStorage": sum(map(len, files.values())),
                "siblings": [{"rfilename": path, **({"size": len(data), "blobId": git_sha1(data)} if blobs else {})}
                             for path, data in sorted(files.items())]}

    def tree(self, repo: dict, revision: str, path: str, query: dict):
        _, files = self.snapshot(repo, revision)
        recursive = query.get("recursive", [""])[0].lower() == "true"
        prefix = path.strip("/") + "/" if path.strip("/") else ""
        under = {p[len(prefix):]: data for p, data in files.items() if p.startswith(prefix)}
        if prefix and not under:
            raise HubError(404, f"{path} does not exist on \"{revision}\"", "EntryNotFound")
        entries = {}
        for rest, data in under.items():
            parts = rest.split("/")
            for depth in range(1, len(parts)):  # folders on the way, only the first level unless recursive
                if recursive or depth == 1:
                    folder = prefix + "/".join(parts[:depth])
                    entries[folder] = {"type": "directory", "oid": hashlib.sha1(folder.encode()).hexdigest(),
                                       "size": 0, "path": folder}
            if recursive or len(parts) == 1:
                entries[prefix + rest] = {"type": "file", "oid": git_sha1(data), "size": len(data), "path": prefix + rest}
        return [entries[key] for key in sorted(entries)]

    def preupload(self, repo: dict, revision: str, body: dict):
        oid, files = self.snapshot(repo, revision)
        # "regular" for every file keeps LFS/Xet out; the remote "oid" lets the client drop unchanged files.
        return {"commitOid": oid, "files": [
            {"path": f["path"], "uploadMode": "regular", "shouldIgnore": False,
             **({"oid": git_sha1(files[f["path"]])} if f["path"] in files else {})} for f in body["files"]]}

    def create_commit(self, repo_id: str, repo: dict, revision: str, lines: list, query: dict):
        if "create_pr" in query or revision != "main":
            raise HubError(400, "FakeHub supports commits to main only (no pull requests, no branches)")
        head, files = self.snapshot(repo, revision)
        files, header = dict(files), lines[0]["value"]
        if header.get("parentCommit") not in (None, head):
            raise HubError(412, "Parent commit is not the head of the branch")
        for line in lines[1:]:
            key, value = line["key"], line["value"]
            if key == "file":
                files[value["path"]] = base64.b64decode(value["content"])
            elif key == "deletedFile":
                if files.pop(value["path"], None) is None:  # the client looks for this message
                    raise HubError(404, "A file with this name doesn't exist", "EntryNotFound")
            elif key == "deletedFolder":
                files = {p: d for p, d in files.items() if not p.startswith(value["path"].rstrip("/") + "/")}
            else:
                raise HubError(400, f"FakeHub cannot apply {key} {value.get('path')} (it never asks for LFS)")
        oid = self.commit(repo_id, header["summary"], files)
        return {"success": True, "commitOid": oid, "commitUrl": f"{self.repo_url(repo_id)}/commit/{oid}",
                "hookOutput": "", "pullRequestUrl": None}

    def route(self, method: str, path: str, query: dict, body, authed: bool):
        """Returns (status, JSON payload) or (status, headers, raw bytes) for file downloads."""
        if (method, path) in (("GET", "/api/whoami-v2"), ("POST", "/api/repos/create")):
            if not authed:
                raise HubError(401, INVALID_TOKEN)
            return 200, self.whoami() if method == "GET" else self.create_repo(body)
        if (method, path) == ("POST", "/api/validate-yaml"):  # checked before any README.md is uploaded
            return 200, {"errors": [], "warnings": []}
        if match := API_RE.match(path):
            kinds, repo_id, action, revision, rest = match.groups()
            repo, revision = self.find_repo(kinds[:-1], repo_id, authed), unquote(revision or "main")
            if method == "GET" and action in (None, "revision"):
                return 200, self.repo_info(repo_id, repo, revision, query)
            if method == "GET" and action == "tree":
                return 200, self.tree(repo, revision, unquote(rest or ""), query)
            if method == "POST" and action in ("preupload", "commit"):
                if not authed:
                    raise HubError(401, INVALID_TOKEN)
                if action == "preupload":
                    return 200, self.preupload(repo, revision, body)
                return 200, self.create_commit(repo_id, repo, revision, body, query)
        if (match := RESOLVE_RE.match(path)) and method in ("GET", "HEAD"):
            kind, repo_id, revision, filename = match.groups()
            oid, files = self.snapshot(self.find_repo(kind[:-1] if kind else "model", repo_id, authed), unquote(revision))
            filename = unquote(filename)
            if filename not in files:  # the client caches "does not exist" under X-Repo-Commit
                raise HubError(404, "Entry not found", "EntryNotFound", {"X-Repo-Commit": oid})
            data = files[filename]
            return 200, {"Content-Type": "application/octet-stream", "ETag": f'"{git_sha1(data)}"',
                         "X-Repo-Commit": oid,  # no Accept-Ranges: Range is ignored, a resume gets the whole file
                         "Content-Disposition": f'inline; filename="{filename.rsplit("/", 1)[-1]}"'}, data
        raise HubError(404, f"FakeHub does not implement {method} {path}")

    def _handler(self):
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def reply(self, status: int, headers: dict, data: bytes, entry: dict):
                entry["status"] = status
                self.send_response(status)
                for key, value in {"Content-Length": str(len(data)), **headers}.items():
                    self.send_header(key, value)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            def handle_any(self):
                url, auth = urlsplit(self.path), self.headers.get("Authorization")
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                entry = {"method": self.command, "path": self.path, "body": None,
                         "headers": {k.lower(): v for k, v in self.headers.items() if k.lower() != "authorization"}}
                hub.requests.append(entry)
                try:
                    with hub.lock:  # one request at a time reads or changes the state
                        try:
                            body = parse_body(raw, self.headers.get("Content-Type") or "")
                            entry["body"] = summarize(body)
                            if auth is not None and auth != f"Bearer {hub.token}":
                                raise HubError(401, INVALID_TOKEN)
                            status, *result = hub.route(self.command, url.path, parse_qs(url.query), body, auth is not None)
                        except (KeyError, TypeError, ValueError, IndexError) as error:
                            # 400, not 500: the client retries 5xx with backoff, which would only slow a failing test.
                            raise HubError(400, f"FakeHub could not handle this request: {error!r}") from error
                except HubError as error:
                    headers = {"Content-Type": "application/json", "X-Error-Message": error.message,
                               **({"X-Error-Code": error.code} if error.code else {}), **error.headers}
                    result = [headers, json.dumps({"error": error.message, **error.body}).encode()]
                    status = error.status
                if len(result) == 1:  # JSON; files come as (headers, bytes)
                    result = [{"Content-Type": "application/json"}, json.dumps(result[0]).encode()]
                self.reply(status, *result, entry)

            do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = handle_any

        return Handler


def parse_body(raw: bytes, content_type: str):
    """JSON, or NDJSON (the commit endpoint: one JSON object a line), or None."""
    if "ndjson" in content_type:
        return [json.loads(line) for line in raw.splitlines() if line.strip()]
    return json.loads(raw) if raw else None


def summarize(body):
    """The logged body: file contents in a commit become their decoded size, so logs stay small."""
    if isinstance(body, list):
        return [{**item, "value": {**item["value"], "content": f"<{len(base64.b64decode(item['value']['content']))} bytes>"}}
                if isinstance(item, dict) and "content" in item.get("value", {}) else item for item in body]
    return body


@pytest.fixture(name="fake_hub")
def fake_hub_fixture():
    """A running FakeHub (token "hf_test_token", user "alice"). Use: `from fake_hub import fake_hub_fixture`."""
    with FakeHub() as hub:
        yield hub
