"""Benchmark: exported `.litertlm` files on LiteRT-LM's CPU backend, configurations side by side.

    uv run python bench/device_latency.py --model runs/cycling [--rows 20] [--agreement-rows 110] \
        [--quantize dynamic_int8 weight_only_int8 fp16] [--prefill-seq-len 256 128] [--threads 2]

Exports --model once per configuration with export_litertlm.py (files are kept in --work-dir
and reused by later runs): each --quantize recipe at the first --prefill-seq-len, and the first
recipe at each other --prefill-seq-len. PyTorch answers the held-out rows first (unconstrained
and `--constrained calls`), as the reference. Then each configuration runs in its own processes
(`export_litertlm.measure_on_device`: a first start that builds the XNNPACK weight cache in a
temporary directory, then the requests, so peak RSS is LiteRT-LM's alone), on the bundled tools
and, for each --prefill-seq-len, on `bench/cycling-copilot-tools-long.json` (the same tools with
descriptions about twice as long: 687 shared prompt tokens instead of 548).

Printed: per configuration the file size, call agreement with PyTorch (unconstrained, and
constrained on both sides) and accuracy on the first --agreement-rows held-out rows (quantization
recipes; --rows for the other configurations), then time to the first token and to the complete
call per request (median, p90) for a fresh conversation, for a session that keeps the developer
turn prefilled, and constrained; prefill and decode tokens/s; peak RSS. Everything measured is
written to --work-dir/results.json. Rows are the ones evaluation scores: a training output's own
heldout.csv, else the held-out split of --dataset (default: the public dataset beside the checkout
plus the bundled seeds).
"""

import argparse
import gc
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "dev")]
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import _constrained  # noqa: E402
import _data  # noqa: E402
import _heldout  # noqa: E402
import _inference  # noqa: E402
import export_litertlm  # noqa: E402
import stand_in  # noqa: E402

LONG_TOOLS = ROOT / "bench" / "cycling-copilot-tools-long.json"


def configurations(quantizations: list[str], prefill_lengths: list[int]) -> list[tuple[str, int]]:
    """One factor at a time around (first recipe, first prefill length)."""
    return ([(recipe, prefill_lengths[0]) for recipe in quantizations]
            + [(quantizations[0], length) for length in prefill_lengths[1:]])


def export(model: str, recipe: str, prefill: int, work_dir: Path) -> str:
    """The exported file of this configuration, converted now unless an earlier run left it."""
    folder = work_dir / f"{recipe}-prefill{prefill}"
    existing = sorted(folder.glob("*.litertlm")) if folder.exists() else []
    if existing:
        return str(existing[0])
    print(f"exporting {recipe}, prefill {prefill} (a few minutes)", file=sys.stderr, flush=True)
    folder.mkdir(parents=True, exist_ok=True)
    result = subprocess.run([sys.executable, str(ROOT / "export_litertlm.py"), "--model", model,
                             "--output-dir", str(folder), "--quantize", recipe, "--prefill-seq-len", str(prefill),
                             "--verify", "0", "--json", str(folder / "export.json")], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"export {recipe}/{prefill} failed:\n{result.stderr[-3000:]}")
    return json.loads((folder / "export.json").read_text())["file"]


def pytorch_answers(model: str, tools: list[dict], messages: list[str]) -> dict[str, list[str]]:
    loaded, tokenizer = _inference.load_model(model)
    answers = {mode: _inference.generate_answers(loaded, tokenizer, tools, messages,
                                                 policy=_constrained.constrained_policy(loaded, tokenizer, tools, mode))
               for mode in ("none", "calls")}
    del loaded
    gc.collect()
    return answers


def percent(value) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def print_tables(rows: list[dict]) -> None:
    print("\nquality (calls agree with PyTorch; accuracy LiteRT-LM / PyTorch):")
    print(f"  {'configuration':48}{'MB':>6}{'shared tok':>11}{'rows':>6}{'agree':>8}{'acc LiteRT':>11}"
          f"{'acc torch':>10}{'agree constr.':>14}{'acc constr.':>12}")
    for row in rows:
        quality = row.get("quality") or {}
        constrained = quality.get("constrained") or {}
        print(f"  {row['label']:48}{row['file_bytes'] / 1e6:>6.0f}{row['shared_tokens']:>11}"
              f"{quality.get('rows', '-'):>6}{percent(quality.get('agreement')):>8}"
              f"{percent(quality.get('litertlm_accuracy')):>11}{percent(quality.get('pytorch_accuracy')):>10}"
              f"{percent(constrained.get('agreement')):>14}{percent(constrained.get('litertlm_accuracy')):>12}")
    print("\nlatency per request on this CPU (median / p90 seconds; tokens/s are medians):")
    print(f"  {'configuration':48}{'first token':>13}{'complete':>13}{'reused: 1st':>13}{'reused: all':>13}"
          f"{'constrained':>13}{'prefill/s':>10}{'decode/s':>9}{'RSS MB':>8}")
    for row in rows:
        bench = row["benchmark"]

        def cell(way: str, measure: str) -> str:
            values = bench.get(way, {}).get(measure)
            return f"{values['median']:.2f}/{values['p90']:.2f}" if values else "-"
        print(f"  {row['label']:48}{cell('fresh', 'first_token_seconds'):>13}{cell('fresh', 'seconds'):>13}"
              f"{cell('reuse', 'first_token_seconds'):>13}{cell('reuse', 'seconds'):>13}"
              f"{cell('constrained', 'seconds'):>13}{bench['fresh']['prefill_per_second']['median']:>10.0f}"
              f"{bench['fresh']['decode_per_second']['median']:>9.1f}{bench['peak_rss_bytes'] / 1e6:>8.0f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, help="tuned adapter or full model to export")
    parser.add_argument("--dataset", action="append",
                        help="held-out rows come from these (default: public dataset + bundled seeds)")
    parser.add_argument("--rows", type=int, default=20, help="requests timed per configuration (default 20)")
    parser.add_argument("--agreement-rows", type=int, default=110,
                        help="held-out rows for the quantization recipes' agreement (default 110)")
    parser.add_argument("--quantize", nargs="+", default=["dynamic_int8", "weight_only_int8", "fp16"])
    parser.add_argument("--prefill-seq-len", nargs="+", type=int, default=[256, 128])
    parser.add_argument("--threads", type=int, help="LiteRT-LM CPU threads (default: its own)")
    parser.add_argument("--work-dir", default=str(stand_in.CACHE / "device-bench"),
                        help="exports and results.json (default: %(default)s)")
    args = parser.parse_args()

    # The rows evaluation would score: the model's own heldout.csv, or the split of --dataset
    # (default public + seeds, as the tuned stand-in was trained) with no rows it trained on.
    trained = _heldout.read_trained_split(args.model)
    datasets = args.dataset or (None if trained else
                                ([str(stand_in.PUBLIC_DATASET)] if stand_in.PUBLIC_DATASET.exists() else [])
                                + [_data.BUNDLED])
    tools, _ = _heldout.choose_tools(None, trained)
    long_tools = _data.load_tools(str(LONG_TOOLS))
    selection = _heldout.choose_rows(trained, tools, datasets, "test", None, None, False,
                                     max(args.rows, args.agreement_rows), allow_train_rows=False)
    held_out = selection.rows
    print(f"rows: {selection.held_out_source}", file=sys.stderr, flush=True)
    messages = [example.message for example in held_out]
    print(f"{len(held_out)} held-out rows; PyTorch reference answers first", file=sys.stderr, flush=True)
    reference = pytorch_answers(args.model, tools, messages)
    work_dir = Path(args.work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    from transformers import AutoTokenizer
    tokenizer = AutoTokenizer.from_pretrained(stand_in.functiongemma_tokenizer())

    def shared_tokens(declared: list[dict]) -> int:
        return _inference.shared_prefix_length(_inference.prompt_ids(tokenizer, declared, ["speed?", "water?"]))

    plans = []
    for recipe, prefill in configurations(args.quantize, args.prefill_seq_len):
        count = args.agreement_rows if prefill == args.prefill_seq_len[0] else args.rows
        plans.append((recipe, prefill, "bundled tools", tools, count))
        if recipe == args.quantize[0]:
            plans.append((recipe, prefill, "long descriptions", long_tools, args.rows))
    rows = []
    for recipe, prefill, tools_label, declared, count in plans:
        path = export(args.model, recipe, prefill, work_dir)
        label = f"{recipe}, prefill {prefill}, {tools_label}"
        print(f"measuring {label} ({count} rows)", file=sys.stderr, flush=True)
        measured = export_litertlm.measure_on_device(
            path, declared, messages[:count], 32, _constrained.call_regex(declared, "calls"), args.threads,
            reuse_rows=args.rows)
        row = {"label": label, "quantize": recipe, "prefill_seq_len": prefill, "tools": tools_label,
               "file_bytes": measured["file_bytes"], "shared_tokens": shared_tokens(declared),
               "benchmark": export_litertlm.latency_summary(measured, declared)}
        if declared is tools:  # PyTorch answered with the bundled tools
            quality = export_litertlm.compare(held_out[:count], measured["fresh"]["answers"],
                                              reference["none"][:count], tools)
            quality["constrained"] = export_litertlm.compare(held_out[:count], measured["constrained"]["answers"],
                                                             reference["calls"][:count], tools)
            row["quality"] = quality
        rows.append(row)
        (work_dir / "results.json").write_text(json.dumps(rows, indent=2, ensure_ascii=False))
    print_tables(rows)
    print(f"\nwrote {work_dir / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
