"""Benchmark: shared-prefix training (_shared_prefix.py) against TRL's default SFTTrainer path.

    uv run python bench/train_speed.py [--steps 1] [--batch-size 8]

Loads the real Gemma 3 270M weights (offline stand-in, dev/stand_in.py) and trains the same rows,
in the same order and from the same starting weights, through TRL's `SFTTrainer` and through
`SharedPrefixSFTTrainer`, one after the other in one run, with the training script's defaults:
LoRA r16 / alpha 32 on every linear projection, lr 2e-4, batch 8, fp32, completion-only loss.
LoRA dropout is 0 here so that both paths see the same computation and their losses can be
compared exactly. The first optimizer step of each path is a warm-up (one-off allocations and
kernel set-up cost tens of seconds on CPU) and is left out of the timing. Prints seconds per row
for each path (wall clock, and CPU time, which other processes on the machine disturb less), the
ratio, the per-step loss and gradient-norm differences, and the projected time for 3 epochs over
847 rows on this machine.
Rows come from the public merged dataset when it is present
(`../shared/data/cycling-copilot-dataset-merged.csv` beside the checkout), else from the bundled seeds.
"""

import argparse
import gc
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "dev")]
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import _data  # noqa: E402
import _format  # noqa: E402
import _inference  # noqa: E402
import _shared_prefix  # noqa: E402
import stand_in  # noqa: E402

PROJECTED_ROWS, PROJECTED_EPOCHS = 847, 3
LORA_TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


def training_rows(tokenizer, tools, examples):
    from datasets import Dataset
    encoded = [_format.tokenize_example(tokenizer, tools, example) for example in examples]
    return Dataset.from_list([{"input_ids": prompt + completion,
                               "completion_mask": [0] * len(prompt) + [1] * len(completion)}
                              for prompt, completion in encoded])


def step_timer():
    """A TrainerCallback recording each optimizer step's wall-clock and CPU seconds."""
    from transformers import TrainerCallback

    class StepTimer(TrainerCallback):
        def __init__(self):
            self.wall, self.cpu = [], []

        def on_step_begin(self, args, state, control, **kwargs):
            self.started = time.perf_counter(), time.process_time()

        def on_step_end(self, args, state, control, **kwargs):
            self.wall.append(time.perf_counter() - self.started[0])
            self.cpu.append(time.process_time() - self.started[1])

    return StepTimer()


def train(trainer_class, model_dir: str, dataset, args, output_dir: str) -> dict:
    """Train `args.steps` optimizer steps: seconds of the steps after the first, per-step loss and gradient norm."""
    import torch
    from peft import LoraConfig
    from trl import SFTConfig

    model, tokenizer = _inference.load_model(model_dir, dtype=torch.float32, device="cpu")
    config = SFTConfig(output_dir=output_dir, max_steps=args.steps, learning_rate=2e-4,
                       per_device_train_batch_size=args.batch_size,
                       gradient_accumulation_steps=args.gradient_accumulation_steps,
                       completion_only_loss=True, bf16=False, gradient_checkpointing=False,
                       logging_steps=1, save_strategy="no", report_to="none", use_cpu=True, seed=42)
    lora = LoraConfig(r=16, lora_alpha=32, lora_dropout=0.0, target_modules=LORA_TARGETS, task_type="CAUSAL_LM")
    timer = step_timer()
    trainer = trainer_class(model=model, args=config, processing_class=tokenizer, peft_config=lora,
                            train_dataset=dataset, callbacks=[timer])
    trainer.train()
    steps = [entry for entry in trainer.state.log_history if "loss" in entry]
    return {"wall": sum(timer.wall[1:]), "cpu": sum(timer.cpu[1:]), "warmup": timer.wall[0],
            "loss": [entry["loss"] for entry in steps],
            "grad_norm": [entry["grad_norm"] for entry in steps],
            "peak_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=2,
                        help="optimizer steps per path, the first one a warm-up (default 2)")
    parser.add_argument("--batch-size", type=int, default=8, help="rows per device batch (default 8)")
    parser.add_argument("--gradient-accumulation-steps", type=int, default=1)
    parser.add_argument("--dataset", default=str(stand_in.PUBLIC_DATASET) if stand_in.PUBLIC_DATASET.exists() else None)
    args = parser.parse_args()
    if args.steps < 2:
        parser.error("--steps must be at least 2 (the first step is a warm-up)")
    from transformers import AutoTokenizer
    from trl import SFTTrainer

    tools = _data.load_tools()
    examples, _ = _data.load_examples([args.dataset] if args.dataset else None, tools)
    rows = args.steps * args.batch_size * args.gradient_accumulation_steps
    chosen = _data.select_split(examples, tools, "train", 0.1, 42, rows)
    model_dir = str(stand_in.real_gemma3_270m())
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    dataset = training_rows(tokenizer, tools, chosen)
    lengths = [len(ids) for ids in dataset["input_ids"]]
    print(f"{len(chosen)} rows from {args.dataset or 'bundled seeds'}, {min(lengths)}-{max(lengths)} tokens; "
          f"batch {args.batch_size} x {args.gradient_accumulation_steps} accumulation, {args.steps} step(s); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

    with tempfile.TemporaryDirectory() as scratch:
        shared = train(_shared_prefix.shared_prefix_trainer_class(), model_dir, dataset, args, f"{scratch}/shared")
        gc.collect()  # free the first model before TRL's path, which needs ~12 GB for a batch of 8
        standard = train(SFTTrainer, model_dir, dataset, args, f"{scratch}/standard")

    timed_rows = len(chosen) * (args.steps - 1) // args.steps
    for name, run in (("TRL default  ", standard), ("shared prefix", shared)):
        per_row = run["wall"] / timed_rows
        projected = per_row * PROJECTED_ROWS * PROJECTED_EPOCHS / 60
        print(f"{name}: {per_row:6.2f} s/row wall, {run['cpu'] / timed_rows:6.2f} s/row CPU "
              f"(warm-up step {run['warmup']:.0f}s, not counted); "
              f"{PROJECTED_EPOCHS} epochs x {PROJECTED_ROWS} rows ~ {projected:.0f} min; "
              f"loss {run['loss']}, grad norm {run['grad_norm']}")
    loss_gap = max(abs(a - b) / abs(b) for a, b in zip(shared["loss"], standard["loss"]))
    norm_gap = max(abs(a - b) / abs(b) for a, b in zip(shared["grad_norm"], standard["grad_norm"]))
    print(f"speed ratio  : {standard['wall'] / shared['wall']:.1f}x wall clock, "
          f"{standard['cpu'] / shared['cpu']:.1f}x CPU time")
    print(f"largest relative difference: loss {loss_gap:.1e}, gradient norm {norm_gap:.1e}")
    print(f"peak memory  : {shared['peak_gb']:.1f} GB after the shared-prefix run, "
          f"{standard['peak_gb']:.1f} GB after both; load average {os.getloadavg()[0]:.1f} at the end")
    return 0 if loss_gap < 1e-4 else 1


if __name__ == "__main__":
    sys.exit(main())
