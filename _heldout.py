"""A trained model's directory is the source of truth for its data: what training records there,
and how evaluation and export choose the rows they score from it.

Single source: scripts carry a copy between `# --- begin _heldout.py` / `# --- end _heldout.py`
marker lines; edit this file, then run `python dev/sync_vendored.py`. Standard library only
(`huggingface_hub` is imported only to read a model on the Hub).

Training writes into its output directory (and so into its Hub repo):

    tools.json                                the tools it trained with
    train.csv, validation.csv, heldout.csv    the rows of each part (dataset format + a source column)
    split.json                                the record below

split.json (schema 1):

    {"schema": 1,
     "sources": [{"name": "data.csv (sha256 0123456789ab)", "kind": "file", "rows": 942, "sha256": "..."}],
     "seed": 42, "test_fraction": 0.1, "resplit": false, "max_examples": null,
     "heldout_from": "how the held-out rows were chosen (one sentence)",
     "tools_sha256": "sha256 of tools.json",
     "parts": {"train":      {"file": "train.csv", "rows": 780, "sha256": "...", "suspect": 25},
               "validation": {"file": "validation.csv", ...},
               "heldout":    {"file": "heldout.csv", ...}}}

A source's sha256 is `_data.describe_source`'s (its rows as read); a part's is `examples_sha256`
(order-free over the rows' messages and calls), so an edited row file is detected. A Hub repo
pushed without its row files (training without --push-data) is read from the datasets it was
trained on instead: given again as --dataset, they are proven to be those by the sources' hashes,
and their split by the held-out part's.
"""

import hashlib
import json
import os
import sys
from dataclasses import dataclass, field

from _cli import DataError, hf_token
from _renderings import meaning_key
from _data import (BUNDLED, Example, tool_calls_json, check_dataset, count_suspect, load_examples, load_tools, normalise_message,
                   parse_json, parse_tools, read_csv_rows, read_text, select_split, sources_with_test_split, split_examples,
                   write_examples_csv)

SPLIT_FILE, TOOLS_FILE = "split.json", "tools.json"
PART_FILES = {"train": "train.csv", "validation": "validation.csv", "heldout": "heldout.csv"}
SCHEMA = 1


def examples_sha256(examples: list[Example]) -> str:
    """sha256 of a set of rows: independent of their order."""
    lines = sorted(json.dumps([example.message, tool_calls_json(example.call)], ensure_ascii=False) for example in examples)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def split_description(sources: list[dict], examples: list[Example], test_fraction: float, seed: int,
                      resplit: bool) -> str:
    """How `_data.split_examples` chooses the test rows of these sources, in words."""
    own = [] if resplit else sources_with_test_split(examples)
    others = [source["name"] for source in sources if source["name"] not in own]
    parts = [f"the own test split of {', '.join(own)}"] if own else []
    if others:
        parts.append(f"a split of {' + '.join(others)} by seed {seed}, test fraction {test_fraction}")
    return " and ".join(parts)


# ----------------------------------------------------------------------------- training writes


def save_split(directory: str, tools: list[dict], sources: list[dict], parts: dict[str, list[Example]],
               seed: int, test_fraction: float, resplit: bool, max_examples: int | None) -> dict:
    """Write the row files, tools.json and split.json into a training output dir; returns the record."""
    os.makedirs(directory, exist_ok=True)
    tools_text = json.dumps(tools, indent=2, ensure_ascii=False) + "\n"
    with open(os.path.join(directory, TOOLS_FILE), "w", encoding="utf-8") as handle:
        handle.write(tools_text)
    record_parts = {}
    for name, rows in parts.items():
        write_examples_csv(os.path.join(directory, PART_FILES[name]), rows, with_source=True)
        record_parts[name] = {"file": PART_FILES[name], "rows": len(rows), "sha256": examples_sha256(rows),
                              "suspect": count_suspect(rows, tools)}
    everything = [example for rows in parts.values() for example in rows]
    record = {"schema": SCHEMA, "sources": sources, "seed": seed, "test_fraction": test_fraction,
              "resplit": resplit, "max_examples": max_examples,
              "heldout_from": split_description(sources, everything, test_fraction, seed, resplit),
              "tools_sha256": hashlib.sha256(tools_text.encode()).hexdigest(), "parts": record_parts}
    with open(os.path.join(directory, SPLIT_FILE), "w", encoding="utf-8") as handle:
        json.dump(record, handle, indent=2, ensure_ascii=False)
    return record


# ----------------------------------------------------------------------------- evaluation and export read


@dataclass
class TrainedSplit:
    """What a training output (local dir or Hub repo) recorded about its data."""
    model: str
    record: dict
    tools: list[dict]
    parts: dict = field(default_factory=dict)  # part name -> list of Example, checked against the record
    rebuilt: bool = False  # the parts come from the training datasets, not from row files

    @property
    def training_messages(self) -> set[str]:
        """Normalised messages of every row the model was trained on (train + validation)."""
        return {normalise_message(example.message) for name in ("train", "validation")
                for example in self.parts[name]}

    @property
    def training_meanings(self) -> set[str]:
        """`_renderings.meaning_key` of every row the model was trained on: training saw each of
        them in several renderings, so a row with the same key is one it saw."""
        return {meaning_key(example.message) for name in ("train", "validation") for example in self.parts[name]}


def model_file(model: str, name: str, required: bool = True) -> str | None:
    """Local path of a file of a model dir or Hub model repo; None when it has no such file."""
    if os.path.isdir(model):
        path = os.path.join(model, name)
        if os.path.exists(path):
            return path
        if required:
            raise DataError(f"{model} has {SPLIT_FILE} but no {name}: an incomplete training output")
        return None
    try:
        from huggingface_hub import hf_hub_download
        from huggingface_hub.errors import EntryNotFoundError
    except ImportError:
        return None
    try:
        return hf_hub_download(model, name, token=hf_token())
    except EntryNotFoundError:
        if required:
            raise DataError(f"{model} has {SPLIT_FILE} but no {name}: an incomplete training output") from None
        return None
    except Exception as error:  # no such repo, no network: loading the model says so clearly
        if required:
            raise DataError(f"{model}: cannot download {name} ({type(error).__name__})") from None
        return None


def read_trained_split(model: str) -> TrainedSplit | None:
    """The training record of `model`, its tools and its row files; None for a model without one
    (a base model, a fine-tune from elsewhere)."""
    path = model_file(model, SPLIT_FILE, required=False)
    if path is None:
        return None
    record = parse_json(read_text(path), f"{model}/{SPLIT_FILE}")
    if not isinstance(record, dict) or record.get("schema") != SCHEMA:
        raise DataError(f"{model}/{SPLIT_FILE}: not a schema {SCHEMA} training record")
    tools_text = read_text(model_file(model, TOOLS_FILE))
    if hashlib.sha256(tools_text.encode()).hexdigest() != record["tools_sha256"]:
        raise DataError(f"{model}/{TOOLS_FILE} does not match {SPLIT_FILE} (sha256 differs): edited after training")
    tools = parse_tools(tools_text, f"{model}/{TOOLS_FILE}")
    trained = TrainedSplit(model, record, tools)
    for name, part in record["parts"].items():
        label = f"{model}/{part['file']}"
        path = model_file(model, part["file"], required=os.path.isdir(model))
        if path is None:  # pushed without --push-data: choose_rows rebuilds the parts from --dataset
            trained.parts = {}
            break
        report = check_dataset(read_csv_rows(read_text(path), label), tools)
        if report.errors:
            raise DataError(f"{report.errors[0]}")
        if examples_sha256(report.examples) != part["sha256"]:
            raise DataError(f"{label} does not match {SPLIT_FILE} (sha256 differs): the rows were edited after "
                            "training, so they no longer say what the model saw")
        trained.parts[name] = report.examples
    return trained


def choose_tools(source: str | None, trained: TrainedSplit | None) -> tuple[list[dict], str]:
    """--tools when given, else the tools the model was trained with, else the bundled ones."""
    if source:
        tools = load_tools(source)
        if trained and tools != trained.tools:
            print(f"warning: --tools {source} differs from the tools {trained.model} was trained with "
                  f"({TOOLS_FILE})", file=sys.stderr)
        return tools, source
    if trained:
        return trained.tools, f"{trained.model} {TOOLS_FILE}"
    return load_tools(None), BUNDLED


@dataclass
class Selection:
    """The rows to score and why they are held out."""
    rows: list[Example]
    held_out_source: str
    sources: list[dict]  # the datasets they come from (`_data.describe_source`)
    training_overlap: int = 0  # rows among the model's training rows (scored only when allowed)

    def to_json(self) -> dict:
        return {"held_out_source": self.held_out_source, "sources": self.sources, "scored_rows": len(self.rows),
                "scored_rows_sha256": examples_sha256(self.rows), "training_overlap": self.training_overlap}


def choose_rows(trained: TrainedSplit | None, tools: list[dict], datasets: list[str] | None, split: str,
                test_fraction: float | None, seed: int | None, resplit: bool, limit: int | None,
                allow_train_rows: bool) -> Selection:
    """The rows evaluation and export score.

    A training output without --dataset: its own held-out rows (heldout.csv; --split train: its
    training rows). With --dataset (or a model without a record): the split of those datasets,
    with the model's seed and test fraction unless given. Rows the model was trained on are
    refused (DataError naming how many) unless `allow_train_rows`. A record without row files
    takes its parts from --dataset, which must be exactly the datasets it was trained on."""
    if trained and not trained.parts:
        rebuild_parts(trained, tools, datasets)
        datasets = None  # they are the training datasets: score the rebuilt parts like row files
    if trained and not datasets:
        sources = trained.record["sources"]
        parts = trained.parts
        rows = {"test": parts["heldout"], "train": parts["train"] + parts["validation"],
                "all": parts["heldout"] + parts["train"] + parts["validation"]}[split]
        heldout = trained.record["parts"]["heldout"]
        if trained.rebuilt:
            origin = (f"{trained.model}'s held-out rows rebuilt from its training datasets (no row files in the "
                      "repo; the sources and the held-out rows match split.json's sha256)")
            others = f"{trained.model} rows outside its held-out split, rebuilt from its training datasets"
        else:
            origin = f"{trained.model} heldout.csv: the rows its training held out"
            others = f"{trained.model} {split} rows from its row files"
        source = (f"{origin} ({trained.record['heldout_from']}; sha256 {heldout['sha256'][:12]})" if split == "test"
                  else f"{others} (--split {split})")
    else:
        recorded = trained.record if trained else {}
        seed = seed if seed is not None else recorded.get("seed", 42)
        test_fraction = test_fraction if test_fraction is not None else recorded.get("test_fraction", 0.1)
        resplit = resplit or recorded.get("resplit", False)
        examples, report = load_examples(datasets, tools)
        rows = select_split(examples, tools, split, test_fraction, seed, resplit=resplit)
        sources = report.sources
        source = (f"the {split} part of {split_description(report.sources, examples, test_fraction, seed, resplit)}"
                  + ("" if trained else " (no training record with the model: the split training makes "
                                        "of the same --dataset, --seed and --test-split)"))
    rows = rows[:limit] if limit else rows
    if not rows:
        raise DataError(f"the {split} split is empty ({source}); use --split all or more data")
    overlap = check_overlap(rows, trained, allow_train_rows)
    if trained:
        source += (f"; {overlap} of them training rows (--allow-train-rows)" if overlap
                   else f"; none among its {len(trained.training_messages)} training rows")
    return Selection(rows, source, sources, overlap)


def rebuild_parts(trained: TrainedSplit, tools: list[dict], datasets: list[str] | None) -> None:
    """The parts of a record whose row files were not uploaded, from the datasets it was trained on.

    Those datasets must hash to its sources, and their split (its seed, test fraction, resplit)
    to its held-out part; DataError otherwise. Every row outside the held-out part counts as a
    training row (a --max-examples run trained on fewer): the overlap check stays on the safe side."""
    record = trained.record
    names = " + ".join(source["name"] for source in record["sources"])
    missing = f"{trained.model} has no row files (pushed without --push-data)"
    if not datasets and any(source["kind"] != "bundled" for source in record["sources"]):
        raise DataError(f"{missing}: pass the --dataset flags it was trained on ({names}) to rebuild its held-out rows")
    examples, report = load_examples(datasets, tools)
    if sorted(source["sha256"] for source in report.sources) != sorted(source["sha256"] for source in record["sources"]):
        given = " + ".join(source["name"] for source in report.sources)
        raise DataError(f"{missing}, and --dataset {given} are not the datasets it was trained on ({names}; "
                        "sha256 differs): pass exactly those to rebuild its held-out rows")
    train, heldout = split_examples(examples, tools, record["test_fraction"], record["seed"], record["resplit"])
    if examples_sha256(heldout) != record["parts"]["heldout"]["sha256"]:
        raise DataError(f"{missing}: its datasets split into other held-out rows than {SPLIT_FILE} records "
                        "(sha256 differs): a different version of this toolkit's split")
    trained.parts = {"train": train, "validation": [], "heldout": heldout}
    trained.rebuilt = True


def check_overlap(rows: list[Example], trained: TrainedSplit | None, allow_train_rows: bool) -> int:
    """How many `rows` the model was trained on: a training row or a rendering of one (the same
    `_renderings.meaning_key`: case, punctuation, a filler in front, numbers as words or digits);
    DataError unless allowed."""
    if trained is None:
        return 0
    trained_on = trained.training_meanings
    overlap = [row for row in rows if meaning_key(row.message) in trained_on]
    if overlap and not allow_train_rows:
        raise DataError(f"{len(overlap)} of the {len(rows)} rows to score were training rows of {trained.model} "
                        f"or renderings of one (first: {overlap[0].origin}); score its held-out rows (no --dataset) "
                        "or pass --allow-train-rows")
    return len(overlap)
