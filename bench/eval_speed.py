"""Benchmark: the evaluator's shared-prefix batched generation against plain per-row `generate`.

    UV_FIND_LINKS=/opt/wheels uv run python bench/eval_speed.py [--rows 16] [--batch-size 64] [--model DIR]

Loads the real Gemma 3 270M weights (offline stand-in, dev/stand_in.py) or --model (e.g. a LoRA
adapter trained on them, which answers with short calls like a tuned FunctionGemma instead of
the base model's 32 tokens of prose), generates greedy answers
for the same rows both ways in one run, checks they are identical token for token, and prints
rows/s of each and the speed ratio. Rows come from the public merged dataset when it is present
(/work/shared/data/cycling-copilot-dataset-merged.csv), else from the bundled seeds.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "dev")]
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import _common  # noqa: E402
import _inference  # noqa: E402
import stand_in  # noqa: E402

PUBLIC_DATASET = Path("/work/shared/data/cycling-copilot-dataset-merged.csv")


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=16, help="rows to generate both ways (default 16)")
    parser.add_argument("--batch-size", type=int, default=64, help="fast path batch size (default 64, the evaluator's)")
    parser.add_argument("--dataset", default=str(PUBLIC_DATASET) if PUBLIC_DATASET.exists() else None)
    parser.add_argument("--model", help="model or adapter dir (default: the real Gemma 3 270M stand-in)")
    args = parser.parse_args()

    tools = _common.load_tools()
    examples, _ = _common.load_examples([args.dataset] if args.dataset else None, tools)
    messages = [example.message for example in _common.select_split(examples, "all", 0.1, 42, args.rows)]
    (model, tokenizer), load_seconds = timed(_inference.load_model, args.model or str(stand_in.real_gemma3_270m()))
    print(f"model loaded in {load_seconds:.1f}s; {len(messages)} rows from {args.dataset or 'bundled seeds'}")

    plain, plain_seconds = timed(_inference.generate_per_row, model, tokenizer, tools, messages)
    fast, fast_seconds = timed(_inference.generate_answers, model, tokenizer, tools, messages,
                               batch_size=args.batch_size)
    mismatches = [index for index, (a, b) in enumerate(zip(plain, fast)) if a != b]
    print(f"per-row generate : {plain_seconds:7.1f}s  {len(messages) / plain_seconds:6.2f} rows/s")
    print(f"fast evaluator   : {fast_seconds:7.1f}s  {len(messages) / fast_seconds:6.2f} rows/s "
          f"(batch size {args.batch_size}, shared prefix computed once)")
    print(f"speed ratio      : {plain_seconds / fast_seconds:.1f}x")
    if mismatches:
        index = mismatches[0]
        print(f"MISMATCH in {len(mismatches)} of {len(messages)} rows; first: {messages[index]!r}\n"
              f"  per-row: {plain[index]!r}\n  fast:    {fast[index]!r}")
        return 1
    print(f"predictions identical on all {len(messages)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
