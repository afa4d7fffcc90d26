"""Benchmark: the evaluator's shared-prefix batched generation against plain per-row `generate`,
and constrained decoding (`--constrained calls` / `calls_or_text`) against unconstrained.

    uv run python bench/eval_speed.py [--rows 16] [--batch-size 64] [--model DIR] [--dtype bfloat16] [--no-per-row]

Loads the real Gemma 3 270M weights (offline stand-in, dev/stand_in.py) or --model (e.g. a LoRA
adapter trained on them, which answers with short calls like a tuned FunctionGemma instead of
the base model's 32 tokens of prose), generates greedy answers
for the same rows both ways in one run, checks they are identical token for token, and prints
rows/s of each and the speed ratio. In bfloat16 the two paths round differently (batched vs
single-row matrix products), so it prints how many rows agree instead of requiring all of them.
Then it decodes the same rows under each constraint mode (logits only for the allowed tokens,
forced tokens appended without logits) and prints rows/s next to unconstrained decoding and how
many answers are unchanged. Rows come from the public merged dataset when it is present
(`../shared/data/cycling-copilot-dataset-merged.csv` beside the checkout), else from the bundled seeds.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "dev")]
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import _constrained  # noqa: E402
import _data  # noqa: E402
import _format  # noqa: E402
import _inference  # noqa: E402
import stand_in  # noqa: E402



def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=16, help="rows to generate both ways (default 16)")
    parser.add_argument("--batch-size", type=int, default=64, help="fast path batch size (default 64, the evaluator's)")
    parser.add_argument("--dataset", default=str(stand_in.PUBLIC_DATASET) if stand_in.PUBLIC_DATASET.exists() else None)
    parser.add_argument("--model", help="model or adapter dir (default: the real Gemma 3 270M stand-in)")
    parser.add_argument("--dtype", choices=["float32", "bfloat16"], default="float32")
    parser.add_argument("--no-per-row", action="store_true", help="skip the slow per-row reference")
    args = parser.parse_args()
    import torch

    tools = _data.load_tools()
    examples, _ = _data.load_examples([args.dataset] if args.dataset else None, tools)
    messages = [example.message for example in _data.select_split(examples, tools, "all", 0.1, 42, args.rows)]
    (model, tokenizer), load_seconds = timed(_inference.load_model, args.model or str(stand_in.real_gemma3_270m()),
                                             dtype=getattr(torch, args.dtype))
    print(f"model loaded in {load_seconds:.1f}s; {len(messages)} rows from {args.dataset or 'bundled seeds'}")

    _inference.generate_answers(model, tokenizer, tools, messages[:1], progress=False)  # warm-up: first-call costs
    failed = 0
    if not args.no_per_row:
        plain, plain_seconds = timed(_inference.generate_per_row, model, tokenizer, tools, messages)
    fast, fast_seconds = timed(_inference.generate_answers, model, tokenizer, tools, messages,
                               batch_size=args.batch_size)
    if not args.no_per_row:
        print(f"per-row generate : {plain_seconds:7.1f}s  {len(messages) / plain_seconds:6.2f} rows/s")
    print(f"fast evaluator   : {fast_seconds:7.1f}s  {len(messages) / fast_seconds:6.2f} rows/s "
          f"(batch size {args.batch_size}, shared prefix computed once)")
    if not args.no_per_row:
        mismatches = [index for index, (a, b) in enumerate(zip(plain, fast)) if a != b]
        print(f"speed ratio      : {plain_seconds / fast_seconds:.1f}x")
        if mismatches and args.dtype == "bfloat16":
            print(f"bfloat16: predictions identical on {len(messages) - len(mismatches)} of {len(messages)} rows")
        elif mismatches:
            index = mismatches[0]
            print(f"MISMATCH in {len(mismatches)} of {len(messages)} rows; first: {messages[index]!r}\n"
                  f"  per-row: {plain[index]!r}\n  fast:    {fast[index]!r}")
            failed = 1
        else:
            print(f"predictions identical on all {len(messages)} rows")
    for mode in _constrained.MODES[1:]:
        policy, build_seconds = timed(_constrained.constrained_policy, model, tokenizer, tools, mode)
        constrained, seconds = timed(_inference.generate_answers, model, tokenizer, tools, messages,
                                     batch_size=args.batch_size, policy=policy)
        same = sum(a == b for a, b in zip(constrained, fast))
        valid = sum(_format.parse_output(answer, tools).failure is None for answer in constrained)
        print(f"--constrained {mode:13}: {seconds:7.1f}s  {len(messages) / seconds:6.2f} rows/s, "
              f"{fast_seconds / seconds:.2f}x unconstrained (grammar built once in {build_seconds:.1f}s); "
              f"answers unchanged {same}/{len(messages)}, valid calls {valid}/{len(messages)}")
    return failed


if __name__ == "__main__":
    sys.exit(main())
