"""The command line every script shares: one parser, the shared flags, one-line errors, exit codes,
JSON reports, installed versions, the Hub token and the one Hub upload.

Single source: scripts carry a copy between `# --- begin _cli.py` / `# --- end _cli.py` marker
lines; edit this file, then run `python dev/sync_vendored.py`. Standard library only.
"""

import argparse
import json
import operator
import os
import re
import sys

EXIT_CODES = {0: "done", 2: "bad usage or unreadable input (one line on stderr)", 130: "interrupted (Ctrl-C)"}
# Said above every `hf jobs uv run` line: what a Job writes to its own disk is gone when it ends.
JOB_NOTE = "In a Hugging Face Job (cloud hardware; its disk vanishes when it ends):"


class DataError(ValueError):
    """Bad user input (tools file, dataset, flags). Scripts print it as one line and exit 2."""


class OneLineParser(argparse.ArgumentParser):
    """Flag errors become a DataError: one line on stderr, exit 2, no usage dump."""

    def error(self, message):
        raise DataError(f"{message} (see --help)")


def script_parser(script: str, doc: str, *, exit_codes: dict[int, str], job: str) -> OneLineParser:
    """The parser every script starts from. --help shows the docstring's first paragraph, then
    the rest of it, the exit codes and a ready `hf jobs uv run` line (`job`: its flags and
    arguments, e.g. "--flavor t4-small --secrets HF_TOKEN -- --dataset USER/DATA")."""
    summary, _, details = doc.strip().partition("\n\n")
    codes = dict(sorted({**EXIT_CODES, **exit_codes}.items()))
    job_flags, _, job_arguments = job.partition("-- ")
    epilog = "\n".join([
        details.rstrip(), "",
        "Exit codes:", *(f"  {code:<4} {meaning}" for code, meaning in codes.items()), "",
        JOB_NOTE, f"  hf jobs uv run {job_flags}{script} -- {job_arguments}",
    ])
    # allow_abbrev=False: an abbreviation could silently mean another flag (--seed for --seeds)
    return OneLineParser(prog=script, description=summary, epilog=epilog, allow_abbrev=False,
                         formatter_class=argparse.RawDescriptionHelpFormatter)


def output_file(path: str) -> str:
    """argparse type of a file a script writes: its folder must exist, so a long run never fails at the end."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise argparse.ArgumentTypeError(f"{path} is a folder, expected a file name")
    if not os.path.isdir(folder):
        raise argparse.ArgumentTypeError(f"{path}: the folder {folder} does not exist")
    return path


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid int value: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def add_tools_argument(group) -> None:
    group.add_argument("--tools", metavar="JSON", help="tools JSON file or https URL (default: bundled cycling-copilot tools)")


def add_data_arguments(parser, *, max_examples: str | None = None, split: bool = False, from_model: bool = False,
                       resplit: bool = True):
    """The data flags every script spells and means the same way; returns the group for more.

    --seed and --test-split select the shared held-out split, identical in every script given
    the same datasets; `max_examples` is the help of --max-examples (None: no such flag); `split`
    adds --split (which side of that split to use); `from_model` is for scripts reading a trained
    model (evaluate, export): the data, tools, seed and test fraction default to the model's
    training record, and --allow-train-rows is offered; `resplit` adds --resplit."""
    model_default = "the model's {}, else " if from_model else ""
    group = parser.add_argument_group("data")
    group.add_argument("--dataset", action="append", metavar="CSV_OR_HUB_ID",
                       help="CSV path, CSV URL or Hub dataset id; repeat to merge "
                            f"(default: {model_default.format('heldout.csv')}bundled seeds)")
    group.add_argument("--tools", metavar="JSON", help="tools JSON file or https URL "
                       f"(default: {model_default.format('tools.json')}bundled cycling-copilot tools)")
    if split:
        group.add_argument("--split", choices=("test", "train", "all"), default="test",
                           help="rows to use (default test: the held-out split training never sees)")
    group.add_argument("--test-split", type=float, default=None if from_model else 0.1, metavar="FRACTION",
                       help="held-out fraction of the shared split, the same in every script "
                            f"(default {model_default.format('one')}0.1)")
    group.add_argument("--seed", type=int, default=None if from_model else 42, metavar="N",
                       help="seed of the shared held-out split, the same in every script "
                            f"(default {model_default.format('one')}42)")
    if resplit:
        group.add_argument("--resplit", action="store_true",
                           help="split a Hub dataset that has its own test split by --seed/--test-split instead")
    if from_model:
        group.add_argument("--allow-train-rows", action="store_true",
                           help="use --dataset rows even if the model was trained on them")
    if max_examples:
        group.add_argument("--max-examples", type=positive_int, metavar="N", help=max_examples)
    return group


def add_json_argument(parser, what: str) -> None:
    parser.add_argument("--json", type=output_file, metavar="PATH", help=f"write {what} as JSON to this file")


def add_public_argument(parser) -> None:
    parser.add_argument("--public", action="store_true",
                        help="push to a public Hub repo (default: a new repo is private, an existing public one is refused)")


def write_json_report(path: str, data) -> None:
    """Every JSON file the scripts write (the --json reports, training's config and metrics):
    indented UTF-8; an unwritable path is one line."""
    try:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, ensure_ascii=False)
            handle.write("\n")
    except OSError as error:
        raise DataError(f"{path}: cannot write ({error.strerror or error})") from None


def require_package(module: str, flag: str, script: str) -> None:
    """An optional dependency, checked when its flag is given (not at the end of a long run)."""
    try:
        __import__(module)
    except ImportError:
        raise DataError(f"{flag} needs the {module} package: uv run --with {module} {script} ...") from None


def percent(value: float | None) -> str:
    """A rate as a percentage; "n/a" when it was not measured (e.g. no rows of that kind)."""
    return "n/a" if value is None else f"{100 * value:.1f}%"


def run_main(main, argv=None) -> int:
    """Run `main(argv)`: DataError becomes one line on stderr and exit code 2.

    argv=None reads sys.argv, except in a notebook kernel, whose argv belongs to the kernel;
    there the code is returned instead of exiting the kernel."""
    in_notebook = "ipykernel" in sys.modules
    if argv is None:
        argv = [] if in_notebook else sys.argv[1:]
    try:
        code = main(argv) or 0
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        code = 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        code = 130
    if in_notebook:
        return code
    sys.exit(code)


# Two-character operators first: ">=" must not be read as ">".
_COMPARISONS = {">=": operator.ge, "<=": operator.le, "==": operator.eq, "!=": operator.ne,
                ">": operator.gt, "<": operator.lt}


def release(version: str) -> tuple[int, ...]:
    """The numeric release of a version string: "5.24.0.dev0" and "2.13.0+cpu" give (5, 24, 0) and
    (2, 13, 0). Pre-release and local tags are ignored, so a development build counts as its release."""
    match = re.match(r"\d+(\.\d+)*", version.strip())
    if not match:
        raise ValueError(f"not a version: {version!r}")
    return tuple(int(part) for part in match.group().split("."))


def version_allowed(installed: str, specifier: str) -> bool:
    """Whether `installed` satisfies a PEP 440-style specifier such as ">=0.10,<0.11" ("" allows any)."""
    have = release(installed)
    for clause in filter(None, (part.strip() for part in specifier.split(","))):
        symbol = next((symbol for symbol in _COMPARISONS if clause.startswith(symbol)), None)
        if symbol is None:
            raise ValueError(f"unsupported version specifier {clause!r}")
        want = release(clause[len(symbol):])
        width = max(len(have), len(want))  # 5.24 == 5.24.0
        if not _COMPARISONS[symbol](have + (0,) * (width - len(have)), want + (0,) * (width - len(want))):
            return False
    return True


def require(requirements: dict[str, str]) -> None:
    """Stop with one line unless every distribution is installed in a version its specifier allows.

    `uv run` installs what a script's PEP 723 header declares; a script pasted into a notebook
    or run by another environment's python gets whatever is there, and an older library can
    fail deep inside or, worse, silently compute something else. Each script calls this first
    with its header's requirements ({"transformers": ">=5.24", ...})."""
    from importlib.metadata import PackageNotFoundError, version

    problems, needed = [], []
    for name, specifier in requirements.items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = None
        if installed is None or not version_allowed(installed, specifier):
            problems.append(f"{name} {installed} is installed" if installed else f"{name} is not installed")
            needed.append(f"{name}{specifier}")
    if problems:
        raise DataError(f"{', '.join(problems)}; this script needs {', '.join(needed)}: "
                        "pip install -U " + " ".join(f"'{item}'" for item in needed))


def hf_token() -> str | None:
    """HF_TOKEN from the environment or the cached `hf auth login`; never printed."""
    token = os.environ.get("HF_TOKEN")
    if token:
        return token
    try:
        from huggingface_hub import get_token
    except ImportError:
        return None
    return get_token()


def _one_line(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0] if lines else ''}"


def read_local_bytes(path: str) -> bytes:
    """A local file's bytes; missing or unreadable is one line."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise DataError(f"{path}: cannot read ({error.strerror or error})") from None


def check_push_target(repo: str, *, repo_type: str = "model", private: bool = True) -> bool:
    """Before a long run: a token, and a repo that is new, or private, or public with --public.
    Returns whether it exists; one line otherwise."""
    from huggingface_hub import HfApi
    from huggingface_hub.errors import RepositoryNotFoundError
    token = hf_token()
    if not token:
        raise DataError(f"pushing to {repo} needs a Hugging Face token (HF_TOKEN or `hf auth login`)")
    try:
        info = HfApi(token=token).repo_info(repo, repo_type=repo_type)
    except RepositoryNotFoundError:
        return False
    except Exception as error:  # network, auth: before any work is done
        raise DataError(f"cannot check the Hub repo {repo} ({_one_line(error)})") from None
    if private and not info.private:
        raise DataError(f"{repo} is a public repo: pass --public to push to it, or make it private first")
    return True


def push_to_hub(files: dict, repo: str, message: str, *, repo_type: str = "model", private: bool = True,
                replace: str | None = None) -> str:
    """Upload exactly `files` (path in the repo -> local file path or bytes) to `repo` in one commit.

    The one Hub upload of the toolkit: a missing repo is created private unless private=False,
    an existing public repo is refused unless private=False, the files under `replace` (a folder of
    the repo) that `files` does not list are deleted in the same commit, and a file holding the
    token is never sent. Any failure is one line."""
    from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi
    token = hf_token()
    for path_in_repo, source in files.items():
        if token and token.encode() in (source if isinstance(source, bytes) else read_local_bytes(source)):
            raise DataError(f"refusing to upload {path_in_repo}: it contains the Hugging Face token")
    api = HfApi(token=token)
    try:
        url = api.create_repo(repo, repo_type=repo_type, private=private, exist_ok=True)
        check_push_target(repo, repo_type=repo_type, private=private)
        stale = [path for path in (api.list_repo_files(repo, repo_type=repo_type) if replace else [])
                 if path.startswith(replace.rstrip("/") + "/") and path not in files]
        operations = [CommitOperationDelete(path) for path in stale]
        operations += [CommitOperationAdd(path, source) for path, source in files.items()]
        api.create_commit(repo, operations, commit_message=message, repo_type=repo_type)
    except DataError:
        raise
    except Exception as error:  # network, auth, quota: one line, the local copy stays
        raise DataError(f"push to {repo} failed ({_one_line(error)})") from None
    print(f"pushed {len(files)} file(s) to {url}", file=sys.stderr)
    return str(url)
