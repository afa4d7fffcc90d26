# /// script
# requires-python = ">=3.11"
# dependencies = [
#     "torch>=2.6",
#     "transformers>=5.24",
#     "jinja2>=3.1.6",  # transformers renders chat templates only with jinja2>=3.1.6
#     "trl>=1.16",
#     "peft>=0.19",
#     "accelerate>=1.13",
#     "datasets>=5.1",
#     "huggingface_hub>=2.0",
#     "tqdm>=4.66.3",
# ]
#
# [tool.hf-jobs]
# flavor = "t4-small"
# secrets = ["HF_TOKEN"]
# timeout = "2h"
# ///
"""LoRA or full fine-tuning of FunctionGemma on tool-calling rows, in its native format.

Usage:
    uv run train_functiongemma.py                                   # bundled seeds, quick check
    uv run train_functiongemma.py --dataset data.csv --dataset user/more-data --epochs 3 \\
        --output-dir runs/copilot [--output-repo user/functiongemma-copilot]
    uv run train_functiongemma.py --method full --dataset data.csv --output-dir runs/copilot-full
    hf jobs uv run train_functiongemma.py -- --dataset user/data --output-repo user/model --epochs 3

Each row becomes prompt -> completion rendered exactly as FunctionGemma sees them on the device
(one <bos>, the tool declarations in the developer turn, the call closed by
<start_function_response>); the loss covers the completion only (TRL SFTTrainer). --method lora
(default) trains PEFT LoRA adapters on every linear projection, the base frozen; --method full
trains every weight (the embeddings, tied to the output head, included; never resized) with its
own defaults (--help lists both methods' defaults; they follow Google's FunctionGemma full
fine-tunes), and writes a whole checkpoint that evaluation and export load like an adapter.
A row no tool serves (tool_calls []) teaches the --no-call-reply prose answer closed by
<end_of_turn>: no call, so the app does nothing. The reply is recorded in training_config.json.
Several --dataset are merged and de-duplicated like the validator does; the shared, stratified
held-out split (--test-split, --seed; a Hub dataset's own test split unless --resplit) never
enters training and is scored at the end with the same generation and scoring code as
evaluate_functiongemma.py, in every rendering evaluation scores (robust accuracy: right as
written, spoken and typed). A small validation slice of the training part gives the eval loss
after each epoch. The run prints how many suspect rows (naming a tool or an identifier-like
value, or reading like a generation prompt) each part holds.

The call margin: at the end the model answers that validation slice (never the held-out rows) in
every rendering, and the run chooses the margin its calls must clear, log p(<start_function_call>)
minus log p(the most likely other first token), by the README's rule: the fewest false calls while
the missed calls rise by at most max(1, 1% of the call answers). It goes to training_config.json
(`call_margin`: value, rule, validation curve) and the model card; the held-out rows are then scored
with it, and evaluation and export apply it by default (their --call-margin 0 turns it off).

Augmentation (on unless --no-augment): a rider's request arrives as a speech recogniser or a
keyboard writes it, so every training row, call and no-call alike, is seen once per epoch in turn
as written, spoken (lower case, no punctuation) and typed (capitalised, ending in ? or .), a
quarter of the spoken and typed ones after a filler or wake word ("uh", "hey copilot", "oye") and
half of those with a number in digits switched to words (or back): no form is more common in one
kind of row than in the other, so the model cannot learn the form instead of the meaning. The
variants are drawn once under --seed; none of them equals a held-out row or any rendering of one.

Checks before any training step: datasets, flags and the Hub token before the model loads; then,
with the tokenizer, text that turns into a token that is no text (<start_of_image>, <unused0>, ...),
and the tool declarations with the longest row against the model's context (max_position_embeddings
of its config.json) and --max-length (default: the longest row), before the output folder is made;
the run stops naming the rows longer than --max-length. --seed also seeds training.

Checkpoints: one per epoch (or every --save-steps steps) in --output-dir, the last two kept.
Ctrl-C (or SIGTERM) finishes the current step, saves a checkpoint and the adapter, and stops;
--resume-from-checkpoint alone continues from the latest checkpoint in --output-dir, or, when
there is none, from the one the --output-repo keeps in last-checkpoint/ (in a Hugging Face Job
every checkpoint is pushed there, so a preempted Job resumes where it stopped). A --method full
checkpoint holds the whole model and its AdamW state, which resuming needs: about 3 GB for the 270M
model in fp32 (two kept: 6.5 GB), against a few MB for an adapter's.

The output dir holds the LoRA adapter (with --method full: the whole model), tokenizer,
training_config.json, metrics.json, the rows used (train.csv, validation.csv, heldout.csv), the
tools (tools.json), split.json (the sources with a content hash each, seed, test fraction, a hash
of every part) and a model card (README.md). --output-repo pushes them to a private repo
(--public for a public one), without the row files unless --push-data; no uploaded file holds a
local path. Evaluation and export read them back: given this directory they score exactly
heldout.csv with these tools. In a Hugging Face Job
(JOB_ID set) without --output-repo the result goes to the private repo
<your user>/functiongemma-cycling-copilot-<timestamp>, printed before training, since the Job's disk
disappears with it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import sys
import threading
from datetime import datetime, timezone




# The header's dependencies, checked first thing in main(): a notebook or another environment's
# python ignores the header (tests/test_versions.py keeps the two equal).
REQUIREMENTS = {
    "torch": ">=2.6",
    "transformers": ">=5.24",
    "jinja2": ">=3.1.6",
    "trl": ">=1.16",
    "peft": ">=0.19",
    "accelerate": ">=1.13",
    "datasets": ">=5.1",
    "huggingface_hub": ">=2.0",
    "tqdm": ">=4.66.3",
}
DEFAULT_LORA_TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
# Only without the shared prefix: it runs the prefix once per batch, so dropout would give every row
# of the batch the same mask there, and the loss would no longer be the per-row one.
LORA_DROPOUT_WITHOUT_SHARED_PREFIX = 0.05
# What each --method trains, and its settings when the user gives none (resolved in parse_args;
# training_config.json and the card record them with method_why).
METHODS = ("lora", "full")
METHOD_DEFAULTS = {
    # A LoRA update starts at zero and stays low-rank: it takes the usual LoRA learning rate, about
    # ten times a full fine-tune's, and a short warmup.
    "lora": {"lr": 2e-4, "epochs": 3, "warmup": 0.03, "lora_r": 16, "lora_alpha": 32},
    # Google's FunctionGemma recipes are full fine-tunes with completion-only loss at lr 1e-5 to
    # 5e-5 for 2 to 5 epochs (the Mobile Actions notebook of the Gemma cookbook, the "Fine-tune
    # FunctionGemma" guide): the top of that range, since our rows are few. 3 epochs, like LoRA, show
    # every row once in each of augmentation's three renderings. Every pretrained weight moves from
    # the first step, the 262k-row embedding (tied to the output head) included, while AdamW's
    # moment estimates are still noisy: a longer warmup (10% of the steps) keeps those steps small.
    "full": {"lr": 5e-5, "epochs": 3, "warmup": 0.1},
}
# What each method trains and why its defaults are what they are; method_why writes the values in
# from METHOD_DEFAULTS, so the card and training_config.json cannot disagree with the settings.
METHOD_WHY = {
    "lora": ("LoRA adapters on every linear projection, the base model frozen: a few MB to store and push",
             "a LoRA update starts at zero and stays low-rank, so it takes about ten times a full fine-tune's lr "
             "and a short warmup"),
    "full": ("Every weight trained, the embeddings (tied to the output head, never resized) included",
             "from Google's FunctionGemma full fine-tunes (lr 1e-5 to 5e-5, 2 to 5 epochs, loss on the answer "
             "only); the warmup keeps the first AdamW steps, which move every pretrained weight, small"),
}
LORA_FLAGS = ("lora_r", "lora_alpha", "lora_dropout", "lora_targets")
# The per-epoch eval loss needs only a small slice of the training part: enough rows to see
# over-fitting, few enough to cost seconds per epoch.
VALIDATION_FRACTION = 0.05
MAX_VALIDATION_ROWS = 64
JOB_REPO_PREFIX = "functiongemma-cycling-copilot"
HUB_CHECKPOINT = "last-checkpoint"  # the repo folder holding a Job's latest checkpoint
ROW_FILES = ("train.csv", "validation.csv", "heldout.csv")
# What goes to the Hub, by name (anything else in --output-dir stays local, e.g. training_args.bin,
# the pickled TrainingArguments with local paths). Checkpoints add the trainer's resume state.
# The model's own files by --method: an adapter, or a whole checkpoint (config and weights).
MODEL_FILES = {"lora": ("adapter_model.safetensors", "adapter_config.json"),
               "full": ("model.safetensors", "config.json", "generation_config.json")}
RESULT_FILES = (*MODEL_FILES["lora"], *MODEL_FILES["full"], "tokenizer.json", "tokenizer.model",
                "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json", "chat_template.jinja",
                "training_config.json", "metrics.json", "split.json", "tools.json", "README.md")
CHECKPOINT_FILES = (*MODEL_FILES["lora"], *MODEL_FILES["full"], "optimizer.pt", "scheduler.pt",
                    "scaler.pt", "rng_state.pth", "trainer_state.json")


def setting_text(value: float) -> str:
    """A setting as --help and the card write it: 2e-4, not 0.0002."""
    return f"{value:.0e}".replace("e-0", "e-") if 0 < value < 1e-3 else f"{value:g}"


def method_why(method: str) -> str:
    """What --method trains, its default settings and why (for the card and training_config.json)."""
    what, why = METHOD_WHY[method]
    values = METHOD_DEFAULTS[method]
    return (f"{what}. Defaults: lr {setting_text(values['lr'])}, {values['warmup']:.0%} warmup, {setting_text(values['epochs'])} "
            f"epochs: {why}; {setting_text(values['epochs'])} epochs show every row once in each of the three renderings.")


def method_default(name: str) -> str:
    """A setting's default per --method, for --help: "default 2e-4 with --method lora, 5e-5 with full"."""
    lora, full = (setting_text(METHOD_DEFAULTS[method][name]) for method in ("lora", "full"))
    return f"default {lora} with either --method" if lora == full else f"default {lora} with --method lora, {full} with full"


def build_parser():
    parser = script_parser("train_functiongemma.py", __doc__,
                           exit_codes={130: "interrupted (Ctrl-C, SIGTERM): a checkpoint is saved; resume with --resume-from-checkpoint"},
                           job="--flavor t4-small --secrets HF_TOKEN -- --dataset USER/DATASET --output-repo USER/MODEL")
    data = add_data_arguments(parser, max_examples="train on at most N rows (quick runs)")
    data.add_argument("--max-length", type=int, metavar="TOKENS",
                      help="longest allowed row in tokens; longer rows stop the run (default: the longest row)")
    data.add_argument("--no-call-reply", default=DEFAULT_NO_CALL_REPLY,
                      help="what the model answers, with no call, to rows no tool serves (tool_calls []) "
                           "(default %(default)r)")
    model = parser.add_argument_group("model")
    model.add_argument("--model", default=DEFAULT_MODEL, help=f"base model id or dir (default {DEFAULT_MODEL})")
    model.add_argument("--method", choices=METHODS, default="lora",
                       help="lora: train LoRA adapters on every linear projection, the base frozen (default); "
                            "full: train every weight, the embeddings (tied to the output head) included, and save "
                            "the whole model; --lr, --epochs and --warmup then default to Google's full fine-tune "
                            "recipes")
    lora = METHOD_DEFAULTS["lora"]
    model.add_argument("--lora-r", type=int, metavar="N", help=f"LoRA rank (default {lora['lora_r']}; lora only)")
    model.add_argument("--lora-alpha", type=int, metavar="N", help=f"LoRA alpha (default {lora['lora_alpha']}; lora only)")
    model.add_argument("--lora-dropout", type=float,
                       help=f"LoRA dropout (default 0; {LORA_DROPOUT_WITHOUT_SHARED_PREFIX} with --no-shared-prefix, "
                            "the only mode that allows dropout: the shared prefix runs once for all rows of a "
                            "batch, which would then share one dropout mask; lora only)")
    model.add_argument("--lora-targets", nargs="+", metavar="MODULE",
                       help="modules to adapt (default: all linear projections; lora only)")
    model.add_argument("--allow-template-mismatch", action="store_true",
                       help="train even if the tokenizer's chat template renders differently from this toolkit")
    training = parser.add_argument_group("training")
    training.add_argument("--epochs", type=float, metavar="N", help=f"epochs ({method_default('epochs')})")
    training.add_argument("--lr", type=float, help=f"learning rate ({method_default('lr')})")
    training.add_argument("--warmup", type=float, metavar="FRACTION",
                          help=f"share of the optimizer steps over which the learning rate rises from 0 "
                               f"({method_default('warmup')})")
    training.add_argument("--batch-size", type=int, default=8, metavar="N", help="rows per device batch (default 8)")
    training.add_argument("--gradient-accumulation-steps", type=int, default=1, metavar="N",
                          help="batches per optimizer step (default 1)")
    training.add_argument("--max-steps", type=int, default=-1, metavar="N", help="stop after this many optimizer steps")
    training.add_argument("--save-steps", type=positive_int, metavar="N",
                          help="save a checkpoint every N optimizer steps (default: at the end of every epoch)")
    training.add_argument("--resume-from-checkpoint", nargs="?", const=True, metavar="DIR",
                          help="resume from a checkpoint dir (alone: the latest in --output-dir, "
                               "else the --output-repo's last-checkpoint)")
    training.add_argument("--no-shared-prefix", dest="shared_prefix", action="store_false",
                          help="run every row's full prompt instead of computing the prompt part all rows "
                               "of a batch share once (same loss and gradients without dropout, several times "
                               "slower; allows --lora-dropout)")
    training.add_argument("--no-augment", dest="augment", action="store_false",
                          help="train on the rows only as written (default: each row as written, spoken and "
                               "typed in turn, one per epoch, with fillers and wake words on both kinds of row)")
    training.add_argument("--no-eval", action="store_true",
                          help="skip the per-epoch validation loss and the held-out generation at the end")
    training.add_argument("--trackio-project", metavar="NAME", help="log the run to this trackio project (needs trackio)")
    output = parser.add_argument_group("output")
    output.add_argument("--output-dir", metavar="DIR",
                        help="folder everything is written to (default outputs/functiongemma-lora, "
                             "outputs/functiongemma-full with --method full)")
    output.add_argument("--output-repo", metavar="REPO",
                        help="Hub model repo to push the adapter (or full model), metrics and card to")
    add_public_argument(output)
    output.add_argument("--push-data", action="store_true",
                        help="also upload the row files (train.csv, validation.csv, heldout.csv; default: kept local)")
    add_json_argument(output, "the training config and metrics")
    return parser


def parse_args(argv) -> argparse.Namespace:
    parser = build_parser()
    args = parser.parse_args(argv)
    given = [f"--{name.replace('_', '-')}" for name in LORA_FLAGS if getattr(args, name) is not None]
    if args.method != "lora" and given:
        parser.error(f"{', '.join(given)}: LoRA settings, but --method {args.method} trains every weight "
                     "(drop them, or use --method lora)")
    args.defaults = [name for name in ("lr", "epochs", "warmup", "lora_r", "lora_alpha")
                     if getattr(args, name) is None and name in METHOD_DEFAULTS[args.method]]
    for name in args.defaults:
        setattr(args, name, METHOD_DEFAULTS[args.method][name])
    for name in ("epochs", "lr", "batch_size", "gradient_accumulation_steps", "lora_r", "lora_alpha"):
        if getattr(args, name) is not None and getattr(args, name) <= 0:
            parser.error(f"--{name.replace('_', '-')} must be positive")
    if not 0 <= args.warmup < 1:
        parser.error("--warmup must be in [0, 1)")
    if args.max_length is not None and args.max_length <= 0:
        parser.error("--max-length must be positive")
    if args.output_dir is None:
        args.output_dir = f"outputs/functiongemma-{args.method}"
    if args.method == "lora":
        args.lora_targets = args.lora_targets or list(DEFAULT_LORA_TARGETS)
        if args.lora_dropout is None:
            args.lora_dropout = 0.0 if args.shared_prefix else LORA_DROPOUT_WITHOUT_SHARED_PREFIX
        if not 0 <= args.lora_dropout < 1:
            parser.error("--lora-dropout must be in [0, 1)")
        if args.lora_dropout and args.shared_prefix:
            parser.error("--lora-dropout above 0 needs --no-shared-prefix: the shared prefix is computed once "
                         "per batch, so every row would get the same dropout mask on it")
    if isinstance(args.resume_from_checkpoint, str) and not os.path.isdir(args.resume_from_checkpoint):
        parser.error(f"--resume-from-checkpoint {args.resume_from_checkpoint}: no such directory")
    args.no_call_reply = check_no_call_reply(args.no_call_reply)
    return args


# ----------------------------------------------------------------------------- before the model loads


def split_rows(examples: list, tools: list[dict], args) -> dict[str, list]:
    """train / validation / heldout: heldout is the shared split every script derives the same way."""
    train, heldout = split_examples(examples, tools, args.test_split, args.seed, args.resplit)
    if args.max_examples:
        train = train[:args.max_examples]
    validation = []
    if not args.no_eval and train:
        fraction = min(VALIDATION_FRACTION, MAX_VALIDATION_ROWS / len(train))
        train, validation = split_examples(train, tools, fraction, args.seed)
    if not train:
        raise DataError("no training rows left after the held-out split")
    return {"train": train, "validation": validation, "heldout": heldout}


def merge_command(adapter: str) -> tuple[str, str]:
    """A shell command that merges the LoRA adapter `adapter` into its base and saves the whole model,
    with the adapter's tokenizer, in a new folder; and that folder."""
    import shlex
    merged = os.path.basename(os.path.normpath(adapter)) + "-merged"
    if os.path.isdir(adapter):
        merged = os.path.join(os.path.dirname(os.path.normpath(adapter)), merged)
    code = ("from peft import AutoPeftModelForCausalLM; from transformers import AutoTokenizer; "
            f"AutoPeftModelForCausalLM.from_pretrained({adapter!r}).merge_and_unload().save_pretrained({merged!r}); "
            f"AutoTokenizer.from_pretrained({adapter!r}).save_pretrained({merged!r})")
    return f"python -c {shlex.quote(code)}", merged


def refuse_adapter_model(args) -> None:
    """--model a LoRA adapter with --method lora: a new LoRA on top of it would be saved against the
    adapter's base (adapter_config.json names one model), so evaluation and export would load that
    base and the new adapter without the first fine-tune. Refused, pointing at a merge: trained from
    the merged model, the new adapter names it, and loads as exactly the model that was trained."""
    if args.method != "lora" or _adapter_config(args.model) is None:
        return
    command, merged = merge_command(args.model)
    raise DataError(f"--model {args.model} is a LoRA adapter: a LoRA trained on it would be saved against its base "
                    "model alone, and evaluation and export would load it without this adapter. Merge the adapter "
                    f"into its base first (in an environment with peft): {command} ; then train with --model {merged} "
                    "(or train every weight from the adapter with --method full)")


def resolve_output_repo(args, token: str | None) -> tuple[str | None, bool]:
    """Where the result goes on the Hub and whether that repo is private; refuses runs whose
    result would be lost, and pushes that would publish a repo without --public."""
    if args.output_repo:
        if not token:
            raise DataError("--output-repo needs a Hugging Face token (HF_TOKEN or `hf auth login`)")
        check_push_target(args.output_repo, private=not args.public)
        return args.output_repo, not args.public
    if not os.environ.get("JOB_ID"):
        return None, True
    # A Job's disk disappears when it ends: without a push the run would be wasted.
    if not token:
        raise DataError("running in a Hugging Face Job without --output-repo and without a token: the result "
                        "would be lost with the Job's disk; pass --secrets HF_TOKEN or --output-repo")
    try:
        from huggingface_hub import whoami
        user = whoami(token=token)["name"]
    except Exception as error:
        raise DataError(f"cannot find the token's user for the default --output-repo ({type(error).__name__})") from None
    # Never public: nobody chose this name, so nobody chose to publish under it.
    return f"{user}/{JOB_REPO_PREFIX}-{datetime.now(timezone.utc):%Y%m%d-%H%M%S}", True


def latest_checkpoint(folder: str) -> str | None:
    """The newest complete checkpoint-N in `folder` (a kill during a save leaves one without
    trainer_state.json, which the trainer writes last)."""
    steps = [int(match.group(1)) for name in (os.listdir(folder) if os.path.isdir(folder) else [])
             if (match := re.fullmatch(r"checkpoint-(\d+)", name))
             and os.path.exists(os.path.join(folder, name, "trainer_state.json"))]
    return os.path.join(folder, f"checkpoint-{max(steps)}") if steps else None


def download_checkpoint(repo: str, output_dir: str) -> str | None:
    """The repo's last-checkpoint/ as output_dir/checkpoint-N, or None when the repo keeps none."""
    from huggingface_hub import snapshot_download
    staging = os.path.join(output_dir, ".hub-checkpoint")
    try:
        snapshot_download(repo, allow_patterns=[f"{HUB_CHECKPOINT}/*"], local_dir=staging, token=hf_token())
    except Exception as error:  # no such repo yet, network: one line
        raise DataError(f"cannot download {repo}/{HUB_CHECKPOINT} to resume ({type(error).__name__})") from None
    state = os.path.join(staging, HUB_CHECKPOINT, "trainer_state.json")
    target = None
    if os.path.exists(state):
        with open(state, encoding="utf-8") as handle:
            target = os.path.join(output_dir, f"checkpoint-{json.load(handle)['global_step']}")
        os.replace(os.path.join(staging, HUB_CHECKPOINT), target)
    shutil.rmtree(staging, ignore_errors=True)
    return target


def resolve_checkpoint(args, output_repo: str | None) -> str | None:
    """The checkpoint --resume-from-checkpoint means: the folder given, else the latest complete
    one in --output-dir, else the one the Hub repo keeps (a preempted Job's)."""
    if not args.resume_from_checkpoint:
        return None
    if isinstance(args.resume_from_checkpoint, str):
        return args.resume_from_checkpoint
    checkpoint = latest_checkpoint(args.output_dir)
    if checkpoint is None and output_repo:
        os.makedirs(args.output_dir, exist_ok=True)
        checkpoint = download_checkpoint(output_repo, args.output_dir)
        if checkpoint:
            print(f"downloaded {output_repo}/{HUB_CHECKPOINT} to {checkpoint}")
    if checkpoint is None:
        raise DataError(f"--resume-from-checkpoint: no checkpoint in {args.output_dir}"
                        + (f" and none in {output_repo}/{HUB_CHECKPOINT}" if output_repo else ""))
    return checkpoint


# ----------------------------------------------------------------------------- tokenizer checks


def augment_rows(train: list, heldout: list, seed: int) -> tuple[list, int, dict]:
    """Every training row in each of AUGMENT_RENDERINGS (`_renderings.augmented_variants`), row by
    row, how many variants each row has, and what the held-out guard did. The split keeps every
    meaning (`_renderings.meaning_key`) on one side; as a second line a training row is dropped,
    every variant with it, when it shares a held-out row's meaning or one of its variants normalises
    to a held-out row or to any rendering of one."""
    import random
    rng = random.Random(seed)
    held_out_meanings = {meaning_key(example.message) for example in heldout}
    forbidden = {normalise_message(render(example.message, rendering))
                 for example in heldout for rendering in RENDERINGS}
    variants, dropped = [], 0
    for example in train:
        texts = augmented_variants(example.message, rng)
        if (meaning_key(example.message) in held_out_meanings
                or any(normalise_message(text) in forbidden for text in texts)):
            dropped += 1
            continue
        variants += [Example(text, example.call, example.origin) for text in texts]
    return variants, len(AUGMENT_RENDERINGS), {"heldout_rows": len(heldout), "rows_dropped": dropped}


def augmentation_record(augment: bool, variants: list, renderings: int, guard: dict | None = None) -> dict:
    """What augmentation did, for training_config.json and the card."""
    if not augment:
        return {"enabled": False}
    originals = variants[::renderings]
    changed = sum(variant.message != render(original.message, rendering)
                  for index, original in enumerate(originals)
                  for rendering, variant in zip(AUGMENT_RENDERINGS, variants[index * renderings:(index + 1) * renderings]))
    return {"enabled": True, "renderings": list(AUGMENT_RENDERINGS), "schedule": "one rendering per row per epoch, in turn",
            "filler_share": AUGMENT_FILLER_SHARE, "numbers_share": AUGMENT_NUMBERS_SHARE,
            "variants": len(variants), "variants_with_filler_or_numbers": changed,
            # the held-out guard: how many held-out rows it compared with, and training rows it kept out
            "heldout_guard": guard or {}}


def load_tokenizer(source: str, tools: list[dict], example, allow_mismatch: bool, no_call_reply: str):
    from transformers import AutoTokenizer
    tokenizer = _from_pretrained(AutoTokenizer, source, "tokenizer")
    stop_token_ids(tokenizer)
    try:
        check_chat_template(tokenizer, tools, example, strict=not allow_mismatch, no_call_reply=no_call_reply)
    except TemplateMismatch as error:
        raise DataError(str(error)) from None
    return tokenizer


def encode_rows(tokenizer, tools: list[dict], splits: dict[str, list],
                no_call_reply: str) -> dict[str, list[tuple[list, list]]]:
    """(prompt ids, completion ids) of every row of every split."""
    from tqdm.auto import tqdm
    total = sum(len(rows) for rows in splits.values())
    with tqdm(total=total, desc="tokenize", unit="row", dynamic_ncols=True) as bar:
        encoded = {}
        for name, rows in splits.items():
            encoded[name] = []
            for example in rows:
                encoded[name].append(tokenize_example(tokenizer, tools, example, no_call_reply))
                bar.update()
    return encoded


def check_prompt_size(tokenizer, tools: list[dict], splits: dict[str, list], args) -> None:
    """Before any row is tokenized whole: the tool declarations and the longest row must fit the
    model's context (max_position_embeddings, read from its config.json without loading weights)
    and --max-length; one line with the numbers otherwise (400 tools would not fit, and the run
    would take all memory before it failed)."""
    rows = [example for part in splits.values() for example in part]
    length = prompt_length(tools, rows, args.no_call_reply, tokenizer)
    context, where = model_context(args.model)
    check_prompt_fits(length, context, f"the model's context (max_position_embeddings in {where})",
                      args.tools or "bundled tools")
    fitting_length([(length.declarations + tokens, example) for tokens, example in zip(length.rows, rows)],
                   args.max_length, length.declarations)


def checked_max_length(splits: dict[str, list], encoded: dict[str, list], max_length: int | None) -> int:
    """The sequence length to train with; DataError naming the rows that would be truncated."""
    return fitting_length([(len(prompt) + len(completion), example)
                           for name in splits for example, (prompt, completion) in zip(splits[name], encoded[name])],
                          max_length)


def fitting_length(lengths: list[tuple[int, object]], max_length: int | None, declarations: int | None = None) -> int:
    """The sequence length to train with, given (tokens, row) of every row; DataError naming the rows
    longer than `max_length` (and how many tokens the declarations take, when given)."""
    longest = max(length for length, _ in lengths)
    if max_length is None:
        return longest
    too_long = sorted(((length, example) for length, example in lengths if length > max_length),
                      key=lambda item: -item[0])
    if too_long:
        shown = "; ".join(f"{example.origin} ({length} tokens) {example.message[:40]!r}"
                          for length, example in too_long[:3])
        more = f" and {len(too_long) - 3} more" if len(too_long) > 3 else ""
        within = f", the tool declarations {declarations} of them" if declarations is not None else ""
        raise DataError(f"{len(too_long)} row(s) longer than --max-length {max_length} would be truncated "
                        f"(longest {longest} tokens{within}): {shown}{more}")
    return max_length


# ----------------------------------------------------------------------------- training


def epoch_rendering_trainer(base, renderings: int):
    """`base` whose sampler shows every training row once per epoch, in one of its `renderings`
    variants (laid out row by row), the next one each epoch: over the run each row is seen in each."""
    import torch

    class EpochRenderingSampler(torch.utils.data.Sampler):
        def __init__(self, rows: int, seed: int):
            self.rows, self.seed, self.epoch = rows, seed, 0
            # where each row starts in its cycle: every epoch mixes all renderings evenly
            self.first = torch.randint(renderings, (rows,), generator=torch.Generator().manual_seed(seed)).tolist()

        def set_epoch(self, epoch: int) -> None:  # the trainer calls it before each epoch (and on resume)
            self.epoch = epoch

        def __len__(self) -> int:
            return self.rows

        def __iter__(self):
            order = torch.randperm(self.rows, generator=torch.Generator().manual_seed(self.seed + self.epoch))
            for row in order.tolist():
                yield row * renderings + (self.first[row] + self.epoch) % renderings

    class EpochRenderingTrainer(base):
        def _get_train_sampler(self, train_dataset=None):
            return EpochRenderingSampler(len(train_dataset or self.train_dataset) // renderings, self.args.seed)

        def num_examples(self, dataloader) -> int:  # rows per epoch, not variants held
            sampler = getattr(getattr(dataloader, "batch_sampler", None), "sampler", None)
            return len(sampler) if isinstance(sampler, EpochRenderingSampler) else super().num_examples(dataloader)

    return EpochRenderingTrainer


def training_dataset(encoded: list[tuple[list, list]]):
    """Pre-tokenized rows: TRL adds no special tokens to them, and masks the loss to the completion."""
    from datasets import Dataset
    return Dataset.from_list([{"input_ids": prompt + completion,
                               "completion_mask": [0] * len(prompt) + [1] * len(completion)}
                              for prompt, completion in encoded])


class StopOnInterrupt:
    """First Ctrl-C or SIGTERM (a Job being stopped): finish the current step, save a checkpoint
    and stop. A second one aborts."""

    def __init__(self):
        self.requested = False

    def callback(self):
        from transformers import TrainerCallback
        owner = self

        class Stop(TrainerCallback):
            def on_step_end(self, args, state, control, **kwargs):
                if owner.requested:
                    control.should_save = True
                    control.should_training_stop = True

        return Stop()

    def __enter__(self):
        self.previous = {}
        if threading.current_thread() is threading.main_thread():
            self.previous = {number: signal.signal(number, self.handle) for number in (signal.SIGINT, signal.SIGTERM)}
        return self

    def handle(self, signum, frame):
        self.requested = True
        self.__exit__()
        print("\ninterrupt: saving after this step (Ctrl-C again to abort)", file=sys.stderr)

    def __exit__(self, *exc):
        for number, handler in self.previous.items():
            signal.signal(number, handler)
        self.previous = {}


def hub_files(folder: str, names, base_model: str, prefix: str = "") -> dict:
    """The files of `folder` among `names` as {path in the repo: local path or bytes}, with
    adapter_config.json naming the base model without a local path (the local copy keeps it,
    so a local adapter still finds a local base)."""
    files = {}
    for name in names:
        path = os.path.join(folder, name)
        if not os.path.isfile(path):
            continue
        files[prefix + name] = path
        if name == "adapter_config.json":
            with open(path, encoding="utf-8") as handle:
                config = json.load(handle)
            config["base_model_name_or_path"] = public_model_name(base_model)
            files[prefix + name] = json.dumps(config, indent=2).encode()
    return files


def method_files(names, method: str) -> list[str]:
    """`names` without the other method's model files (a folder reused across methods may hold them)."""
    other = {name for key, files in MODEL_FILES.items() if key != method for name in files}
    return [name for name in names if name not in other]


def checkpoint_pusher(repo: str, private: bool, base_model: str, method: str = "lora"):
    """In a Job every checkpoint also replaces the repo's last-checkpoint/: a preempted Job resumes from it."""
    from transformers import TrainerCallback

    class PushCheckpoint(TrainerCallback):
        def on_save(self, args, state, control, **kwargs):
            folder = os.path.join(args.output_dir, f"checkpoint-{state.global_step}")
            files = hub_files(folder, method_files(CHECKPOINT_FILES, method), base_model, prefix=f"{HUB_CHECKPOINT}/")
            try:
                push_to_hub(files, repo, f"train_functiongemma.py: checkpoint at step {state.global_step}",
                            private=private, replace=HUB_CHECKPOINT)
            except DataError as error:  # the local checkpoint is saved: training goes on
                print(f"warning: {error}", file=sys.stderr)

    return PushCheckpoint()


def completion_only_trainer():
    """SFTTrainer whose loss projects only the positions that predict a completion token.

    TRL's fused LM head scores every position of the batch where Triton is missing (a CPU): with
    FunctionGemma's 262k-token vocabulary and ~700 prompt tokens per row that is most of a step.
    Projecting the ~20 completion positions per row gives the same loss."""
    import torch
    from trl import SFTTrainer

    class CompletionOnlyTrainer(SFTTrainer):
        def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
            labels = inputs["labels"]
            predicts_label = labels[:, 1:] != -100
            # position p predicts token p + 1; the last position predicts nothing
            keep = torch.nn.functional.pad(predicts_label, (0, 1), value=False)
            outputs = model(input_ids=inputs["input_ids"], attention_mask=inputs.get("attention_mask"),
                            use_cache=False, logits_to_keep=keep)
            logits = outputs.logits.reshape(-1, outputs.logits.shape[-1]).float()
            targets = labels[:, 1:][predicts_label]
            loss = torch.nn.functional.cross_entropy(logits, targets, reduction="sum")
            loss = loss / (num_items_in_batch if num_items_in_batch is not None else targets.numel())
            if self.args.average_tokens_across_devices and num_items_in_batch is not None:
                loss = loss * self.accelerator.num_processes
            return (loss, outputs) if return_outputs else loss

    return CompletionOnlyTrainer


def build_trainer(args, model, tokenizer, datasets: dict, max_length: int, precision, callbacks: list,
                  renderings: int = 1):
    from peft import LoraConfig
    from trl import SFTConfig
    import torch

    evaluating = len(datasets["validation"]) > 0
    config = SFTConfig(
        output_dir=args.output_dir,
        num_train_epochs=args.epochs,
        max_steps=args.max_steps,
        learning_rate=args.lr,
        warmup_steps=args.warmup,  # below 1: a share of the steps
        per_device_train_batch_size=args.batch_size,
        per_device_eval_batch_size=args.batch_size,
        gradient_accumulation_steps=args.gradient_accumulation_steps,
        max_length=max_length,
        completion_only_loss=True,
        bf16=precision == torch.bfloat16,  # autocast: a full fine-tune keeps fp32 weights and AdamW state
        fp16=False,  # Gemma 3 is unstable in fp16: GPUs without bf16 train in fp32
        gradient_checkpointing=False,
        eval_strategy="epoch" if evaluating else "no",
        prediction_loss_only=True,
        **({"save_strategy": "steps", "save_steps": args.save_steps} if args.save_steps else {"save_strategy": "epoch"}),
        save_total_limit=2,  # the newest may be cut short by a kill; the one before it is whole
        # (--method full: ~3 GB each for 270M in fp32, the AdamW state included, which resuming needs)
        logging_steps=10,
        logging_first_step=True,
        seed=args.seed,
        **({"report_to": "trackio", "project": args.trackio_project} if args.trackio_project
           else {"report_to": "none"}),
    )
    # full: no PEFT, every parameter of the model as loaded trains (the tied embedding once)
    lora = (LoraConfig(r=args.lora_r, lora_alpha=args.lora_alpha, lora_dropout=args.lora_dropout,
                       target_modules=args.lora_targets, task_type="CAUSAL_LM") if args.method == "lora" else None)
    trainer_class = completion_only_trainer()
    if args.shared_prefix:  # every row starts with the same tool declarations: compute them once per batch
        trainer_class = shared_prefix_trainer_class(trainer_class)
    if renderings > 1:
        trainer_class = epoch_rendering_trainer(trainer_class, renderings)
    return trainer_class(model=model, args=config, processing_class=tokenizer, peft_config=lora,
                         train_dataset=datasets["train"],
                         eval_dataset=datasets["validation"] if evaluating else None,
                         callbacks=callbacks)


# ----------------------------------------------------------------------------- results


def model_card(args, config: dict, metrics: dict, uploaded: list[str]):
    """The Hub model card: metadata (with the held-out results the Hub displays), the recipe, and
    what was uploaded. Written without local paths: it is uploaded too."""
    from huggingface_hub import ModelCard, ModelCardData, EvalResult

    repo = config["output_repo"] or args.output_dir  # a path only in a card that stays local
    name = repo.rstrip("/").split("/")[-1]
    datasets_used = [source["name"] for source in config["datasets"]]
    hub_datasets = [source["name"] for source in config["datasets"] if source["kind"] == "hub"]
    base = config["base_model"]
    heldout = metrics.get("heldout")
    results = [EvalResult(task_type="text-generation", dataset_type="tool-calling", dataset_name="held-out rows",
                          dataset_split="heldout", metric_type="accuracy", metric_name=label, metric_value=heldout[key])
               for key, label in (("robust_accuracy", "robust accuracy (right as written, spoken and typed)"),
                                  ("combined_accuracy", "combined accuracy (tool and arguments exact)"),
                                  ("tool_accuracy", "tool accuracy"), ("valid_format_rate", "valid format rate"),
                                  ("irrelevance_accuracy", "irrelevance accuracy (no-call rows answered without a call)"),
                                  ("false_call_rate", "false-call rate (no-call rows answered with a call)"))
               if heldout[key] is not None] if heldout else None
    local_base = os.path.isdir(args.model)
    lora = config["method"] == "lora"
    # an adapter is a PEFT model; a full fine-tune is a plain transformers checkpoint
    data = ModelCardData(base_model=None if local_base else base, library_name="peft" if lora else "transformers",
                         pipeline_tag="text-generation",
                         tags=["functiongemma", *(["lora"] if lora else []), "sft", "trl", "tool-calling"],
                         datasets=hub_datasets or None, model_name=name, eval_results=results)
    rows = config["rows"]
    base_link = f"the local checkpoint `{base}`" if local_base else f"[{base}](https://huggingface.co/{base})"
    row_files = ("The exact rows are in `train.csv`, `validation.csv` and `heldout.csv`."
                 if not config["output_repo"] or args.push_data else
                 "The rows themselves were not uploaded (`--push-data` uploads `train.csv`, `validation.csv` and "
                 "`heldout.csv`).")
    lines = [
        f"# {name}", "",
        (f"A LoRA adapter for {base_link}" if lora else f"A full fine-tune (every weight trained) of {base_link}")
        + " that routes requests to one of the tools below, trained in FunctionGemma's native format with "
        "completion-only loss (TRL SFTTrainer" + (" + PEFT)." if lora else ")."), "",
        "## Data", "",
        "Merged and de-duplicated sources: " + ", ".join(f"`{source}`" for source in datasets_used) + ".", "",
        f"{rows['train']} training rows, {rows['validation']} validation rows (eval loss per epoch), "
        f"{rows['heldout']} held-out rows ({config['heldout_from']}) never seen in training; `split.json` "
        "records every source with its sha256, the seed, the test fraction and a hash of each part, and "
        "`tools.json` the tools. " + row_files, "",
        "Tools: " + ", ".join(f"`{name}`" for name in config["tools"]) + ".", "",
        "## No call", "",
        (f"{config['no_call_rows']['train']} of the training rows are requests no tool serves (`tool_calls` `[]`): "
         f"for those the model answers `{args.no_call_reply}` and calls nothing (`--no-call-reply`). "
         "An app shows or speaks that text (or its own \"I can't do that\") and never acts on it."
         if config["no_call_rows"]["train"] else
         "No training row was a request no tool serves (`tool_calls` `[]`): expect a tool call for every input."), "",
        *([call_margin_card(config["call_margin"]), ""] if "call_margin" in config else []),
        "## Training", "",
        f"Method `{config['method']}` (`--method`): {config['method_why']}"
        + (f" Defaults of the method used here: {', '.join(config['method_defaults'])}; the rest was set on the "
           "command line." if config["method_defaults"] else " Every one of these settings was set on the command line."),
        "",
        (f"Augmentation: every training row was seen once per epoch in turn as "
         f"{', '.join(config['augmentation']['renderings'])} (spoken: lower case, no punctuation; typed: "
         f"capitalised, ending in ? or .), {config['augmentation']['filler_share']:.0%} of the spoken and typed "
         "ones after a filler or wake word, so the form of a message tells the model nothing about its label."
         if config["augmentation"]["enabled"] else
         "No augmentation (`--no-augment`): the rows were trained on only as written."), "",
        "| setting | value |", "|---|---|",
    ]
    for key in ("method", "epochs", "lr", "warmup", "batch_size", "gradient_accumulation_steps", "max_steps",
                *(("lora_r", "lora_alpha", "lora_dropout", "lora_targets") if lora else ()), "max_length",
                "precision", "seed", "no_call_reply"):
        value = config[key]
        lines.append(f"| {key} | {', '.join(value) if isinstance(value, list) else value} |")
    train_metrics = metrics.get("train", {})
    if train_metrics:
        lines += ["", f"Final training loss {train_metrics.get('train_loss', float('nan')):.4f} after "
                      f"{train_metrics.get('steps')} steps ({train_metrics.get('train_runtime', 0):.0f} s)."]
    if metrics.get("eval_loss_per_epoch"):
        lines += ["", "Validation loss per epoch: " + ", ".join(
            f"{entry['epoch']:g}: {entry['eval_loss']:.4f}" for entry in metrics["eval_loss_per_epoch"]) + "."]
    lines += ["", "## Held-out accuracy", ""]
    if heldout:
        lines += [f"Greedy decoding"
                  + (f" with the call margin {heldout['call_margin']:.4g}" if heldout.get("call_margin") else "")
                  + f" on {heldout['examples']} held-out rows, each scored in "
                  f"{len(heldout['renderings'])} renderings ({', '.join(heldout['renderings'])}), parsed like "
                  "LiteRT-LM on the device; robust accuracy counts a row only when it is right in every rendering, "
                  f"the other figures are of the rows {heldout['rendering'].replace('_', ' ')}:", "",
                  "| metric | value |", "|---|---|",
                  f"| **robust** (right in every rendering) | {percent(heldout['robust_accuracy'])} |",
                  f"| rows whose answer changes with the rendering alone | {heldout['rendering_sensitive_rows']} |",
                  f"| combined (tool and arguments exact) | {percent(heldout['combined_accuracy'])} |",
                  f"| combined, on the {heldout['call_rows']} call rows | {percent(heldout['call_accuracy'])} |",
                  f"| irrelevance (the {heldout['no_call_rows']} no-call rows answered without a call) | "
                  f"{percent(heldout['irrelevance_accuracy'])} |",
                  f"| false calls (no-call rows answered with a call) | {percent(heldout['false_call_rate'])} |",
                  f"| missed calls (call rows answered without a call) | {percent(heldout['missed_call_rate'])} |",
                  f"| tool | {percent(heldout['tool_accuracy'])} |",
                  f"| argument | {percent(heldout['argument_accuracy'])} |",
                  f"| valid format | {percent(heldout['valid_format_rate'])} |",
                  "", "| tool | rows | combined | tool |", "|---|---|---|---|"]
        for tool, stats in heldout["per_tool"].items():
            lines.append(f"| {tool} | {stats['n']} | {percent(stats['accuracy'])} | "
                         f"{percent(stats['tool_correct'] / stats['n'])} |")
        lines += ["", "| rendering | combined | false calls | missed calls |", "|---|---|---|---|"]
        for name, values in heldout["renderings"].items():
            lines.append(f"| {name} | {percent(values['combined_accuracy'])} | {percent(values['false_call_rate'])} | "
                         f"{percent(values['missed_call_rate'])} |")
    else:
        lines.append("Not measured in this run (`--no-eval`, or training was interrupted).")
    lines += [
        "", "## Use", "",
        "Score it again: with no data flags evaluation reads `heldout.csv` and `tools.json` from this repo "
        "(other `--dataset`s are scored too, but rows it was trained on are refused); or compare with the base model:", "",
        "```bash",
        f"uv run evaluate_functiongemma.py --model {repo}",
        f"uv run evaluate_functiongemma.py --model {repo} --compare {base}",
        "```", "",
        "Export for Android (LiteRT-LM):", "",
        "```bash", f"uv run export_litertlm.py --model {repo}", "```", "",
        "In Python (never resize the embeddings: the tokenizer lists ids past the embedding table):", "",
        "```python",
        *(["from peft import PeftModel",
           "from transformers import AutoModelForCausalLM, AutoTokenizer",
           f'base = AutoModelForCausalLM.from_pretrained("{base}", attn_implementation="eager")',
           f'model = PeftModel.from_pretrained(base, "{repo}").merge_and_unload()'] if lora else
          ["from transformers import AutoModelForCausalLM, AutoTokenizer",
           f'model = AutoModelForCausalLM.from_pretrained("{repo}", attn_implementation="eager")']),
        f'tokenizer = AutoTokenizer.from_pretrained("{repo}")',
        "```", "",
        "Prompts must be rendered exactly as in training (one `<bos>`, tokenized with `add_special_tokens=False`); "
        "stop generation on `<eos>`, `<end_of_turn>` and `<start_function_response>`.", "",
    ]
    if config["output_repo"]:
        lines += ["## Files", "", "Uploaded to this repository: " + ", ".join(f"`{path}`" for path in uploaded) + ".",
                  "Not uploaded: the training checkpoints (an HF Job keeps its latest in `last-checkpoint/` to resume), "
                  "`training_args.bin`" + ("." if args.push_data else ", and the row files (`--push-data`)."), ""]
    return ModelCard(f"---\n{data.to_yaml()}\n---\n\n" + "\n".join(lines))


def training_config(args, sources: list[dict], tools: list[dict], splits: dict, max_length: int, precision,
                    output_repo: str | None, private: bool) -> dict:
    """training_config.json: the recipe, with every input named as it may be published (no local paths)."""
    return {
        "base_model": public_model_name(args.model), "datasets": sources,
        "tools_file": public_file_name(args.tools) if args.tools else BUNDLED,
        "tools": [tool["function"]["name"] for tool in tools],
        "rows": {name: len(rows) for name, rows in splits.items()},
        # which weights trained, why these settings, and which of them were the method's defaults
        "method": args.method, "method_why": method_why(args.method), "method_defaults": args.defaults,
        **{key: getattr(args, key) for key in ("test_split", "seed", "max_examples", "epochs", "lr", "warmup",
                                               "batch_size", "gradient_accumulation_steps", "max_steps", "save_steps", "lora_r",
                                               "lora_alpha", "lora_dropout", "lora_targets", "shared_prefix",
                                               "no_eval", "resplit", "no_call_reply", "augment")},
        "max_length": max_length, "precision": str(precision).removeprefix("torch."),
        "output_repo": output_repo, "private": private, "row_files_uploaded": bool(output_repo and args.push_data),
    }


def training_metrics(result, trainer, interrupted: bool) -> dict:
    metrics = {"train": {**result.metrics, "steps": result.global_step},
               "loss_per_step": [{"step": entry["step"], "loss": entry["loss"]}
                                 for entry in trainer.state.log_history if "loss" in entry],
               "eval_loss_per_epoch": [{"epoch": entry["epoch"], "eval_loss": entry["eval_loss"]}
                                       for entry in trainer.state.log_history if "eval_loss" in entry]}
    if interrupted:
        metrics["interrupted"] = True
    return metrics


def main(argv=None) -> int:
    require(REQUIREMENTS)
    args = parse_args(argv)
    tools = load_tools(args.tools)
    examples, report = load_examples(args.dataset, tools)
    splits = split_rows(examples, tools, args)
    refuse_adapter_model(args)
    if args.trackio_project:
        require_package("trackio", "--trackio-project", "train_functiongemma.py")
    output_repo, private = resolve_output_repo(args, hf_token())
    in_job = bool(os.environ.get("JOB_ID"))
    if output_repo:
        print(f"the result will be pushed to the {'private' if private else 'public'} repo "
              f"https://huggingface.co/{output_repo} ({'with' if args.push_data else 'without'} the row files)",
              flush=True)  # a Job's log must show it even if the Job dies next
        if args.public and private:
            print("(--public is ignored: a repo named automatically is always private)")
        if in_job:
            print(f"checkpoints go to {output_repo}/{HUB_CHECKPOINT}; if this Job stops early, run it again with "
                  f"--output-repo {output_repo} --resume-from-checkpoint", flush=True)
    checkpoint = resolve_checkpoint(args, output_repo)
    no_call_rows = {name: sum(example.call is None for example in rows) for name, rows in splits.items()}
    print(f"{len(examples)} examples ({sum(example.call is None for example in examples)} no-call): "
          f"{len(splits['train'])} train ({no_call_rows['train']} no-call), "
          f"{len(splits['validation'])} validation, {len(splits['heldout'])} held out")
    warning = no_call_warning(splits["train"])
    if warning:
        print(f"warning: {warning}", file=sys.stderr)
    print("suspect rows (name a tool or an identifier-like value, or read like a generation prompt): "
          + ", ".join(f"{name} {count_suspect(rows, tools)}" for name, rows in splits.items()))

    renderings, guard = 1, None
    trained_rows = dict(splits)
    if args.augment:
        trained_rows["train"], renderings, guard = augment_rows(splits["train"], splits["heldout"], args.seed)
        print(f"augmentation: each of the {len(splits['train'])} training rows as "
              f"{', '.join(AUGMENT_RENDERINGS)}, one per epoch in turn ({AUGMENT_FILLER_SHARE:.0%} of the spoken "
              f"and typed after a filler or wake word); --no-augment to turn it off")
        if guard["rows_dropped"]:
            print(f"warning: {guard['rows_dropped']} training rows not trained on: each is a held-out row in another "
                  "rendering, or one of its variants is", file=sys.stderr)

    tokenizer = load_tokenizer(args.model, tools, examples[0], args.allow_template_mismatch, args.no_call_reply)
    check_special_tokens(tokenizer, tools, examples, args.no_call_reply, args.tools or "bundled tools")
    check_prompt_size(tokenizer, tools, trained_rows, args)
    encoded = encode_rows(tokenizer, tools, trained_rows, args.no_call_reply)
    max_length = checked_max_length(trained_rows, encoded, args.max_length)
    record = save_split(args.output_dir, tools, report.sources, splits, args.seed, args.test_split, args.resplit,
                        args.max_examples)

    import torch
    precision = training_precision()
    config = training_config(args, report.sources, tools, splits, max_length, precision, output_repo, private)
    config.update(heldout_from=record["heldout_from"], no_call_rows=no_call_rows,
                  augmentation=augmentation_record(args.augment, trained_rows["train"], renderings, guard))
    write_json_report(os.path.join(args.output_dir, "training_config.json"), config)

    # A full fine-tune keeps fp32 weights (bf16 autocast where the GPU has it): lr 5e-5 steps are
    # below bf16's resolution for most weights. LoRA trains fp32 adapters on the frozen base as loaded.
    model, _ = load_model(args.model, dtype=torch.float32 if args.method == "full" else precision)
    if args.method == "full":  # every weight trains: an adapter (--model ADAPTER) comes back merged and frozen
        model.requires_grad_(True)
    print(f"method {args.method}: {sum(p.numel() for p in model.parameters()):,} weights in the model, lr {args.lr:g}, "
          f"{args.epochs:g} epochs, warmup {args.warmup:g}"
          + (f" (method defaults: {', '.join(args.defaults)})" if args.defaults else ""))
    datasets = {name: training_dataset(encoded[name]) for name in ("train", "validation")}
    interrupt = StopOnInterrupt()
    callbacks = [interrupt.callback()]
    if in_job and output_repo:  # the Job's disk may vanish at any step: keep the latest checkpoint on the Hub
        callbacks.append(checkpoint_pusher(output_repo, private, args.model, args.method))
    trainer = build_trainer(args, model, tokenizer, datasets, max_length, precision, callbacks, renderings)
    if checkpoint:
        print(f"resuming from {checkpoint}")
    with interrupt:
        result = trainer.train(resume_from_checkpoint=checkpoint)
    if args.method == "full":  # the trainer switched the cache off for training; the saved model generates
        trainer.model.config.use_cache = True
    trainer.save_model(args.output_dir)
    stale = [name for name in set(RESULT_FILES) - set(method_files(RESULT_FILES, args.method))
             if os.path.exists(os.path.join(args.output_dir, name))
             and not (os.path.isdir(args.model) and os.path.samefile(args.model, args.output_dir))]
    for name in stale:  # an earlier run of the other method: evaluation would load its files instead
        os.remove(os.path.join(args.output_dir, name))
    if stale:
        print(f"removed {', '.join(sorted(stale))} of an earlier --method {'full' if args.method == 'lora' else 'lora'} "
              f"run from {args.output_dir}")

    metrics = training_metrics(result, trainer, interrupt.requested)
    if not interrupt.requested and not args.no_eval and (splits["validation"] or splits["heldout"]):
        # the model is saved: a merged adapter generates as fast as a plain model; a full fine-tune is
        # scored in the precision evaluation loads it in
        trained = (trainer.model.merge_and_unload() if args.method == "lora" else trainer.model.to(precision)).eval()
        if splits["validation"]:
            config["call_margin"] = choose_call_margin(evaluate(trained, tokenizer, tools, splits["validation"],
                                                                no_call_reply=args.no_call_reply))
            write_json_report(os.path.join(args.output_dir, "training_config.json"), config)
            print("\n".join(describe_call_margin(config["call_margin"])))
            apply_call_margin(trained, tokenizer, config["call_margin"]["value"])
    if not interrupt.requested and not args.no_eval and splits["heldout"]:
        heldout = evaluate(trained, tokenizer, tools, splits["heldout"], no_call_reply=args.no_call_reply)
        per_rendering = ", ".join(f"{name} {percent(values['combined_accuracy'])} (false calls "
                                  f"{percent(values['false_call_rate'])}, missed {percent(values['missed_call_rate'])})"
                                  for name, values in heldout["renderings"].items())
        print(f"held-out: ROBUST {percent(heldout['robust_accuracy'])} (right in every rendering); {per_rendering}; "
              f"{heldout['rendering_sensitive_rows']} rows change answer with the rendering alone"
              + (f"; call margin {heldout['call_margin']:.4g} applied" if heldout["call_margin"] else ""))
        # numbers only: the worst examples would publish held-out messages without --push-data
        metrics["heldout"] = {key: value for key, value in heldout.items()
                              if key not in ("predictions", "predictions_by_rendering", "worst_examples",
                                             "rendering_sensitive_examples")}
        print(f"held-out: combined {percent(heldout['combined_accuracy'])}, tool {percent(heldout['tool_accuracy'])}, "
              f"argument {percent(heldout['argument_accuracy'])} on {heldout['examples']} rows "
              f"({heldout['examples_per_second']:.2f} rows/s); call rows {percent(heldout['call_accuracy'])}, "
              f"irrelevance {percent(heldout['irrelevance_accuracy'])}, "
              f"FALSE CALLS {percent(heldout['false_call_rate'])} of {heldout['no_call_rows']} no-call rows")
        if "without_suspect" in heldout:
            clean = heldout["without_suspect"]
            print(f"held-out without the {heldout['suspect_rows']} suspect rows: combined "
                  f"{percent(clean['combined_accuracy'])}, tool {percent(clean['tool_accuracy'])} on {clean['examples']} rows")
    write_json_report(os.path.join(args.output_dir, "metrics.json"), metrics)
    names = [name for name in method_files(RESULT_FILES, args.method) if name != "README.md"]
    uploads = hub_files(args.output_dir, names + list(ROW_FILES if args.push_data else []), args.model)
    model_card(args, config, metrics, sorted(uploads) + ["README.md"]).save(os.path.join(args.output_dir, "README.md"))
    print(f"saved the {'adapter' if args.method == 'lora' else 'model'}, metrics and model card to {args.output_dir}")
    if args.json:
        write_json_report(args.json, {"config": config, "metrics": metrics})
    if interrupt.requested:
        print(f"interrupted: resume with --resume-from-checkpoint --output-dir {args.output_dir}", file=sys.stderr)
        return 130
    if output_repo:
        uploads["README.md"] = os.path.join(args.output_dir, "README.md")
        push_to_hub(uploads, output_repo, f"train_functiongemma.py: {'adapter' if args.method == 'lora' else 'model'}, "
                    "metrics, card", private=private)
    return 0


# --- begin _cli.py (vendored: what this script uses of it; edit _cli.py, then run python dev/sync_vendored.py) ---
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
# --- end _cli.py ---


# --- begin _bundled.py (vendored: what this script uses of it; edit _bundled.py, then run python dev/sync_vendored.py) ---
"""The bundled cycling-copilot tools and seeds, generated from cycling-copilot-tools.json and
cycling-copilot-seeds.csv by dev/sync_vendored.py: edit those files, never this one."""

BUNDLED_TOOLS_JSON = r'''[
  {
    "type": "function",
    "function": {
      "name": "get_ride_status",
      "description": "Current ride numbers: speed, distance, elevation, battery or elapsed time.",
      "parameters": {
        "properties": {
          "query": {
            "description": "Which number; all for a summary.",
            "enum": ["all", "speed", "distance", "elevation", "battery", "time"],
            "type": "string"
          }
        },
        "required": [
          "query"
        ],
        "type": "object"
      }
    }
  },
  {
    "type": "function",
    "function": {
      "name": "get_segment_ahead",
      "description": "The upcoming stretch of the planned route: climbs, turns, surface.",
      "parameters": {
        "properties": {
          "query": {
            "description": "How far ahead to look.",
            "enum": ["5km", "10km", "20km", "next_section"],
            "type": "string"
          }
        },
        "required": [
          "query"
        ],
        "type": "object"
      }
    }
  },
  {
    "type": "function",
    "function": {
      "name": "get_weather_forecast",
      "description": "Weather here now, later along the route, or the wind.",
      "parameters": {
        "properties": {
          "query": {
            "description": "current here, ahead on the route, or wind.",
            "enum": ["current", "ahead", "wind"],
            "type": "string"
          }
        },
        "required": [
          "query"
        ],
        "type": "object"
      }
    }
  },
  {
    "type": "function",
    "function": {
      "name": "find_nearby_poi",
      "description": "Find a nearby place to stop.",
      "parameters": {
        "properties": {
          "query": {
            "description": "Kind of place.",
            "enum": ["water", "cafe", "food", "bike_shop", "rest_area", "shelter", "any"],
            "type": "string"
          }
        },
        "required": [
          "query"
        ],
        "type": "object"
      }
    }
  },
  {
    "type": "function",
    "function": {
      "name": "get_route_alternatives",
      "description": "Re-route the ride with a constraint.",
      "parameters": {
        "properties": {
          "query": {
            "description": "What the new route should favour.",
            "enum": ["flatter", "shorter", "paved", "scenic", "sheltered", "avoid_main_roads"],
            "type": "string"
          }
        },
        "required": [
          "query"
        ],
        "type": "object"
      }
    }
  },
  {
    "type": "function",
    "function": {
      "name": "get_rider_profile",
      "description": "The rider's usual fitness level and riding preferences.",
      "parameters": {
        "properties": {
          "query": {
            "description": "fitness, preferences, or all.",
            "enum": ["fitness", "preferences", "all"],
            "type": "string"
          }
        },
        "required": [
          "query"
        ],
        "type": "object"
      }
    }
  }
]
'''
BUNDLED_SEEDS_CSV = r'''"user_message","tool_calls","boundary"
"speedo reading?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"How quick am I rolling at the moment","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"¿Qué velocidad llevo en este llano?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"velocidad actual","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"Feels like I'm crawling on this drag, what's my speed","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"Am I holding 30 km/h on the flat or not?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"km covered so far","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"¿Cuántos kilómetros llevo?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"How many miles have I put in since we left","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"distance done","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"Dime la distancia recorrida hasta ahora","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"Hey, quick one, how far have I ridden since leaving the house?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"What altitude are we at","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"How high up am I right now?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"¿A qué altitud estamos?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"altitud","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"How many metres of climbing have I done on this ride","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"elevation gained so far","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"Is my e-bike going to die before home?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"nivel de batería del motor","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"How much juice is left in the motor?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"charge left on the e-bike?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"¿Me queda carga suficiente en la batería?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"Should I drop to eco mode? How's the charge looking","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"How long have I been in the saddle today","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"elapsed time","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"¿Cuánto tiempo llevo pedaleando?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"How many hours have we been out?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"Tiempo transcurrido de la salida","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"What's the clock on this ride so far?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"Give me the full rundown of this ride","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"stats","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"Resumen de la salida, por favor","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"Read me all my ride numbers: speed, distance, the lot","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"¿Cómo va la ruta en general? Dame todos los datos","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"Quick overview of today's ride so far","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"What's the next 5k like","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"5k ahead?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"¿Qué hay en los próximos cinco kilómetros?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"Anything tricky within the next five km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"Show me the road for the coming 5 km","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"Próximos 5 km: ¿subida o bajada?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"10 km preview","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"What's coming in the next ten kilometres","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"10k ahead?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"Describe the next 10 km of the route, turns and surface","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"¿Cómo son los próximos diez kilómetros?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"Qué me espera en los siguientes 10 km","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"Anything nasty in the next twenty kilometres?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"20k ahead?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"Give me the big picture for the next 20 km","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"Is there a long climb somewhere in the next 20km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"¿Qué me espera en los próximos 20 kilómetros?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"Avance de los siguientes veinte km de la ruta","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"¿Qué viene en el próximo tramo?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"What comes after this descent?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"next section?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"Is the next bit gravel or tarmac?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"Any sharp turns on the upcoming stretch?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"Cómo es el siguiente segmento","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"¿Hace frío aquí ahora mismo?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"How cold is it out here right now?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"conditions right here?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"Is it actually raining here or is that just spray off the road?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"Temperatura ahora mismo","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"What's the weather doing where I am at the moment","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"Will I get soaked later on the route?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"Any storms further along the route this afternoon?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"weather ahead","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"¿Va a llover más adelante en la ruta?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"Should I keep the rain jacket handy for the second half of the ride?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"El pronóstico para el resto del recorrido","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"what's the wind doing","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"Which way is the wind blowing?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"How strong are the gusts today?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"¿De dónde sopla el viento?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"viento","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"Will I have a tailwind on the way back?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"I'm out of water","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"agua","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"Where can I refill my bottles?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"Fountain nearby?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"Necesito rellenar los bidones","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"So thirsty, is there a tap anywhere close","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"Espresso stop nearby?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"Café cerca","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"Find me a coffee shop for a quick cortado","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"Could murder a flat white right now","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"¿Hay alguna cafetería por aquí?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"cafe stop","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"I'm starving","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"I'm bonking, I need real food, not gels","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"Where can I grab a proper lunch?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"comida","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"Tengo hambre, ¿dónde puedo comer algo?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"Somewhere to eat a sandwich around here?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"My derailleur just snapped","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"My chain snapped","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"Se me ha roto un radio, necesito un taller","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"nearest bike mechanic","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"I need a new inner tube and I've already used my spare","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"Pinché y no llevo cámara de repuesto","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"Somewhere to sit down for ten minutes?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"rest stop","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"Need a bench to stretch my back","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"área de descanso más cercana","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"¿Dónde puedo parar a descansar un rato?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"Find a picnic spot where I can lie down for a bit","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"It's hailing, I need cover now","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"storm shelter nearby","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"Where can I get under a roof until the storm passes?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"Lightning's close, I need somewhere to hide","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"Está diluviando, ¿dónde me puedo refugiar?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"Un refugio cerca, rápido","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"Any place at all to stop around here?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"Whatever's closest, I just need to stop","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"What's nearby?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"points of interest near me","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"¿Qué hay cerca para parar?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"Cualquier sitio para parar me vale","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"My legs are cooked, avoid the hills","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"flatter route","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"No more climbing today please","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"Quiero una ruta sin tanto desnivel","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"Evita las cuestas, estoy reventado","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"Find me a way back with less climbing","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"Cut the ride short, I need to get back","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"shortcut?","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"Running late, trim some kilometres off the route","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"Atajo","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"Busca una ruta más corta, tengo prisa","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"I'm losing daylight, give me a shorter loop","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"No more gravel, tarmac only","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"paved roads only","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"Keep me on asphalt, I'm on skinny tyres","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"Solo asfalto, por favor","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"Sácame de esta pista de tierra","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"This dirt track is shaking my bike apart, find smooth road","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"Take me somewhere pretty","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"scenic route","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"Route me along the coast for the views","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"Ruta bonita","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"Llévame por un camino con buenas vistas","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"I'm in no hurry, show me the nicest roads","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"Route me out of this headwind","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"sheltered route please","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"Find a route that's protected from the wind","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"Llévame por un camino más resguardado del viento","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"Take the road through the woods, out of these crosswinds","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"Cambia la ruta, este viento lateral me está matando","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"Quiero evitar las carreteras principales","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"Too many lorries here, get me off the main road","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"quiet roads only","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"Route me around the highway","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"Sin carreteras nacionales","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"These cars are passing scary close, find me back lanes","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"How fit am I these days?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"What's my FTP?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"¿Cuál es mi nivel de forma?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"fitness level","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"Am I in better shape than last month?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"¿Cómo ando de forma últimamente?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"What kind of rides do I usually like?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"my preferences","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"Do I prefer road or gravel?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"What distance and terrain do I normally go for?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"¿Qué tipo de rutas prefiero?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"Mis preferencias de ruta","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"Muéstrame mi perfil completo de ciclista","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"Tell me everything you know about me as a cyclist","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"full rider profile","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"Who am I as a rider? Fitness, likes, everything","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"Resumen de mi perfil: forma física y gustos","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"Load my whole profile","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"uh how fast am i going right now","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"whats my speed on this bit?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"hey copilot how quick are we rolling","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"oye a cuánto voy","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"¿qué velocidad llevo ahora?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"vale pues dime a qué velocidad voy","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"what speed am i doing now","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"¿A cuántos kilómetros por hora voy?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"how many k have i done?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"um how far have we come so far","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"¿cuántos km llevamos?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"cuántos kilómetros llevo hoy","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"How much distance have I covered today?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"eh cuánta distancia llevo hecha","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"how much climbing have i done","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"whats the altitude here?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"cuánto desnivel llevo acumulado","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"a ver a qué altura estamos","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"how high are we above sea level","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"What's my total climbing for today?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"a qué altitud voy ahora","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"uh hows the battery doing","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"how much charge is left in the motor","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"¿cuánta batería me queda?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"oye la batería me llega hasta casa","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"What percentage is the e-bike battery on?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"cuánta carga le queda al motor","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"how long have we been riding?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"hey copilot how long have i been out today","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"¿cuánto rato llevo en la bici?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"eh cuántas horas llevamos rodando","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"how long since we set off","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"¿Cuánto tiempo llevamos fuera de casa?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"Hey copilot, what's my ride time so far?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"give me all my numbers","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"uh quick summary of the ride so far","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"dame un resumen de cómo voy","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"oye léeme todos los datos de la salida","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"Read out all my ride data.","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"Dame todas las cifras de la salida.","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"whats the next five k look like?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"uh anything hard in the next 5 km","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"¿qué me espera en los próximos cinco km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"oye cómo son los siguientes cinco kilómetros","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"whats coming up in the next 5k","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"¿Cómo es la carretera en los próximos 5 km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"Is the next five kilometres mostly uphill?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"what have i got in the next ten k","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"hey copilot preview the next 10 km","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"qué me toca en los próximos diez km","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"cómo viene la ruta en los siguientes 10 km","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"What does the route do over the next 10 kilometres?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"oye qué hay en los siguientes diez kilómetros","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"whats the road like for the next twenty k","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"um any big climbs in the next 20 km","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"¿qué perfil tienen los próximos 20 km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"oye hay algún puerto en los próximos veinte kilómetros","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"show me the next twenty kilometres of the route","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"¿Hay alguna subida fuerte en los próximos veinte kilómetros?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"whats after this bit?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"uh is the next stretch gravel","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"qué viene después de esta bajada","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"oye cómo es el siguiente tramo","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"any turns coming up on this next part","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"What's the surface like on the upcoming stretch?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"What does the road do after this village?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"cómo es el tramo que viene","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"hows the weather right here","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"is it cold out right now?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"¿qué tiempo hace aquí?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"oye qué temperatura hace ahora","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"What's it like outside right now, weather-wise?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"cómo está el cielo aquí ahora mismo","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"um whats the weather like here at the moment","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"is it going to rain later on","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"hey copilot any rain further along","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"¿va a llover luego en la ruta?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"vale pues qué tiempo me espera más adelante","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"Is the weather going to turn later along the route?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"qué tiempo hará en la segunda mitad de la ruta","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"hows the wind?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"uh which way is the wind coming from","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"¿cómo sopla el viento?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"oye cuánto viento hace hoy","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"is there much wind today","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"¿Qué fuerza tiene el viento hoy?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"Is the wind picking up or dying down?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"uh wheres the nearest tap","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"need to fill my bottles","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"¿dónde hay una fuente?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"oye necesito agua","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"Both bottles are empty, any fountains around?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"¿Hay algún grifo de agua potable cerca?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"wheres a good coffee stop?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"hey copilot find me a cafe","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"hay algún bar para tomar un café","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"oye me tomaría un cortado por aquí","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"Is there a coffee place around here?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"busca una cafetería cerca","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"hey copilot i fancy a cappuccino somewhere close","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"i need something to eat","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"uh anywhere to get a sandwich","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"¿dónde puedo comer algo?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"vale pues busca sitio para comer","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"Where's the nearest place to get a proper meal?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"busca un restaurante por aquí","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"Oye, ¿hay algún sitio para comer un bocadillo?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"i need a bike shop","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"uh rear mech is busted find a mechanic","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"necesito un taller de bicis","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"oye se me ha roto la cadena","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"need a mechanic my wheel is buckled","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"¿Hay alguna tienda de bicis cerca? Necesito una cubierta.","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"where can i sit down?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"uh somewhere to rest for a bit","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"¿dónde puedo sentarme un rato?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"busca un sitio para descansar","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"Is there a lay-by or bench where I can take a breather?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"necesito parar a descansar un poco","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"find me somewhere to sit and rest my legs","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"i need to get out of this rain","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"hey copilot somewhere to shelter quick","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"dónde me resguardo de la tormenta","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"oye está granizando busca dónde meterme","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"Where can I wait out this downpour?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"busca algún sitio techado que viene la tormenta","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"anywhere to stop around here?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"uh whats close by","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"¿qué hay por aquí cerca?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"cualquier sitio para parar","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"what places are around me","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"¿Qué sitios hay cerca de aquí?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"get me a way round with fewer hills","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"uh no more big climbs please","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"llévame por lo llano","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"evita las subidas, porfa","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"Can you find a route home that skips the climbs?","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"busca un camino más llano","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"reroute me around that big hill","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"cut it short i need to get home","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"uh whats the quickest way back","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"acorta la ruta","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"vale pues recorta unos kilómetros","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"Can you knock a few kilometres off the ride?","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"venga busca un atajo para volver","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"get me off the gravel","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"uh tarmac only from here","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"sácame de la tierra","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"oye solo carretera asfaltada","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"keep me on smooth tarmac the rest of the way","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"¿Puedes evitar los caminos sin asfaltar?","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"take the pretty way","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"hey copilot route me somewhere with views","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"llévame por el camino más bonito","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"a ver llévame por la costa para ver el paisaje","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"Give me a more beautiful way home, I'm not in a rush.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"quiero una ruta con paisaje","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"route me past the lake for the views","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"uh route me somewhere less windy","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"take the road through the trees away from the wind","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"busca una ruta sin tanto viento","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"oye llévame por donde no pegue el viento","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"This crosswind is brutal, can you find a more protected road?","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"oye busca una ruta protegida del viento","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"take the back roads","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"uh keep me off the busy roads","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"sácame de la nacional","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"vale pues llévame por carreteras secundarias","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"Take me on quieter lanes away from the traffic.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"llévame por caminos con menos tráfico","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"um avoid the big roads from here on","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"hows my fitness looking?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"uh am i getting any fitter","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"¿cómo estoy de forma?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"Oye, ¿qué tal mi forma física?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"how strong am i compared to a few weeks ago","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"¿Estoy en buena forma ahora mismo?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"what do i normally like to ride","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"remind me what kind of routes i like","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"¿qué rutas me suelen gustar?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"oye recuérdame mis preferencias","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"Which kind of terrain do I usually prefer?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"qué tipo de salidas me gustan","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"what sort of roads do i enjoy riding","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"tell me about my rider profile","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"uh pull up my whole profile","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"enséñame mi perfil entero","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"oye qué sabes de mí como ciclista","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"Show me everything in my rider profile.","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"a ver enséñame todo mi perfil","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"Hey copilot, is it windy out there?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"Okay, let's skip the big hills on the way home.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"So, where can I top up my bottles?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"Vale, ¿cuántos kilómetros van ya?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"Bueno, ¿qué viene ahora en la ruta?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"Oye, ¿hay algún sitio para resguardarme de la lluvia?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"Hey, what sort of riding do I like?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"thanks","[]",""
"ok","[]",""
"Cool.","[]",""
"never mind","[]",""
"you're the best","[]",""
"Good morning!","[]",""
"got it","[]",""
"perfect thank you","[]",""
"nice one","[]",""
"alright cheers mate","[]",""
"haha love it","[]",""
"Tell me a joke!","[]",""
"¡Gracias!","[]",""
"vale","[]",""
"¡Buenos días!","[]",""
"genial, gracias","[]",""
"perfecto","[]",""
"eres un crack","[]",""
"de acuerdo","[]",""
"olvídalo","[]",""
"Play some music.","[]",""
"skip this song","[]",""
"Call Ana.","[]",""
"text Mark I'm late","[]",""
"Navigate to 221 Baker Street.","[]",""
"set a timer for ten minutes","[]",""
"wake me up at six tomorrow","[]",""
"Take a photo.","[]",""
"play the next episode of my podcast","[]",""
"turn the volume up","[]",""
"read me my last message","[]",""
"pon algo de rock","[]",""
"Llama a mamá.","[]",""
"manda un mensaje a Pedro que llego tarde","[]",""
"pon un temporizador de cinco minutos","[]",""
"Haz una foto.","[]",""
"siguiente canción","[]",""
"llévame a la calle Mayor 12","[]",""
"pon mi podcast de historia","[]",""
"how many calories have I burned","[]",""
"What's my heart rate?","[]",""
"what's my cadence right now","[]",""
"How many watts am I pushing?","[]",""
"What's the capital of France?","[]",""
"What pressure should I run my tyres at?","[]",""
"any news today","[]",""
"what's the score of the match","[]",""
"how many calories in a banana","[]",""
"Who won the Tour de France last year?","[]",""
"what's today's date","[]",""
"cuántas calorías he quemado","[]",""
"a cuántas pulsaciones voy","[]",""
"qué cadencia llevo","[]",""
"¿Cuántos vatios estoy moviendo?","[]",""
"¿Cuál es la capital de Francia?","[]",""
"¿A qué presión inflo las ruedas?","[]",""
"cómo va el partido","[]",""
"¿Cuántas calorías tiene un plátano?","[]",""
"uh","[]",""
"um so","[]",""
"the the","[]",""
"hey copilot","[]",""
"can you","[]",""
"eh","[]",""
"mmm","[]",""
"what was I","[]",""
"hhh shh","[]",""
"hold on","[]",""
"so uh yeah","[]",""
"is it the","[]",""
"oye","[]",""
"a ver","[]",""
"oye copiloto","[]",""
"puedes","[]",""
"qué era lo que","[]",""
"ehh pues","[]",""
"espera espera","[]",""
"y el el","[]",""
"I already had water.","[]",""
"no need to reroute","[]",""
"the café was great","[]",""
"don't tell me the weather","[]",""
"I don't need a bike shop anymore.","[]",""
"forget the forecast","[]",""
"we already stopped for coffee","[]",""
"no thanks I'll stay on this road","[]",""
"I'm not hungry yet","[]",""
"I love this route!","[]",""
"ya he comido","[]",""
"No hace falta cambiar la ruta.","[]",""
"Ya tengo agua.","[]",""
"El café estaba buenísimo.","[]",""
"no me digas el tiempo","[]",""
"ya no necesito un taller","[]",""
"olvida la previsión","[]",""
"no quiero saber la distancia","[]",""
"nearly there now","[]",""
"That descent was fun!","[]",""
"my legs are cooked","[]",""
"What a view.","[]",""
"last climb done","[]",""
"Made it to the top!","[]",""
"feeling strong today","[]",""
"we're flying on this bit","[]",""
"Great ride so far.","[]",""
"just saw a deer","[]",""
"The sun's finally out.","[]",""
"that was a long climb","[]",""
"This is my favourite stretch.","[]",""
"my knee feels fine today","[]",""
"New personal best on that hill!","[]",""
"i'm really enjoying this","[]",""
"Just crossed the bridge.","[]",""
"we're halfway","[]",""
"uh nearly at the top now","[]",""
"so yeah that descent was fun","[]",""
"okay that was a tough one","[]",""
"Phew, what a climb.","[]",""
"Beautiful morning for it.","[]",""
"the tailwind on that stretch was amazing","[]",""
"ya casi estamos","[]",""
"¡Qué bajada más buena!","[]",""
"tengo las piernas reventadas","[]",""
"Menudas vistas.","[]",""
"ya he coronado el puerto","[]",""
"hoy voy fino","[]",""
"¡Qué gozada de carretera!","[]",""
"vamos volando","[]",""
"llevo un buen ritmo","[]",""
"ha salido el sol","[]",""
"bueno esta subida ha sido durísima","[]",""
"me encanta este tramo","[]",""
"Ya llevamos la mitad.","[]",""
"Acabo de ver un zorro.","[]",""
"¡Qué día más bueno hace!","[]",""
"oye qué bien se rueda hoy","[]",""
"uf qué subida","[]",""
"pues ya hemos pasado lo peor","[]",""
"I already found water.","[]",""
"No need to change the route, thanks.","[]",""
"I don't want a café.","[]",""
"Don't look for a bike shop, I fixed it.","[]",""
"we've already eaten","[]",""
"I don't need the forecast.","[]",""
"I filled my bottles at the last village","[]",""
"The puncture's fixed, all good.","[]",""
"Don't reroute me.","[]",""
"forget the café we'll push on","[]",""
"no I don't want to stop","[]",""
"I've already checked the wind.","[]",""
"we found a place to eat","[]",""
"Cancel the reroute.","[]",""
"Don't tell me my speed, it's depressing.","[]",""
"I don't care about the elevation.","[]",""
"The rain has passed, no need for shelter.","[]",""
"uh no I'm fine for water","[]",""
"hey copilot don't change anything","[]",""
"Ya he encontrado agua.","[]",""
"No quiero parar en un café.","[]",""
"no me busques taller, ya lo he arreglado","[]",""
"ya hemos comido","[]",""
"No cambies la ruta.","[]",""
"no hace falta refugio ya ha parado de llover","[]",""
"vale ya he rellenado los bidones","[]",""
"no me digas la velocidad","[]",""
"ya sé cómo sopla el viento","[]",""
"eh no necesito parar","[]",""
"déjalo, ya no tengo hambre","[]",""
"pues no me interesa el desnivel","[]",""
"vale pues no cambies nada","[]",""
"Play my cycling playlist.","[]",""
"pause the music","[]",""
"Turn on my rear light.","[]",""
"turn off the front light","[]",""
"Start a timer for twenty minutes.","[]",""
"Take a selfie!","[]",""
"record a video","[]",""
"Navigate to 14 Church Lane.","[]",""
"directions to Hyde Park","[]",""
"Send Tom my location.","[]",""
"Answer the call.","[]",""
"Hang up the call.","[]",""
"reply to Sarah on WhatsApp","[]",""
"Remind me to buy inner tubes tonight.","[]",""
"set an alarm for seven","[]",""
"Start recording on Strava.","[]",""
"Read my emails.","[]",""
"Turn the volume down.","[]",""
"shuffle my liked songs","[]",""
"Open Spotify.","[]",""
"What's this song?","[]",""
"add milk to my shopping list","[]",""
"ring my wife","[]",""
"uh play something upbeat","[]",""
"hey copilot call home","[]",""
"okay skip this track","[]",""
"Llama a Javi.","[]",""
"pon música","[]",""
"Para la música.","[]",""
"Enciende la luz trasera.","[]",""
"apaga las luces","[]",""
"Pon una alarma a las siete.","[]",""
"¡Hazme un selfie!","[]",""
"Graba un vídeo.","[]",""
"llévame a la calle Alcalá 40","[]",""
"Manda mi ubicación a Lucía.","[]",""
"Contesta la llamada.","[]",""
"cuelga la llamada","[]",""
"Recuérdame comprar cámaras esta noche.","[]",""
"sube el volumen","[]",""
"oye léeme los correos","[]",""
"abre Spotify","[]",""
"vale pon la radio","[]",""
"¿Qué canción es esta?","[]",""
"Responde a Pablo por WhatsApp.","[]",""
"oye pon algo de música","[]",""
"vale pues llama a mi madre","[]",""
"What's my cadence?","[]",""
"How many watts was that?","[]",""
"what's my average power","[]",""
"Heart rate?","[]",""
"am I in zone two","[]",""
"What gear am I in?","[]",""
"which cog am I on","[]",""
"When's sunset?","[]",""
"how long until it gets dark","[]",""
"How many calories was that climb?","[]",""
"What should my tyre pressure be?","[]",""
"What's the sea temperature today?","[]",""
"how many miles to Madrid from here","[]",""
"What's the weather in Paris?","[]",""
"what's my max heart rate","[]",""
"How's my left right balance?","[]",""
"what time is sunset today","[]",""
"what's the speed limit here","[]",""
"Which gear should I use for this climb?","[]",""
"uh what's my cadence at","[]",""
"hey copilot what's my heart rate doing","[]",""
"um how many calories so far","[]",""
"cadencia media","[]",""
"oye cuántos vatios he hecho en la subida","[]",""
"¿Mis pulsaciones?","[]",""
"¿En qué zona de pulso voy?","[]",""
"qué marcha llevo","[]",""
"¿En qué piñón voy?","[]",""
"¿A qué hora es la puesta de sol?","[]",""
"cuántas calorías llevo","[]",""
"¿A cuánto está el agua del mar?","[]",""
"¿A cuántos kilómetros está Valencia?","[]",""
"oye qué tiempo hace en Bilbao","[]",""
"¿Qué potencia media llevo?","[]",""
"cuál es el límite de velocidad aquí","[]",""
"oye cuántas pulsaciones llevo","[]",""
"eh a qué hora anochece","[]",""
"How do I fix a slipped chain?","[]",""
"how do you patch a tube","[]",""
"What's the capital of Portugal?","[]",""
"who won the Giro this year","[]",""
"What's 17 times 23?","[]",""
"What's the best chain lube?","[]",""
"should I wax my chain","[]",""
"How do I adjust my brakes?","[]",""
"why does my bike creak","[]",""
"What year did the Tour start?","[]",""
"What does bonking mean?","[]",""
"tell me a fun fact","[]",""
"uh how do I change a tube","[]",""
"¿Cómo arreglo una cadena salida?","[]",""
"cómo se parchea una cámara","[]",""
"¿Cuál es la capital de Portugal?","[]",""
"quién ganó la Vuelta el año pasado","[]",""
"a ver qué es una pájara","[]",""
"multiplica ocho por siete","[]",""
"pues cómo se ajustan los frenos","[]",""
"por qué me cruje la bici","[]",""
"oye quién ganó el Tour","[]",""
"Tell Marco to wait at the top.","[]",""
"text my sister I'm running late","[]",""
"tell the group to slow down","[]",""
"Ask Jess if she wants to stop.","[]",""
"let Dad know I'm on my way","[]",""
"Marco, wait up!","[]",""
"hey guys hold on","[]",""
"Let Jo know we'll be late.","[]",""
"tell Mum I'll be home by six","[]",""
"Tell the others I'll catch up.","[]",""
"go on without me","[]",""
"Guys, wait for me at the bridge.","[]",""
"car back","[]",""
"on your left","[]",""
"ask Carla where she parked","[]",""
"Dile a Marco que espere arriba.","[]",""
"oye dile a mi hermana que llego tarde","[]",""
"pregúntale a Lucía si quiere parar","[]",""
"avisa a los demás de que voy detrás","[]",""
"¡Esperadme!","[]",""
"chicos coche detrás","[]",""
"Oye Javi, ¿tienes un gel?","[]",""
"dile a mamá que ya voy para casa","[]",""
"Avisa a Carlos de que llegamos en media hora.","[]",""
"id tirando que ya os pillo","[]",""
"Marta, ¿me pasas el bidón?","[]",""
"¡Cuidado, bache!","[]",""
"wait","[]",""
"Hmm, okay.","[]",""
"what was it","[]",""
"hang on a sec","[]",""
"um where","[]",""
"the the uh","[]",""
"and then","[]",""
"yeah","[]",""
"Sorry?","[]",""
"Hello?","[]",""
"uh huh","[]",""
"what about","[]",""
"one sec","[]",""
"er","[]",""
"Okay so...","[]",""
"espera","[]",""
"eh… bueno","[]",""
"a ver a ver","[]",""
"y luego","[]",""
"pues nada","[]",""
"¿Perdona?","[]",""
"mmm vale","[]",""
"es que","[]",""
"o sea","[]",""
"y el","[]",""
"¿Qué?","[]",""
"pues eso","[]",""
"Thanks a lot!","[]",""
"Cheers.","[]",""
"You're a legend.","[]",""
"how are you","[]",""
"Good night.","[]",""
"sounds good","[]",""
"Are you there?","[]",""
"Can you hear me?","[]",""
"what's your name","[]",""
"Who made you?","[]",""
"I'm bored.","[]",""
"That's wrong.","[]",""
"You're useless.","[]",""
"Thank you so much.","[]",""
"OK, great.","[]",""
"Brilliant.","[]",""
"no thanks","[]",""
"muchas gracias","[]",""
"¿Cómo estás?","[]",""
"¿Me oyes?","[]",""
"¿Cómo te llamas?","[]",""
"buenas noches","[]",""
"Qué majo eres.","[]",""
"Estoy aburrido.","[]",""
"eso está mal","[]",""
"no, nada","[]",""
"venga, gracias","[]",""
"¿Quién te ha hecho?","[]",""
"Cuéntame un chiste.","[]",""
"¡Hasta luego!","[]",""
"How far did I ride last Tuesday?","[]","time"
"what was my top speed on sundays ride","[]","time"
"How long was yesterday's ride?","[]","time"
"cuántos kilómetros hice el sábado","[]","time"
"¿Cuánto desnivel acumulé la semana pasada?","[]","time"
"how much climbing did i do last month","[]","time"
"what altitude is madrid at","[]","place"
"¿A qué altitud está Granada?","[]","place"
"How fast is Marco going?","[]","subject"
"how far has my brother ridden today","[]","subject"
"¿Cuánta batería le queda a la bici de Lucía?","[]","subject"
"cuánto tiempo lleva pedaleando mi hermana","[]","subject"
"Reset my distance to zero.","[]","action"
"share my speed with the group","[]","action"
"guarda los datos de esta salida","[]","action"
"Borra el tiempo de esta salida.","[]","action"
"switch the motor to eco mode","[]","action"
"How much battery does my phone have left?","[]","object"
"hows my phone battery","[]","object"
"¿Cuánta batería le queda al móvil?","[]","object"
"cuánta batería tiene el reloj","[]","object"
"What's the battery on my lights at?","[]","object"
"how much charge is left in my headphones","[]","object"
"whats the pressure in my back tyre","[]","object"
"My speed has been great today.","[]","remark"
"the battery is holding up really well","[]","remark"
"Llevo ya muchísimos kilómetros.","[]","remark"
"hoy voy rapidísimo","[]","remark"
"what's my top speed on this ride","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"How long is today's ride so far?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"cuántos kilómetros he hecho hoy","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"¿Cuánto desnivel he acumulado hoy?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"How much battery does my e-bike have left?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"¿Cuánta batería le queda a mi bici?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"what were the last ten kilometres like","[]","time"
"¿Cómo eran los últimos cinco kilómetros?","[]","time"
"What's the next 20 km of tomorrow's route like?","[]","time"
"qué me espera en los próximos diez km de la ruta del domingo","[]","time"
"how hilly was the stretch we just did","[]","time"
"whats the climb up mont ventoux like","[]","place"
"¿Cómo es la subida al Angliru?","[]","place"
"Describe the next 5 km of the Paris-Roubaix course.","[]","place"
"what does my friends route look like over the next 20 km","[]","subject"
"¿Qué le espera a Lucía en su próximo tramo?","[]","subject"
"Save the next 10 km as a segment.","[]","action"
"share the next twenty k with the group","[]","action"
"marca el siguiente tramo como favorito","[]","action"
"Rate the last section five stars.","[]","action"
"comparte el próximo tramo con el grupo","[]","action"
"whats the next 10 km like for phone signal","[]","object"
"¿Hay cobertura en los próximos veinte kilómetros?","[]","object"
"whats the speed limit on the next 5 km","[]","object"
"The next section looks steep.","[]","remark"
"uf los próximos diez kilómetros son todo subida","[]","remark"
"this next bit is going to hurt","[]","remark"
"Qué ganas de llegar al siguiente tramo.","[]","remark"
"Lovely, 20 km of downhill coming up.","[]","remark"
"what are the next ten kilometres like","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"¿Cómo son los próximos cinco kilómetros?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"What's the next 20 km of today's route like?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"how hilly is the stretch coming up","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"¿Es dura la subida que viene?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"is the next section steep","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"Will it snow on Thursday?","[]","time"
"what was the weather like yesterday","[]","time"
"¿Va a llover mañana?","[]","time"
"qué tiempo hará el fin de semana","[]","time"
"How windy was it this morning?","[]","time"
"will it be windy tomorrow","[]","time"
"What's the weather like in Seville right now?","[]","place"
"is it raining in london","[]","place"
"¿Hace viento en Tarifa?","[]","place"
"qué temperatura hace en madrid ahora","[]","place"
"Is it raining where my wife is?","[]","subject"
"is it cold where my sister lives","[]","subject"
"¿Llueve donde está mi madre?","[]","subject"
"Send the forecast to the group.","[]","action"
"set an alert for when the rain starts","[]","action"
"comparte el pronóstico con lucía","[]","action"
"Guarda la previsión de esta tarde.","[]","action"
"What's the pollen count?","[]","object"
"how high is the uv index right now","[]","object"
"¿Cómo está la calidad del aire?","[]","object"
"a qué hora sube la marea","[]","object"
"how many hours of daylight are left","[]","object"
"It's pouring down now.","[]","remark"
"wow the wind is brutal today","[]","remark"
"menudo calor hace hoy","[]","remark"
"Por fin ha dejado de llover.","[]","remark"
"the rain jacket was a good call","[]","remark"
"will it snow later on the route","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"What's the weather like here right now?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"¿Va a llover luego en el recorrido?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"is it raining here","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"¿Hace viento aquí ahora?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"how windy is it now","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"Where did we stop for coffee last Sunday?","[]","time"
"what was that cafe we went to yesterday","[]","time"
"¿Dónde comimos el sábado?","[]","time"
"dónde rellené los bidones la semana pasada","[]","time"
"find a cafe in lyon","[]","place"
"Is there a bike shop in Girona?","[]","place"
"¿Hay alguna fuente en el centro de Sevilla?","[]","place"
"busca un restaurante en barcelona para esta noche","[]","place"
"Where is Marco stopping for lunch?","[]","subject"
"find a cafe near my wifes office","[]","subject"
"¿Dónde ha parado a comer Lucía?","[]","subject"
"Call the nearest bike shop.","[]","action"
"book a table at the cafe","[]","action"
"Rate this café five stars.","[]","action"
"reserva mesa en el restaurante","[]","action"
"Llama al taller de bicis.","[]","action"
"save this fountain for next time","[]","action"
"Find me a hotel for tonight.","[]","object"
"is there a pharmacy nearby","[]","object"
"¿Hay una gasolinera cerca?","[]","object"
"busca un cajero cerca","[]","object"
"Where's the nearest train station?","[]","object"
"is there a hospital near here","[]","object"
"what a lovely little fountain","[]","remark"
"Hay muchas fuentes por esta zona.","[]","remark"
"this town has loads of cafes","[]","remark"
"Qué buena pinta tiene esa panadería.","[]","remark"
"where can we stop for coffee","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"Is there a bike shop near here?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"¿Dónde podemos comer por aquí?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"find a cafe near me","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"dónde puedo rellenar los bidones","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"Find the nearest bike shop.","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"Was yesterday's route flatter than this one?","[]","time"
"plan a scenic route for tomorrow","[]","time"
"¿Qué ruta hicimos el domingo?","[]","time"
"busca una ruta más llana para el sábado","[]","time"
"Which way did we go home last week?","[]","time"
"Find a flatter route around Mallorca.","[]","place"
"plan me a scenic ride in the dolomites","[]","place"
"¿Cuál es la ruta más corta de Madrid a Toledo?","[]","place"
"Find a shorter route for Ana.","[]","subject"
"give my dad a flatter way home","[]","subject"
"busca una ruta más llana para mi hermano","[]","subject"
"Save this route.","[]","action"
"share the route with the group","[]","action"
"Delete the scenic route I saved.","[]","action"
"guarda esta ruta en favoritos","[]","action"
"Valora esta ruta con cinco estrellas.","[]","action"
"export this route to my garmin","[]","action"
"Find me a route with more hills.","[]","object"
"make the ride longer","[]","object"
"llévame por la ruta más larga","[]","object"
"Give me a route with more gravel.","[]","object"
"Busca una ruta con más subidas.","[]","object"
"the back roads are so quiet today","[]","remark"
"Qué ruta más bonita.","[]","remark"
"this shortcut was a great idea","[]","remark"
"Esta carretera tiene unas vistas preciosas.","[]","remark"
"Find a flatter route than this one.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"take me the scenic way home","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"busca una ruta más llana para volver","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"Find a shorter route for me.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"give me a flatter way home","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"llévame por la ruta más corta","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"How fit was I last summer?","[]","time"
"what was my ftp a year ago","[]","time"
"¿Qué tal estaba de forma el año pasado?","[]","time"
"qué rutas me gustaban hace dos años","[]","time"
"What kind of rides do people like in Girona?","[]","place"
"qué rutas gustan en mallorca","[]","place"
"How fit is my sister?","[]","subject"
"what kind of rides does marco like","[]","subject"
"¿Cuál es el nivel de forma de Lucía?","[]","subject"
"qué rutas le gustan a mi padre","[]","subject"
"show me anas rider profile","[]","subject"
"Set my fitness level to beginner.","[]","action"
"change my preferences to gravel","[]","action"
"Delete my rider profile.","[]","action"
"actualiza mis preferencias a carretera","[]","action"
"Comparte mi perfil con el club.","[]","action"
"share my ftp with my coach","[]","action"
"what size is my bike frame","[]","object"
"¿Cuál es mi talla de maillot?","[]","object"
"whats my resting heart rate","[]","object"
"I've got a lot fitter this year.","[]","remark"
"i really love gravel rides","[]","remark"
"Estoy en baja forma.","[]","remark"
"me encantan las rutas de montaña","[]","remark"
"How fit am I right now?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"what kind of rides do i like","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"¿Qué nivel de forma tengo ahora?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"qué rutas me gustan a mí","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"show me my rider profile","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"whats my ftp these days","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"how far have i ridden so far","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"What's my speed on this ride?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"How long have I been riding today?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"¿Cuánto desnivel llevo en esta salida?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"how much climbing have i done on this ride","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"what altitude am i at","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"¿Cuánto tiempo llevo pedaleando hoy?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"hows the bike battery","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"cuánta batería le queda al motor de la bici","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"What's the e-bike battery at?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"how much charge is left on my bike","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"Is my battery holding up?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"¿Cuántos kilómetros llevo ya?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"what are the next five kilometres like","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"¿Cómo es la próxima subida de la ruta?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"What does the route do in the next ten km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"qué me espera en los próximos veinte km","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"Is the next bit going to hurt?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"how steep is the next section","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"¿Qué viene en los próximos diez kilómetros?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"Describe the next 5 km of my route.","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"cómo es el siguiente tramo de la ruta","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"any climbs in the next twenty k","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"What's the surface like on the next 20 km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"¿Los próximos cinco kilómetros son de subida?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"will it snow on the route later","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"What's the weather doing here right now?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"¿Va a llover más tarde en la ruta?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"qué tiempo hace aquí ahora","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"is it cold here right now","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"¿Llueve aquí ahora mismo?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"How windy is it right now?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"will it be windy later on the ride","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"qué temperatura hace aquí","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"Is the wind strong right now?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"¿Hace viento ahora?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"is it going to pour later on the route","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"where can we stop for coffee now","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"Is there a café near here?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"¿Dónde podemos comer cerca?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"where can i refill my bottles near here","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"Is there a fountain near here?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"busca un restaurante cerca para comer","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"Where can I stop for lunch nearby?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"find a bike shop near here","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"¿Hay un taller de bicis cerca?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"somewhere near here to sit for a bit","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"Where can I shelter near here?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"is there anywhere to stop near here","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"¿Hay alguna fuente cerca?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"Find me a flatter route home.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"plan a scenic route home","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"¿Hay una ruta más corta para volver?","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"busca una ruta más llana desde aquí","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"Find a route with fewer hills.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"give me a scenic way back","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"Find me a route with less gravel.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"make the ride shorter","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"llévame por la ruta más bonita","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"Busca una ruta con menos subidas.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"keep me on the quiet back roads","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"Find a route out of this wind.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"¿Me buscas una ruta por carreteras tranquilas?","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"How fit am I these days, really?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"whats my ftp now","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"¿Qué tal estoy de forma ahora?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"qué rutas me gustan","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"qué tipo de rutas prefiero yo","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"show me my profile","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"What's my fitness level right now?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"what preferences do i have","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"¿Cuál es mi perfil de ciclista?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"how fit am i","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"Do I like gravel rides?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"¿Qué sabes de mis gustos?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"read me my speed","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"¿A qué velocidad voy ahora?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"How much farther have I gone since lunch?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"cuánto llevo recorrido","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"What's my elapsed time?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"cuánto rato llevo montando","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"How high have we climbed today?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"give me the ride summary","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"¿Me lees todos los datos de la salida?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"whats the motor battery on","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"whats the next stretch like","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"¿Qué tal es el próximo tramo?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"Anything steep in the next 5 km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"cómo son los siguientes veinte kilómetros","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"What's ahead in the next ten k?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"is the next part paved or gravel","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"Is it going to rain on the second half of the route?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"qué viento hace","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"¿Qué tiempo hace aquí fuera?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"any storms ahead on the route","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"How hot is it here right now?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"is it blowing hard out there","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"I need water, anywhere close?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"dónde hay una cafetería","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"¿Hay algún sitio para comer por aquí?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"where can i get my chain fixed","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"Somewhere to lie down for a bit?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"busca dónde resguardarme de la lluvia","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"What's around here to stop at?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"need somewhere to fill up my bottle","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"get me off the main road","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"¿Puedes llevarme por asfalto?","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"Find a route out of the wind, please.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"take a shorter way back","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"busca una ruta más bonita","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"Find me a way with no big climbs.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"what routes do i usually ride","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"¿Cómo ando de forma física?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"Read me my full cyclist profile.","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"enséñame mi perfil","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"how's my fitness these days","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"How many metres have I climbed on this ride?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"dime la velocidad en millas por hora","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"cuánta batería le queda a la bici eléctrica","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"How much charge is left in my e-bike battery?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"Give me all my numbers for this ride.","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"dame todos los datos de esta salida","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"how many metres above sea level are we","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"¿Cuánto tiempo llevo en esta salida?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"whats my distance on this ride","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"Stop the clock on this ride.","[]","action"
"send my wife how far ive ridden so far","[]","action"
"Set an alert for when the e-bike battery drops to 20 percent.","[]","action"
"pon la velocidad en millas por hora","[]","action"
"guarda cuánto desnivel llevo acumulado","[]","action"
"Post all my ride data to the club chat.","[]","action"
"How many calories have I burned on this ride?","[]","object"
"whats my cadence on this bit","[]","object"
"¿qué pulsaciones llevo ahora?","[]","object"
"cuántos vatios llevo en este llano","[]","object"
"How much charge is left in my power meter?","[]","object"
"cuánta batería le queda al cambio electrónico","[]","object"
"What's the surface like in the next ten km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"¿Cuántas curvas hay en los próximos diez kilómetros?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"hay mucha subida en el siguiente tramo","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"are there sharp turns on the next section","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"how many turns are on the next stretch","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"¿Hay curvas cerradas en los próximos cinco kilómetros?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"Talk me through the next 5 km.","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"Dime cómo empieza el próximo tramo.","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"What are the climbs like in the next 20 km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"cómo es el perfil de los próximos veinte kilómetros","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"any gravel in the next twenty k","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"Are there any turns in the next 10 km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"download the next twenty kilometres of the route","[]","action"
"Time me over the next 5 km.","[]","action"
"Avísame cuando empiece el próximo tramo.","[]","action"
"envía el perfil de los próximos 20 km a marta","[]","action"
"Add a waypoint to the next 10 km of the route.","[]","action"
"Comparte lo que viene en los próximos diez kilómetros con Pablo.","[]","action"
"What's the traffic like in the next ten km?","[]","object"
"are there street lights on the next section","[]","object"
"¿Cuántos semáforos hay en los próximos diez kilómetros?","[]","object"
"hay mucho tráfico en el siguiente tramo","[]","object"
"how many other riders are on the next stretch","[]","object"
"Are there loose dogs in the next five kilometres?","[]","object"
"How warm is it here in Fahrenheit?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"¿Hay riesgo de tormenta aquí ahora mismo?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"va a hacer mucho frío más adelante en la ruta","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"Is the rain bad here right now?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"whats the weather going to be like later on the route","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"Are there gusts over 40 km/h today?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"¿Hay avisos de lluvia en la ruta?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"¿De qué lado viene el viento ahora?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"how hard is the wind blowing right now","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"¿Qué tiempo va a hacer más adelante en la ruta?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"is it sunny here right now","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"Share what the weather's like here right now with my group.","[]","action"
"manda el pronóstico del resto del recorrido a mi pareja","[]","action"
"Switch the temperature to Fahrenheit.","[]","action"
"text tom which way the wind is blowing","[]","action"
"Set a wind alert for gusts over 40 km/h.","[]","action"
"desactiva los avisos de lluvia en la ruta","[]","action"
"log how windy it is today in my diary","[]","action"
"how cold is the lake right now","[]","object"
"¿Qué temperatura tiene el agua del pantano?","[]","object"
"¿Hay riesgo de incendio aquí ahora mismo?","[]","object"
"hay mucho polen más adelante en la ruta","[]","object"
"whats the uv going to be like later on the route","[]","object"
"Are the midges bad here right now?","[]","object"
"busca un bar cercano para comer un bocadillo","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"Where can I get a flat white nearby?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"¿Dónde está la fuente más cercana?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"whats the address of the nearest cafe","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"¿Cuál es la cafetería más cercana?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"Is there a bench near here where I can rest?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"busca un banco para sentarme un rato","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"any picnic area nearby","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"¿Hay algún sitio cubierto cerca para esperar a que pare de llover?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"find me somewhere dry to wait out the storm","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"Anywhere I can get out of the hail near here?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"¿Hay algo cerca donde parar?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"show me places to stop nearby","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"necesito un taller para arreglar la rueda","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"Where's the nearest bike shop? My tyre's shredded.","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"I could do with a bowl of pasta somewhere close","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"Order me a flat white at the nearest café.","[]","action"
"pide un bocadillo para recoger en el bar más cercano","[]","action"
"book a repair at the nearest bike shop","[]","action"
"Comparte dónde está la fuente más cercana con el grupo.","[]","action"
"send the address of the nearest cafe to marco","[]","action"
"add the nearest cafe to my favourites","[]","action"
"wheres the nearest bus stop","[]","object"
"busca un hostal cerca para dormir","[]","object"
"Is there a campsite near here?","[]","object"
"¿Hay una farmacia por aquí?","[]","object"
"where can i charge my bike battery near here","[]","object"
"¿Hay alguna tienda de móviles cerca?","[]","object"
"find a car mechanic near here","[]","object"
"Find me a route with fewer cars.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"busca una ruta que pase por menos cuestas","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"llévame por una ruta con menos coches","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"Busca una ruta con menos tierra.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"Show me the scenic route.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"Find a shorter way home, I'm short on time.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"busca un camino más corto para volver","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"switch to a shorter route","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"¿Hay una ruta más resguardada del viento?","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"find a route where the wind wont hit me so hard","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"Stick to paved roads from here.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"llévame solo por asfalto","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"Take me along the river, it's prettier.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"i want a flatter route","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"take the paved route","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"Send the scenic route to Laura.","[]","action"
"upload the shorter route to strava","[]","action"
"guarda la ruta más llana para volver","[]","action"
"Comparte con Lucía la ruta por carreteras tranquilas.","[]","action"
"vale pues avisa al grupo de que vamos por carreteras secundarias","[]","action"
"Rename the flatter route to Sunday loop.","[]","action"
"rate the paved route five stars","[]","action"
"Find me a route with more cafés.","[]","object"
"busca una ruta que pase por más fuentes","[]","object"
"i want a harder route","[]","object"
"give me a hillier way home","[]","object"
"Busca una ruta con más tierra.","[]","object"
"Find me a route with street lights.","[]","object"
"Is my FTP up to 250 yet?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"¿Tengo un nivel de forma avanzado?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"is gravel in my preferences","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"pull up everything in my rider profile","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"Dime todo lo que sabes de mi perfil de ciclista.","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"whats in my rider profile","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"¿Qué tipo de terreno prefiero?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"am i fitter than last season","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"¿Cómo está mi FTP ahora?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"Update my FTP to 250 watts.","[]","action"
"pon mi nivel de forma en avanzado","[]","action"
"Export my rider profile.","[]","action"
"add gravel to my preferences","[]","action"
"Borra mis preferencias de ruta.","[]","action"
"Email my rider profile to my coach.","[]","action"
"whats my weight these days","[]","object"
"¿Cómo ando de tensión últimamente?","[]","object"
"What's my blood sugar level right now?","[]","object"
"show me my medical profile","[]","object"
"¿Qué sabes de mis alergias?","[]","object"
"what injuries do i have","[]","object"
'''
# --- end _bundled.py ---


# --- begin _renderings.py (vendored: what this script uses of it; edit _renderings.py, then run python dev/sync_vendored.py) ---
"""The forms one request arrives in: renderings that keep its meaning, and the surface features a
model could learn instead of it.

A rider's request reaches the router as a speech recogniser or a keyboard writes it: lower case
without punctuation, or capitalised with a final "?"; sometimes with a filler or wake word in
front ("uh", "hey copilot", "oye"), numbers as digits or as words. None of that changes what the
rider asked for, so evaluation scores every row in several renderings (robust accuracy: right in
all of them), training sees every row in each of them over the run, and the validator warns when
a surface feature separates the rows that need no call from the others.

Single source: scripts carry a copy between `# --- begin _renderings.py` / `# --- end
_renderings.py` marker lines; edit this file, then run `python dev/sync_vendored.py`. Standard
library only.
"""

import hashlib
import random
import re

RENDERINGS = ("as_written", "spoken", "typed", "filler", "numbers")
DEFAULT_RENDERINGS = ("as_written", "spoken", "typed")
# The renderings every training row is seen in over a run, one per epoch in turn.
AUGMENT_RENDERINGS = ("as_written", "spoken", "typed")
AUGMENT_FILLER_SHARE = 0.25  # of the spoken and typed variants: fillers on both kinds of row alike
AUGMENT_NUMBERS_SHARE = 0.5  # of the variants whose message holds a number

SPANISH_MARKERS = re.compile(r"[¿¡ñáéíóú]")
SPANISH_WORDS = {"qué", "que", "el", "la", "los", "las", "del", "de", "por", "para", "hay", "mi", "mis", "una",
                 "un", "sin", "con", "cerca", "ruta", "quiero", "tengo", "necesito", "llevo", "agua", "voy",
                 "velocidad", "viento", "comida", "ahora", "cómo", "dónde", "cuánto", "está", "es", "y",
                 "oye", "dime", "busca", "algún", "alguna", "te", "se", "yo", "muy", "más", "pues"}
FILLERS = {"en": ("uh", "um", "hey copilot", "ok so", "so", "hey", "right", "er"),
           "es": ("eh", "oye", "oye copiloto", "vale", "pues", "a ver", "mmm")}
# Words a recogniser or a rider puts before the request itself (the validator's filler share).
FILLER_START = re.compile(r"^(?:uh+|um+|er+m?|hmm+|mm+|eh+|hey|ok(?:ay)?|so|right|oye|vale|pues|a ver|bueno|"
                          r"hola|venga)\b(?=[\s,]+\w)", re.I)
QUESTION_WORDS = {
    "en": {"what", "whats", "what's", "where", "wheres", "where's", "when", "how", "hows", "how's", "who", "which",
           "why", "is", "are", "am", "can", "could", "will", "would", "do", "does", "did", "should", "any", "have",
           "has", "shall", "was", "were"},
    "es": {"qué", "dónde", "cuándo", "cómo", "cuánto", "cuánta", "cuántos", "cuántas", "cuál", "quién",
           "hay", "puedo", "puedes", "podemos", "voy", "vamos", "queda", "quedan", "falta", "faltan", "llueve",
           "va", "tengo", "estoy"},
}
END_PUNCTUATION = ".?!…"
NUMBER_WORDS = {
    "en": {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine",
           10: "ten", 11: "eleven", 12: "twelve", 15: "fifteen", 20: "twenty", 25: "twenty five", 30: "thirty",
           40: "forty", 50: "fifty", 60: "sixty", 70: "seventy", 80: "eighty", 90: "ninety", 100: "a hundred"},
    "es": {1: "uno", 2: "dos", 3: "tres", 4: "cuatro", 5: "cinco", 6: "seis", 7: "siete", 8: "ocho", 9: "nueve",
           10: "diez", 11: "once", 12: "doce", 15: "quince", 20: "veinte", 25: "veinticinco", 30: "treinta",
           40: "cuarenta", 50: "cincuenta", 60: "sesenta", 70: "setenta", 80: "ochenta", 90: "noventa",
           100: "cien"},
}
UNIT_WORDS = {"en": {"km": "kilometres", "k": "kilometres", "m": "metres", "min": "minutes"},
              "es": {"km": "kilómetros", "k": "kilómetros", "m": "metros", "min": "minutos"}}
DIGITS_WITH_UNIT = re.compile(r"\b(\d+)(?:\s*(km|k|m|min))?\b", re.I)  # "20 kilómetros": no unit, the space kept


def language(message: str) -> str:
    """"es" or "en", deliberately crude: Spanish letters or punctuation, or a common Spanish word."""
    if SPANISH_MARKERS.search(message.casefold()):
        return "es"
    return "es" if SPANISH_WORDS & set(re.findall(r"\w+", message.casefold())) else "en"


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def spoken(message: str) -> str:
    """Lower case, no punctuation but the apostrophes inside words ("where's"), like a recogniser."""
    text = message.casefold()
    text = re.sub(r"(?<=\w)['’](?=\w)", "\x00", text)  # keep word-internal apostrophes
    text = re.sub(r"[^\w\s\x00]", " ", text).replace("\x00", "'").replace("_", " ")
    return _collapse(text)


def is_question(message: str) -> bool:
    stripped = message.strip()
    if stripped.endswith("?") or stripped.startswith("¿"):
        return True
    words = spoken(stripped).split()
    return bool(words) and words[0] in QUESTION_WORDS[language(message)]


def _capitalise(text: str) -> str:
    for index, character in enumerate(text):
        if character.isalpha():
            return text[:index] + character.upper() + text[index + 1:]
    return text


def typed(message: str) -> str:
    """Capitalised, ending in ? (a question; Spanish opens it with ¿) or . (anything else)."""
    question = is_question(message)
    text = _collapse(message).rstrip(" " + END_PUNCTUATION + ",;:")
    if not text:
        return message
    if question and language(message) == "es" and not text.startswith("¿"):
        text = "¿" + text.lstrip("¡")
    return _capitalise(text) + ("?" if question else ".")


def _stable_choice(options, message: str):
    """The same option for the same message on every machine (no PYTHONHASHSEED dependence)."""
    digest = hashlib.sha256(message.encode("utf-8")).digest()
    return options[digest[0] % len(options)]


def with_filler(message: str, filler: str | None = None, form: str = "spoken") -> str:
    """`message` after a filler or wake word, in the `form` ("spoken" or "typed") it arrives in."""
    filler = filler or _stable_choice(FILLERS[language(message)], message)
    if form == "spoken":
        return spoken(f"{filler} {message}")
    rest = typed(message)
    if not re.match(r"(?:¿|¡)?I\b", rest):  # "I" stays capital after the filler
        rest = re.sub(r"^([¿¡]?)(\w)", lambda match: match.group(1) + match.group(2).lower(), rest)
    return _capitalise(f"{filler}, {rest}")


def switch_numbers(message: str) -> str:
    """Digits as words ("20 km" -> "twenty kilometres"), or, with no digits, number words as digits."""
    lang = language(message)
    words, units = NUMBER_WORDS[lang], UNIT_WORDS[lang]
    if re.search(r"\d", message):
        def as_words(match):
            number, unit = int(match.group(1)), (match.group(2) or "").lower()
            if number not in words:
                return match.group(0)
            return words[number] + (f" {units[unit]}" if unit else "")
        return DIGITS_WITH_UNIT.sub(as_words, message)
    for number, word in sorted(words.items(), key=lambda item: -len(item[1])):
        message = re.sub(rf"\b{word}\b", str(number), message, flags=re.I)
    return message


def render(message: str, rendering: str) -> str:
    """One rendering of `message` (see RENDERINGS); deterministic."""
    if rendering == "as_written":
        return message
    if rendering == "spoken":
        return spoken(message)
    if rendering == "typed":
        return typed(message)
    if rendering == "filler":
        return with_filler(message)
    if rendering == "numbers":
        return switch_numbers(message)
    raise ValueError(f"unknown rendering {rendering!r}: choose from {', '.join(RENDERINGS)}")


# What meaning_key undoes: every filler and wake word (longest first, so "hey copilot" before "hey"),
# every number word of either language (longest first: "twenty five" before "twenty"), and a unit
# after a number as its abbreviation ("twenty kilometres", "20 km" and "20k" all read "20 km").
_FILLER_PHRASE = re.compile(r"^(?:" + "|".join(sorted({re.escape(filler) for fillers in FILLERS.values()
                                                        for filler in fillers}, key=len, reverse=True))
                            + r")\s+(?=\w)")
_NUMBER_WORDS = sorted(((word, number) for words in NUMBER_WORDS.values() for number, word in words.items()),
                       key=lambda item: -len(item[0]))
_UNITS = {"km": ("km", "k", "kilometres", "kilómetros"), "m": ("m", "metres", "metros"),
          "min": ("min", "minutes", "minutos")}
_NUMBER_UNIT = re.compile(r"\b(\d+) ?(" + "|".join(sorted((word for words in _UNITS.values() for word in words),
                                                        key=len, reverse=True)) + r")\b")
_UNIT_KEY = {word: unit for unit, words in _UNITS.items() for word in words}


def meaning_key(message: str) -> str:
    """What every rendering of `message` has in common: the unit the split keeps on one side and the
    held-out check compares. Case, punctuation and spacing are ignored (like the de-duplication key,
    `_data.normalise_message`), fillers and wake words in front are dropped, numbers are digits and a
    unit after a number its abbreviation. So "So, where is the water?" and "Where is the water?" share
    a key, as do "What's on the next 20 km?" and "what's on the next twenty kilometres": meaning_key
    of any `render` or `augmented_variants` form of a message equals meaning_key of the message."""
    text = re.sub(r"[\W_]+", " ", message.casefold()).strip()
    while match := _FILLER_PHRASE.match(text) or FILLER_START.match(text):
        text = text[match.end():].lstrip(" ,")
    for word, number in _NUMBER_WORDS:
        text = re.sub(rf"\b{word}\b", str(number), text)
    return _NUMBER_UNIT.sub(lambda match: f"{match.group(1)} {_UNIT_KEY[match.group(2)]}", text)


def augmented_variants(message: str, rng: random.Random) -> list[str]:
    """The message in each of AUGMENT_RENDERINGS, for training: the spoken and typed ones sometimes
    after a filler or wake word, and numbers sometimes switched between digits and words."""
    variants = []
    for rendering in AUGMENT_RENDERINGS:
        text = message
        if re.search(r"\d", text) or any(re.search(rf"\b{word}\b", text, re.I)
                                         for word in NUMBER_WORDS[language(text)].values()):
            if rng.random() < AUGMENT_NUMBERS_SHARE:
                text = switch_numbers(text)
        if rendering != "as_written" and rng.random() < AUGMENT_FILLER_SHARE:
            text = with_filler(text, rng.choice(FILLERS[language(text)]), form=rendering)
        else:
            text = render(text, rendering)
        variants.append(text)
    return variants
# --- end _renderings.py ---


# --- begin _data.py (vendored: what this script uses of it; edit _data.py, then run python dev/sync_vendored.py) ---
"""The dataset contract: tools files, rows, loading, de-duplication and the held-out split.

Single source: scripts carry a copy between `# --- begin _data.py` / `# --- end _data.py` marker
lines; edit this file, then run `python dev/sync_vendored.py`. Standard library only (`datasets`
is imported only to read a Hub dataset).
"""

import codecs
import csv
import hashlib
import io
import json
import os
import random
import re
import unicodedata
import urllib.parse
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field

BUNDLED = "bundled"  # the name users see for the embedded default tools and seeds
# A row whose tool_calls is [] means "no tool applies": the model answers in prose and calls nothing.
# This label stands for "no call" wherever a call's label would (split strata, per-value tables,
# the confusion matrix).
NO_CALL_LABEL = "(no call)"
JSON_TYPES = {"string": str, "integer": int, "number": (int, float), "boolean": bool,
              "array": list, "object": dict}
RESERVED_PARAMETER_NAMES = {"description", "type", "properties", "required", "nullable"}
# What FunctionGemma's declaration format renders (_format.render_declaration): anything else in
# a schema would silently never reach the model, so parse_tools refuses it.
RENDERED_PARAMETERS_KEYS = {"type", "properties", "required"}
RENDERED_SCHEMA_KEYS = {"type", "description", "enum"}
COLUMNS = ("user_message", "tool_calls")
# An optional column: the line a no-call row crosses to fall outside every tool while keeping a
# tool's topic (a near miss, "twin" of a call row), or, on a call row, the line its no-call twin
# crosses. Evaluation reports false calls per boundary; the validator counts near misses per tool.
BOUNDARY_COLUMN = "boundary"
BOUNDARIES = {
    "time": "a past ride or another day",
    "place": "somewhere else than here or the route",
    "subject": "someone else's numbers or plans",
    "action": "a change, save, share, booking or call instead of a read or a search",
    "object": "a neighbour of the tool's topic that no value covers",
    "remark": "a statement about the topic that asks for nothing",
}
# The text of FunctionGemma's control tokens (_format.CONTROL_TOKEN_IDS holds their ids). The
# tokenizer turns this text into the token itself wherever it appears, so no text rendered into a
# prompt or an answer (a message, a tool's name and descriptions, an enum value, an argument, the
# no-call reply) may hold it: a message could end its own turn or write a call for the model.
BOS, EOS, PAD = "<bos>", "<eos>", "<pad>"
START_OF_TURN, END_OF_TURN = "<start_of_turn>", "<end_of_turn>"
START_DECLARATION, END_DECLARATION = "<start_function_declaration>", "<end_function_declaration>"
START_CALL, END_CALL = "<start_function_call>", "<end_function_call>"
START_RESPONSE, END_RESPONSE = "<start_function_response>", "<end_function_response>"
ESCAPE = "<escape>"
CONTROL_TOKENS = (PAD, EOS, BOS, START_DECLARATION, END_DECLARATION, START_CALL, END_CALL, START_RESPONSE,
                  END_RESPONSE, ESCAPE, START_OF_TURN, END_OF_TURN)
# The other tokens of Gemma's vocabulary that are no text: each is one token id that the tokenizer
# makes of this text wherever it appears (its added tokens besides the format's, the HTML tags and
# the runs of line breaks and tabs, which are text), so it is refused like a control token before
# any tokenizer loads: the image tokens, the multimodal placeholder, <unk>, <mask> and the 6,000-odd
# <unused0>, <unused1>, ... ids. With a tokenizer, _format.check_special_tokens refuses whatever else
# it holds that is no text.
RESERVED_TOKENS = ("<unk>", "<mask>", "[multimodal]", "<start_of_image>", "<end_of_image>", "<unusedN>")
RESERVED_TOKEN_PATTERN = re.compile("|".join(r"<unused\d+>" if token == "<unusedN>" else re.escape(token)
                                             for token in RESERVED_TOKENS))
# JSON nested deeper than this is refused before it is parsed (the parser would run out of stack
# near 1,000 levels): a tools file is 7 levels deep (list, tool, function, parameters, properties,
# parameter, enum), a tool_calls cell 3.
MAX_JSON_DEPTH = 64
MAX_USER_MESSAGE_CHARS = 500  # a spoken or typed request; far longer is a broken row (a CSV field gone astray)
# What a spreadsheet or archive saved under a .csv/.json name starts with.
BINARY_SIGNATURES = {b"PK\x03\x04": "a ZIP archive: an .xlsx/.ods spreadsheet? export it as CSV UTF-8",
                     b"\xd0\xcf\x11\xe0": "an old Office document (.xls)? export it as CSV UTF-8",
                     b"\x1f\x8b": "gzip-compressed", b"%PDF": "a PDF", b"PAR1": "Parquet", b"\x89PNG": "a PNG image",
                     b"SQLite format 3\x00": "an SQLite database"}


# ----------------------------------------------------------------------------- reading inputs


def read_bytes(source: str) -> bytes:
    """Bytes of a local file or an http(s) URL; missing or unreadable is one line."""
    if source.startswith(("https://", "http://")):
        try:
            with urllib.request.urlopen(source, timeout=30) as response:
                return response.read()
        except OSError as error:
            raise DataError(f"{source}: cannot download ({error})") from None
    return read_local_bytes(source)


def looks_binary(head: bytes) -> bool:
    """Text has almost no control bytes; one stray NUL in a message is left to the row checks."""
    controls = sum(byte < 32 and byte not in b"\t\n\r\f" or byte == 127 for byte in head)
    return controls > max(2, len(head) // 20)


def utf16_without_bom(head: bytes) -> bool:
    """Mostly-ASCII UTF-16 has a NUL in every other byte."""
    even, odd = head[0::2], head[1::2]
    return len(head) >= 4 and (odd.count(0) > 0.3 * len(odd) > even.count(0) * 10
                               or even.count(0) > 0.3 * len(even) > odd.count(0) * 10)


def decode_text(data: bytes, origin: str) -> str:
    """UTF-8 text of an input (a UTF-8 byte-order mark is dropped), else one line saying what the
    bytes look like and how to fix them."""
    for bom, name in ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                      (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16")):
        if data.startswith(bom):
            raise DataError(f"{origin}: the file is {name} (it starts with a {name} byte-order mark): "
                            "re-save it as UTF-8")
    head = data[:4096]
    if utf16_without_bom(head):
        raise DataError(f"{origin}: the file looks like UTF-16 (a NUL byte in every other byte): re-save it as UTF-8")
    for signature, kind in BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise DataError(f"{origin}: a binary file ({kind}), not UTF-8 text")
    if looks_binary(head):
        raise DataError(f"{origin}: a binary file (control bytes), not UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise DataError(f"{origin}: not UTF-8 (byte 0x{data[error.start]:02X} on line {line}); it looks like "
                        "Latin-1 / Windows-1252: re-save it as UTF-8") from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise DataError(f"{origin}: the file is empty")
    return text


def read_text(source: str) -> str:
    """UTF-8 text of a local file or an https:// URL, or one line saying why it is unusable."""
    return decode_text(read_bytes(source), source)


def public_file_name(source: str) -> str:
    """A local file's or URL's base name: no folders, no query string."""
    return os.path.basename(urllib.parse.urlsplit(source).path.rstrip("/")) or "data"


def public_name(source: str, data: bytes) -> str:
    """How a local file or URL is named in anything that may be published: its base name and a
    content hash, never its path."""
    return f"{public_file_name(source)} (sha256 {hashlib.sha256(data).hexdigest()[:12]})"


# ----------------------------------------------------------------------------- tools


def parse_tools(text: str, origin: str) -> list[dict]:
    """Check a tools list in the standard {"type":"function","function":{...}} form."""
    tools = parse_json(text, f"{origin}: the tools file")
    if not isinstance(tools, list) or not tools:
        raise DataError(f"{origin}: expected a non-empty JSON list of tools")
    seen = set()
    for index, tool in enumerate(tools):
        where = f"{origin}: tool {index + 1}"
        function = tool.get("function") if isinstance(tool, dict) else None
        if not isinstance(tool, dict) or tool.get("type") != "function" or not isinstance(function, dict):
            raise DataError(f'{where}: expected {{"type": "function", "function": {{...}}}}')
        name = function.get("name")
        problem = control_token_problem(name, "the function name") if isinstance(name, str) else None
        if problem:
            raise DataError(f"{where}: {problem}")
        if not isinstance(name, str) or not re.fullmatch(r"[a-zA-Z_][a-zA-Z0-9_.-]*", name):
            raise DataError(f"{where}: missing or invalid function name {name!r}")
        if name in seen:
            raise DataError(f"{where}: duplicate function name {name!r}")
        seen.add(name)
        if not isinstance(function.get("description", ""), str):
            raise DataError(f"{where} ({name}): description must be a string")
        parameters = function.get("parameters", {"type": "object"})
        if not isinstance(parameters, dict) or str(parameters.get("type", "object")).lower() != "object":
            raise DataError(f"{where} ({name}): parameters must be a JSON schema of type object")
        properties = parameters.get("properties", {})
        if not isinstance(properties, dict):
            raise DataError(f"{where} ({name}): parameters.properties must be an object")
        unrendered(where, name, "parameters", parameters, RENDERED_PARAMETERS_KEYS)
        for key, schema in properties.items():
            if key in RESERVED_PARAMETER_NAMES:
                raise DataError(f"{where} ({name}): parameter name {key!r} is reserved by the FunctionGemma template")
            if not isinstance(schema, dict) or str(schema.get("type", "")).lower() not in JSON_TYPES:
                raise DataError(f"{where} ({name}): parameter {key!r} needs a type out of {sorted(JSON_TYPES)}")
            unrendered(where, name, f"parameter {key!r}", schema, RENDERED_SCHEMA_KEYS)
            enum = schema.get("enum")
            if enum is not None and (not isinstance(enum, list) or not enum
                                     or not all(isinstance(value, str) for value in enum)):
                raise DataError(f"{where} ({name}): enum of {key!r} must be a non-empty list of strings")
        required = parameters.get("required", [])
        if not isinstance(required, list) or any(key not in properties for key in required):
            raise DataError(f"{where} ({name}): required lists a parameter that is not declared")
        for what, text in tool_texts(function):
            problem = control_token_problem(text, what)
            if problem:
                raise DataError(f"{where} ({name}): {problem}")
    return tools


def control_token_problem(text: str, what: str) -> str | None:
    """Why `text` (`what` it is, e.g. "the message") cannot be rendered into a prompt or an answer:
    it holds the text of a control token or of another reserved token of Gemma's vocabulary (the
    first one named); None if it holds none."""
    found = [(text.find(token), token) for token in CONTROL_TOKENS if token in text]
    reserved = RESERVED_TOKEN_PATTERN.search(text)
    if reserved:
        found.append((reserved.start(), reserved.group()))
    if not found:
        return None
    token = min(found)[1]
    if token in CONTROL_TOKENS:
        return f"{what} contains the control token {token}: text cannot carry the format's tokens"
    return (f"{what} contains {token}, a reserved token of Gemma's vocabulary, not text: "
            "text cannot carry the model's tokens")


def json_too_deep(text: str) -> int | None:
    """Where (0-based) JSON text first nests deeper than MAX_JSON_DEPTH, or None: its brackets
    counted without parsing it (strings skipped, an unclosed one to the end), in linear time."""
    depth = 0
    for token in _JSON_TOKEN.finditer(text):
        bracket = token.group()
        if bracket in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return token.start()
        elif bracket in "]}":
            depth -= 1
    return None


def text_position(text: str, position: int) -> str:
    """A 0-based position as a reader finds it: "char N" in one-line text, else "line L column C"."""
    if "\n" not in text:
        return f"char {position + 1}"
    line, column = text.count("\n", 0, position) + 1, position - text.rfind("\n", 0, position)
    return f"line {line} column {column}"


# A string (or an unclosed one, to the end of the text) or a bracket.
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?\Z)|[\[\]{}]', re.S)


def value_depth(value) -> int:
    """How deep a parsed value (lists and dicts, e.g. a Hub dataset's cell) nests, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, tuple, dict)):
            deepest = max(deepest, depth)
            if deepest > MAX_JSON_DEPTH:
                break
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _not_json(constant: str):
    raise ValueError(f"{constant} is not JSON")


def parse_json(text: str, what: str):
    """The value of JSON text (`what` it is, e.g. "tool_calls"), or DataError in one line: not JSON,
    nested deeper than MAX_JSON_DEPTH (refused before parsing), or beyond the parser (a number of
    thousands of digits, NaN, memory)."""
    deep = json_too_deep(text)
    if deep is not None:
        raise DataError(f"{what} is JSON nested more than {MAX_JSON_DEPTH} levels deep (at "
                        f"{text_position(text, deep)}): refused before parsing")
    try:
        return json.loads(text, parse_constant=_not_json)
    except json.JSONDecodeError as error:
        raise DataError(f"{what} is not valid JSON ({error.msg} at {text_position(text, error.pos)})") from None
    except (ValueError, RecursionError, MemoryError) as error:
        detail = (str(error).splitlines() or [""])[0][:120]
        raise DataError(f"{what} is not usable JSON ({type(error).__name__}: {detail})") from None


def tool_texts(function: dict) -> list[tuple[str, str]]:
    """(field, text) of every text of a checked function that its declaration renders: its name
    and description, and each parameter's name, description and enum values."""
    texts = [("the function name", function["name"]), ("the description", function.get("description", ""))]
    for key, schema in function.get("parameters", {}).get("properties", {}).items():
        texts += [(f"the name of parameter {key!r}", key),
                  (f"the description of parameter {key!r}", schema.get("description", ""))]
        texts += [(f"the enum value {value!r} of parameter {key!r}", value) for value in schema.get("enum") or []]
    return [(what, text) for what, text in texts if isinstance(text, str)]


def unrendered(where: str, name: str, part: str, schema: dict, rendered: set[str]) -> None:
    """DataError naming a schema key the declaration format would drop (array items, nested
    properties, nullable, defaults, ...): the model would be trained on a tool it never sees whole."""
    dropped = sorted(set(schema) - rendered)
    if dropped:
        raise DataError(f"{where} ({name}): {part} uses {', '.join(dropped)}, which FunctionGemma's declaration "
                        f"format cannot express (it renders only {', '.join(sorted(rendered))}); "
                        "remove it or describe it in the description")


def load_tools(source: str | None = None) -> list[dict]:
    """Tools from a JSON file or URL; None or "bundled" means the cycling-copilot tools."""
    if source in (None, BUNDLED):
        return parse_tools(BUNDLED_TOOLS_JSON, "bundled tools")
    return parse_tools(read_text(source), source)


def tools_by_name(tools: list[dict]) -> dict[str, dict]:
    return {tool["function"]["name"]: tool["function"] for tool in tools}


def routing_argument(function: dict) -> str | None:
    """The parameter that routes a request: the function's first enum parameter, if any."""
    properties = function.get("parameters", {}).get("properties", {})
    return next((key for key, schema in properties.items() if "enum" in schema), None)


def enum_values(tools: list[dict]) -> dict[str, list[str]]:
    """tool name -> allowed values of its routing argument (empty without one)."""
    values = {}
    for name, function in tools_by_name(tools).items():
        argument = routing_argument(function)
        values[name] = function["parameters"]["properties"][argument]["enum"] if argument else []
    return values


# ----------------------------------------------------------------------------- calls


@dataclass(frozen=True)
class Call:
    name: str
    arguments: tuple  # sorted (key, value) pairs, so calls compare and hash

    @classmethod
    def make(cls, name: str, arguments: dict) -> "Call":
        return cls(name, tuple(sorted(arguments.items())))

    @property
    def args(self) -> dict:
        return dict(self.arguments)

    def to_json(self) -> str:
        return json.dumps([{"name": self.name, "args": self.args}], ensure_ascii=False)


def routing_label(call: Call | None, tools: list[dict]) -> str:
    """`tool:value` of the call's routing argument (`tool` alone without one, NO_CALL_LABEL for a
    no-call row): the unit the split stratifies by, coverage counts and per-value accuracy is keyed
    by, so `get_ride_status:all` and `get_rider_profile:all` never mix."""
    if call is None:
        return NO_CALL_LABEL
    function = tools_by_name(tools).get(call.name, {})
    argument = routing_argument(function)
    return f"{call.name}:{call.args[argument]}" if argument in call.args else call.name


def tool_calls_json(call: "Call | None") -> str:
    """The dataset's tool_calls cell: the call as a one-element list, or [] for no call."""
    return call.to_json() if call is not None else "[]"


def check_arguments(function: dict, arguments: dict) -> str | None:
    """Why `arguments` do not fit the function's schema, or None."""
    parameters = function.get("parameters", {})
    properties = parameters.get("properties", {})
    missing = [key for key in parameters.get("required", []) if key not in arguments]
    if missing:
        return f"missing argument {missing[0]!r} for {function['name']}"
    for key, value in arguments.items():
        if key not in properties:
            return f"unexpected argument {key!r} for {function['name']}"
        schema = properties[key]
        expected = JSON_TYPES[str(schema["type"]).lower()]
        if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
            return f"argument {key!r} of {function['name']} must be a {str(schema['type']).lower()}, got {value!r}"
        if "enum" in schema and value not in schema["enum"]:
            return f"value {value!r} of {key!r} is not one of {function['name']}'s {schema['enum']}"
    return None


# ----------------------------------------------------------------------------- dataset rows


@dataclass(frozen=True)
class Location:
    """Where a row came from: a CSV's 1-based line (header is line 1) or a Hub split's row."""
    source: str
    line: int
    unit: str = "line"  # "row" for Hub datasets
    split: str | None = None  # a Hub dataset's split ("train", "test", ...)
    public: str = ""  # the source's name where it may be published (see public_name), if not `source`

    def __str__(self) -> str:
        split = f" [{self.split}]" if self.split else ""
        return f"{self.source}{split} {self.unit} {self.line}"

    def published(self) -> str:
        """The location without any local path: what written and uploaded files record."""
        split = f" [{self.split}]" if self.split else ""
        return f"{self.public or self.source}{split} {self.unit} {self.line}"


@dataclass(frozen=True)
class Example:
    message: str
    call: Call | None  # None: no tool applies (tool_calls [])
    origin: Location | None = None
    boundary: str = ""  # one of BOUNDARIES, or "" (see BOUNDARY_COLUMN)


@dataclass
class RowError:
    origin: Location
    message: str

    def to_json(self) -> dict:
        split = {"split": self.origin.split} if self.origin.split else {}
        return {"source": self.origin.source, **split, "line": self.origin.line, "message": self.message}

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}"


def message_problem(message: str) -> str | None:
    """Why a user message cannot be a row, beyond being empty: control characters, a control
    token's text, length."""
    for position, character in enumerate(message, 1):
        if unicodedata.category(character) == "Cc" and character not in "\t\n\r":
            name = " (NUL)" if character == "\0" else ""
            return f"control character U+{ord(character):04X}{name} at character {position} of user_message"
    problem = control_token_problem(message, "the message")
    if problem:
        return problem
    if len(message) > MAX_USER_MESSAGE_CHARS:
        return f"user_message is {len(message)} characters, longer than the limit of {MAX_USER_MESSAGE_CHARS}"
    return None


def parse_row(row: dict, tools: list[dict], origin: Location | None = None) -> Example:
    """One dataset row (user_message, tool_calls JSON) -> Example; DataError says what is wrong.

    tool_calls holds exactly one call, or is [] when no tool applies (Example.call is then None)."""
    message = row.get("user_message")
    if message is not None and not isinstance(message, str):
        raise DataError(f"user_message is not text (a {type(message).__name__})")
    if not isinstance(message, str) or not message.strip():
        raise DataError("empty user_message")
    problem = message_problem(message)
    if problem:
        raise DataError(problem)
    boundary = str(row.get(BOUNDARY_COLUMN) or "").strip()
    if boundary and boundary not in BOUNDARIES:
        raise DataError(f"{BOUNDARY_COLUMN} {boundary[:40]!r} is none of {', '.join(BOUNDARIES)} (or empty)")
    raw_calls = row.get("tool_calls")
    if isinstance(raw_calls, str):
        calls = parse_json(raw_calls, "tool_calls")
    else:  # a Hub dataset's list
        calls = raw_calls
        depth = value_depth(calls)
        if depth > MAX_JSON_DEPTH:
            raise DataError(f"tool_calls is nested more than {MAX_JSON_DEPTH} levels deep: refused")
    if calls == []:
        return Example(message.strip(), None, origin, boundary)
    if not isinstance(calls, list) or len(calls) != 1:
        count = len(calls) if isinstance(calls, list) else "no list of"
        raise DataError(f"tool_calls must be a JSON list with exactly one call, or [] when no tool applies; "
                        f"got {count} calls")
    call = calls[0]
    if not isinstance(call, dict) or not isinstance(call.get("name"), str):
        raise DataError('the call must be an object like {"name": ..., "args": {...}}')
    functions = tools_by_name(tools)
    if call["name"] not in functions:
        raise DataError(f"unknown tool {call['name']!r}")
    arguments = call.get("args", call.get("arguments", {}))
    if not isinstance(arguments, dict):
        raise DataError(f"args of {call['name']} must be an object")
    problem = check_arguments(functions[call["name"]], arguments)
    if problem:
        raise DataError(problem)
    for key, value in arguments.items():  # a free-text argument is rendered too (enum values are checked above)
        problem = control_token_problem(json.dumps(value, ensure_ascii=False), f"the value of argument {key!r}")
        if problem:
            raise DataError(problem)
    return Example(message.strip(), Call.make(call["name"], arguments), origin, boundary)


def read_csv_rows(text: str, origin: str, public: str = "") -> list[tuple[Location, dict]]:
    """(location, row) pairs of a dataset CSV (maybe none); locations use 1-based CSV line numbers
    (header is line 1). A wrong header or broken quoting is one line naming where."""
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = reader.fieldnames or []
    except csv.Error as error:
        raise DataError(f"{origin} line 1: broken CSV header ({error})") from None
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise DataError(f"{origin}: wrong header, missing column(s) {', '.join(missing)}; expected a CSV with "
                        f"columns {','.join(COLUMNS)}, found {','.join(header)[:80]!r}")
    rows, line = [], reader.line_num
    try:
        for row in reader:
            if None in row:
                raise DataError(f"{origin} line {line + 1}: {len(header) + len(row[None])} fields, the header has "
                                f"{len(header)} (a comma in an unquoted field?)")
            rows.append((Location(origin, line + 1, public=public), row))
            line = reader.line_num
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise DataError(f"{origin} line {line + 1}: a field longer than {csv.field_size_limit():,} characters "
                            "(a quote that never closes?)") from None
        raise DataError(f"{origin} line {line + 1}: broken CSV quoting ({error}); "
                        'quote fields holding commas or quotes, and double the quotes inside them ("")') from None
    return rows


def read_dataset_rows(source: str | None = None) -> list[tuple[Location, dict]]:
    """Raw rows of a local CSV, a CSV URL, a Hub dataset id (all splits), or the bundled seeds."""
    if source in (None, BUNDLED):
        return read_csv_rows(BUNDLED_SEEDS_CSV, "bundled seeds")
    if os.path.exists(source) or source.lower().endswith(".csv"):
        data = read_bytes(source)
        rows = read_csv_rows(decode_text(data, source), source, public_name(source, data))
        if not rows:
            raise DataError(f"{source}: no data rows, only the header")
        return rows
    if not re.fullmatch(r"[\w.-]+/[\w.-]+", source):
        raise DataError(f"{source}: no such file, and not a Hub dataset id (user/name)")
    try:
        import datasets
    except ImportError:
        raise DataError(f"{source}: loading a Hub dataset needs the `datasets` package") from None
    try:
        splits = datasets.load_dataset(source)
    except Exception as error:  # network, auth, missing repo: all become one clear line
        raise DataError(f"{source}: cannot load Hub dataset ({type(error).__name__}: {error})".splitlines()[0]) from None
    rows = []
    for split_name in sorted(splits):
        missing = [column for column in COLUMNS if column not in splits[split_name].column_names]
        if missing:
            raise DataError(f"{source} [{split_name}]: missing column(s) {', '.join(missing)}; "
                            f"expected columns {','.join(COLUMNS)}")
        for index, row in enumerate(splits[split_name]):
            rows.append((Location(source, index + 1, "row", split_name), row))
    if not rows:
        raise DataError(f"{source}: the Hub dataset has no rows")
    return rows


def write_examples_csv(path: str, examples: list[Example], with_source: bool = False) -> None:
    """Examples in the dataset format (user_message, tool_calls, and boundary when any row has one),
    optionally with where each came from (named without local paths: these files may be published)."""
    with_boundary = any(example.boundary for example in examples)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(list(COLUMNS) + ([BOUNDARY_COLUMN] if with_boundary else [])
                        + (["source"] if with_source else []))
        for example in examples:
            writer.writerow([example.message, tool_calls_json(example.call)]
                            + ([example.boundary] if with_boundary else [])
                            + ([example.origin.published()] if with_source else []))


def normalise_message(text: str) -> str:
    """Key for near-duplicate detection: case, accents' spacing, punctuation and spaces ignored."""
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


# A generator's prompt copied into the data instead of a rider's words, e.g. "Requesting
# find_nearby_poi with water (Standard natural language questions. Varied phrasing. variant 0)".
GENERATION_PROMPT = re.compile(r"\([^()]*\b(?:variant|phrasing|style|paraphrase)s?\b|\bvariant\s*\d+\b", re.I)


def suspect_reason(message: str, tools: list[dict]) -> str | None:
    """Why a row looks like free accuracy rather than speech, or None: the message names a declared
    function or an identifier-like enum value (one with `_`, like `bike_shop`) verbatim, or it reads
    like a generation prompt. Such a row scores without understanding anything when held out."""
    for name, values in enum_values(tools).items():
        for word in [name] + [value for value in values if "_" in value]:
            if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", message, re.I):
                kind = "function name" if word == name else "enum value"
                return f"names the {kind} {word!r} verbatim"
    if GENERATION_PROMPT.search(message):
        return "reads like a generation prompt, not speech"
    return None


def count_suspect(examples: list[Example], tools: list[dict]) -> int:
    return sum(suspect_reason(example.message, tools) is not None for example in examples)


@dataclass
class DatasetReport:
    """What validation found. `parsed` holds every valid row, `examples` the de-duplicated ones
    without conflicts (what training and evaluation use), `sources` what was read (see
    `describe_source`)."""
    rows: int = 0
    parsed: list = field(default_factory=list)  # Example
    examples: list = field(default_factory=list)  # Example
    errors: list = field(default_factory=list)  # RowError
    duplicates: list = field(default_factory=list)  # {"line", "duplicate_of", "kind", "message"}
    conflicts: list = field(default_factory=list)  # {"message", "lines", "calls"}
    sources: list = field(default_factory=list)  # {"name" (publishable), "kind": bundled/file/hub, "rows", "sha256"}


def check_dataset(rows: list[tuple[Location, dict]], tools: list[dict]) -> DatasetReport:
    """Validate rows; keep the first of each normalised duplicate; a message labelled with two
    different calls is an error on the later row and neither row is kept."""
    report = DatasetReport(rows=len(rows))
    first_seen: dict[str, Example] = {}
    for origin, row in rows:
        try:
            example = parse_row(row, tools, origin)
        except DataError as error:
            report.errors.append(RowError(origin, str(error)))
            continue
        report.parsed.append(example)
        key = normalise_message(example.message)
        earlier = first_seen.setdefault(key, example)
        if earlier is example:
            continue
        if earlier.call != example.call:
            labels = [tool_calls_json(earlier.call), tool_calls_json(example.call)]
            report.conflicts.append({"message": example.message, "lines": [str(earlier.origin), str(origin)],
                                     "calls": labels})
            as_call_and_no_call = (earlier.call is None) != (example.call is None)
            report.errors.append(RowError(origin, f"same message as {earlier.origin} but labelled {labels[1]} "
                                          f"instead of {labels[0]}"
                                          + (" (labelled both as a call and as no call)" if as_call_and_no_call else "")))
        else:
            kind = "exact" if earlier.message == example.message else "normalised"
            report.duplicates.append({"line": str(origin), "duplicate_of": str(earlier.origin), "kind": kind,
                                      "message": example.message})
    conflicted = {normalise_message(conflict["message"]) for conflict in report.conflicts}
    report.examples = [example for key, example in first_seen.items() if key not in conflicted]
    return report


def describe_source(source: str | None, rows: list[tuple[Location, dict]]) -> dict:
    """A dataset source as recorded next to a model: its name (a local file by base name only, never
    a path), its row count and the sha256 of its rows as read (split, message, tool_calls each)."""
    name = source or BUNDLED
    public = rows[0][0].public if rows else ""
    if public:
        name = public
    elif name != BUNDLED and os.path.exists(name):
        name = os.path.basename(name)
    kind = "bundled" if source in (None, BUNDLED) else "file" if public else "hub"
    digest = hashlib.sha256()
    for origin, row in rows:
        cells = [origin.split, row.get("user_message"), row.get("tool_calls")]
        if value_depth(cells[2]) > MAX_JSON_DEPTH:  # a Hub row parse_row refuses; json.dumps would recurse
            cells[2] = "(nested too deep)"
        digest.update(json.dumps(cells, ensure_ascii=False, sort_keys=True, default=repr).encode() + b"\n")
    return {"name": name, "kind": kind, "rows": len(rows), "sha256": digest.hexdigest()}


def no_call_warning(examples: list[Example]) -> str | None:
    """Why the share of no-call rows is a problem (none, or more than half), or None."""
    count = sum(example.call is None for example in examples)
    if examples and not count:
        return ("no rows with tool_calls [] (no tool applies): the model will call a tool for every input; "
                "add out-of-scope rows (about a fifth of the data, like the bundled seeds)")
    if count > len(examples) / 2:
        return (f"{count} of {len(examples)} rows are no-call rows, more than half: the model may learn to "
                "answer without a call when a tool applies")
    return None


def load_examples(sources: list[str] | None, tools: list[dict]) -> tuple[list[Example], DatasetReport]:
    """Merge datasets (bundled seeds when none), validate, de-duplicate; DataError on any error row."""
    rows, described = [], []
    for source in sources or [BUNDLED]:
        source_rows = read_dataset_rows(source)
        described.append(describe_source(source, source_rows))
        rows.extend(source_rows)
    report = check_dataset(rows, tools)
    report.sources = described
    if report.errors:
        shown = "; ".join(str(error) for error in report.errors[:3])
        more = f" (and {len(report.errors) - 3} more)" if len(report.errors) > 3 else ""
        raise DataError(f"{len(report.errors)} invalid row(s): {shown}{more}. "
                        "Run validate_functiongemma_dataset.py for the full list")
    if not report.examples:
        raise DataError("the dataset has no rows")
    return report.examples, report


# ----------------------------------------------------------------------------- split


def split_examples(examples: list[Example], tools: list[dict], test_fraction: float = 0.1, seed: int = 42,
                   resplit: bool = False) -> tuple[list[Example], list[Example]]:
    """Deterministic train/test split, stratified by `routing_label` (no-call rows
    form a stratum of their own).

    The unit of the split is a meaning: rows that share `_renderings.meaning_key` (one is another's
    rendering: "So, where is the water?" and "Where is the water?", "20 km" and "twenty kilometres")
    all land on one side, so no training row, nor any rendering of one, is a rendering of a test row.
    A dataset that brings its own `test` split (a Hub dataset) keeps it: its test rows are test
    rows and its other rows training rows, unless `resplit`; a row of any source that shares a
    meaning with one of its test rows is a test row too, with one of its training rows a training
    row. The rows of every other source are split here. That split depends only on the set of
    messages, the seed and the fraction, never on row order, so training and evaluation derive the
    same held-out rows from the same datasets. Each stratum gets its proportional share of the test
    rows (largest remainders first), whole meanings in the order of their rank, skipping one that
    would overshoot the share; a stratum with a single row stays in training."""
    if not 0 <= test_fraction < 1:
        raise DataError(f"--test-split must be in [0, 1), got {test_fraction}")
    own_split = set() if resplit else set(sources_with_test_split(examples))

    def keeps_its_split(example: Example) -> bool:
        return example.origin is not None and example.origin.source in own_split

    kept = [example for example in examples if keeps_its_split(example)]
    kept_test_keys = {meaning_key(example.message) for example in kept if example.origin.split == "test"}
    kept_test = [example for example in examples if meaning_key(example.message) in kept_test_keys]
    kept_train_keys = {meaning_key(example.message) for example in kept} - kept_test_keys
    kept_train = [example for example in examples if meaning_key(example.message) in kept_train_keys]
    examples = [example for example in examples if meaning_key(example.message) not in kept_test_keys | kept_train_keys]

    def rank(example: Example) -> str:
        return hashlib.sha256(f"{seed}\0{normalise_message(example.message)}".encode()).hexdigest()

    meanings = defaultdict(list)
    for example in examples:
        meanings[meaning_key(example.message)].append(example)
    strata = defaultdict(list)  # label -> its meanings (lists of rows, each in rank order), in rank order
    for rows in meanings.values():
        rows.sort(key=rank)
        strata[min(routing_label(example.call, tools) for example in rows)].append(rows)
    rows_in = {label: sum(map(len, groups)) for label, groups in strata.items()}
    for groups in strata.values():
        groups.sort(key=lambda rows: rank(rows[0]))
    total_test = round(len(examples) * test_fraction)
    shares = {label: rows * test_fraction for label, rows in rows_in.items()}
    quota = {label: int(share) for label, share in shares.items()}
    by_remainder = sorted(strata, key=lambda label: (-(shares[label] - quota[label]), rank_label(label, seed)))
    for label in by_remainder:
        if sum(quota.values()) >= total_test:
            break
        if quota[label] + 1 < rows_in[label]:
            quota[label] += 1
    test, train = [], []
    for label in sorted(strata):
        taken = 0
        for rows in strata[label]:
            if taken + len(rows) <= quota[label]:
                test += rows
                taken += len(rows)
            else:
                train += rows
    random.Random(seed).shuffle(train)
    random.Random(seed + 1).shuffle(test)
    return kept_train + train, kept_test + test


def sources_with_test_split(examples: list[Example]) -> list[str]:
    """The sources among `examples` that bring their own `test` split, in order of appearance."""
    return list(dict.fromkeys(example.origin.source for example in examples
                              if example.origin and example.origin.split == "test"))


def rank_label(label: str, seed: int) -> str:
    return hashlib.sha256(f"{seed}\0{label}".encode()).hexdigest()
# --- end _data.py ---


# --- begin _heldout.py (vendored: what this script uses of it; edit _heldout.py, then run python dev/sync_vendored.py) ---
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
# --- end _heldout.py ---


# --- begin _format.py (vendored: what this script uses of it; edit _format.py, then run python dev/sync_vendored.py) ---
"""FunctionGemma's native format: control tokens, the renderer, its Jinja twin, the parser.

Training, evaluation and the exported model all render prompts and answers with this code and
parse answers like LiteRT-LM does on the device (see the format reference in README.md).
Single source: scripts carry a copy between `# --- begin _format.py` / `# --- end _format.py`
marker lines; edit this file, then run `python dev/sync_vendored.py`. Standard library only.
"""

import os
import re
import sys
from dataclasses import dataclass

DEFAULT_MODEL = "google/functiongemma-270m-it"
DEVELOPER_PROMPT = "You are a model that can do function calling with the following functions"
# What a model trained here answers, in prose and with no call, when no declared tool fits
# (`--no-call-reply`; recorded in training_config.json, which evaluation and export read back).
DEFAULT_NO_CALL_REPLY = "Sorry, I can't help with that on the bike."

# A call turn ends with <start_function_response>; a prose turn with <end_of_turn>.
STOP_TOKENS = (EOS, END_OF_TURN, START_RESPONSE)
FAILURE_CLASSES = ("no_call", "malformed", "unknown_tool", "bad_arguments")


# ----------------------------------------------------------------------------- rendering


def format_value(value) -> str:
    """A value in FunctionGemma's call syntax: strings escaped, keys sorted, literals bare."""
    if isinstance(value, str):
        return f"{ESCAPE}{value}{ESCAPE}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "{" + ",".join(f"{key}:{format_value(value[key])}" for key in sorted(value)) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(format_value(item) for item in value) + "]"
    return str(value)


def render_schema(schema: dict) -> str:
    """A parameter schema: description, enum, type (upper-cased), in that order."""
    parts = []
    if "description" in schema:
        parts.append(f"description:{ESCAPE}{schema['description']}{ESCAPE}")
    if "enum" in schema:
        parts.append("enum:[" + ",".join(f"{ESCAPE}{value}{ESCAPE}" for value in schema["enum"]) + "]")
    parts.append(f"type:{ESCAPE}{str(schema['type']).upper()}{ESCAPE}")
    return "{" + ",".join(parts) + "}"


def render_declaration(tool: dict) -> str:
    function = tool["function"]
    parameters = function.get("parameters") or {}
    parts = []
    if parameters.get("properties"):
        properties = parameters["properties"]
        parts.append("properties:{" + ",".join(f"{key}:{render_schema(properties[key])}"
                                               for key in sorted(properties)) + "}")
    if parameters.get("required"):
        parts.append("required:[" + ",".join(f"{ESCAPE}{key}{ESCAPE}" for key in parameters["required"]) + "]")
    parts.append(f"type:{ESCAPE}{str(parameters.get('type', 'object')).upper()}{ESCAPE}")
    return (f"{START_DECLARATION}declaration:{function['name']}"
            f"{{description:{ESCAPE}{function.get('description', '')}{ESCAPE},"
            f"parameters:{{{','.join(parts)}}}}}{END_DECLARATION}")


def render_prompt(tools: list[dict], message: str) -> str:
    """The prompt up to the model's turn, starting with the single <bos>."""
    declarations = "".join(render_declaration(tool) for tool in tools)
    return (f"{BOS}{START_OF_TURN}developer\n{DEVELOPER_PROMPT.strip()}{declarations}{END_OF_TURN}\n"
            f"{START_OF_TURN}user\n{message.strip()}{END_OF_TURN}\n"
            f"{START_OF_TURN}model\n")


def render_call(call: Call) -> str:
    arguments = ",".join(f"{key}:{format_value(value)}" for key, value in call.arguments)
    return f"{START_CALL}call:{call.name}{{{arguments}}}{END_CALL}"


def check_no_call_reply(reply: str) -> str:
    """The no-call reply, trimmed like the template trims content; DataError if it is unusable."""
    text = reply.strip()
    if not text:
        raise DataError("--no-call-reply must not be empty")
    problem = control_token_problem(text, "--no-call-reply")
    if problem:
        raise DataError(problem)
    return text


def render_completion(call: Call | None, no_call_reply: str = DEFAULT_NO_CALL_REPLY) -> str:
    """The training target: the call, closed by <start_function_response> like the model does;
    for a row no tool serves (call None), the prose reply closed by <end_of_turn>."""
    if call is None:
        return check_no_call_reply(no_call_reply) + END_OF_TURN
    return render_call(call) + START_RESPONSE


def chat_messages(message: str, call: Call | None = None, reply: str | None = None) -> list[dict]:
    """The same conversation in Hugging Face chat form, for tokenizer chat templates: the prompt
    alone, or with the model's answer (a call, or else a prose `reply`)."""
    messages = [{"role": "developer", "content": DEVELOPER_PROMPT},
                {"role": "user", "content": message}]
    if call is not None:
        messages.append({"role": "assistant", "tool_calls": [
            {"type": "function", "function": {"name": call.name, "arguments": call.args}}]})
    elif reply is not None:
        messages.append({"role": "assistant", "content": reply})
    return messages


class TemplateMismatch(RuntimeError):
    """The tokenizer's own chat template renders a different text than this toolkit."""


def check_chat_template(tokenizer, tools: list[dict], example: Example, strict: bool = True,
                        no_call_reply: str = DEFAULT_NO_CALL_REPLY) -> str:
    """Compare the tokenizer's chat template (if any) with our rendering of one example: the prompt
    (up to the model's turn) and the whole conversation with the model's answer (the training
    text). A no-call answer ends its turn, after which a template writes the turn separator "\n";
    the model stops at <end_of_turn>, so training never sees it.

    Returns "ours" when the tokenizer has no template, "match" when both agree; on mismatch
    raises TemplateMismatch (strict) or prints a warning and returns "mismatch"."""
    if not getattr(tokenizer, "chat_template", None):
        return "ours"
    prompt = render_prompt(tools, example.message)
    for what, ours, messages, generation_prompt in (
            ("prompt", prompt, chat_messages(example.message), True),
            ("prompt and completion (the model's turn with its answer)",
             prompt + render_completion(example.call, no_call_reply) + ("\n" if example.call is None else ""),
             chat_messages(example.message, example.call, no_call_reply), False)):
        try:
            theirs = tokenizer.apply_chat_template(messages, tools=tools, add_generation_prompt=generation_prompt,
                                                   tokenize=False)
        except Exception as error:
            theirs = f"<template error: {error}>"
        if theirs == ours:
            continue
        at = next((i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b), min(len(ours), len(theirs)))
        problem = (f"the tokenizer's chat template renders a different {what} from this toolkit at char {at}: "
                   f"template {theirs[max(0, at - 30):at + 40]!r} vs ours {ours[max(0, at - 30):at + 40]!r}")
        if strict:
            raise TemplateMismatch(problem + " (pass --allow-template-mismatch to continue anyway)")
        print(f"warning: {problem}", file=sys.stderr)
        return "mismatch"
    return "match"


def tokenize_example(tokenizer, tools: list[dict], example: Example,
                     no_call_reply: str = DEFAULT_NO_CALL_REPLY) -> tuple[list[int], list[int]]:
    """(prompt ids, completion ids): the rendered text holds its own <bos>, so no special tokens
    are added and the sequence has exactly one <bos>."""
    prompt = tokenizer(render_prompt(tools, example.message), add_special_tokens=False)["input_ids"]
    completion = tokenizer(render_completion(example.call, no_call_reply), add_special_tokens=False)["input_ids"]
    bos_count = (prompt + completion).count(tokenizer.convert_tokens_to_ids(BOS))
    if bos_count != 1:
        raise DataError(f"{example.origin}: rendered example holds {bos_count} <bos> tokens, expected 1")
    return prompt, completion


# An added token of a tokenizer that is text all the same: a run of line breaks, tabs or spaces,
# or an HTML tag (Gemma's <b>, </td>, <blockquote>, ...: its pretraining text holds them) that the
# tokenizer does not mark special. Every other added token is not text (see `token_ids_not_text`).
TEXT_TOKEN = re.compile(r"\s+|</?[a-z][a-z0-9]*>")


def token_ids_not_text(tokenizer) -> set[int]:
    """Ids of every token of the tokenizer that no text may turn into: its special ids and every
    added token (special or not: <start_of_image>, [multimodal], <unused0>, <mask>, the format's
    control tokens, ...) except those that are text (TEXT_TOKEN)."""
    ids = {index for index, token in tokenizer.added_tokens_decoder.items()
           if token.special or not TEXT_TOKEN.fullmatch(token.content)}
    return ids | set(tokenizer.all_special_ids)


def special_tokens_in(tokenizer, texts: list[str]) -> list[str | None]:
    """For each text, the first token the tokenizer turns part of it into that is no text (a
    control token of the format, or another of its own: <start_of_image>, <unused0>, <mask>,
    [multimodal], ...: `token_ids_not_text`), or None."""
    reserved = token_ids_not_text(tokenizer)
    found = []
    for ids in tokenizer(list(texts), add_special_tokens=False)["input_ids"] if texts else []:
        index = next((index for index in ids if index in reserved), None)
        found.append(None if index is None else tokenizer.convert_ids_to_tokens(index))
    return found


NOT_TEXT = "a special or added token of the tokenizer, not text: text cannot carry the model's tokens"


def check_special_tokens(tokenizer, tools: list[dict], examples: list[Example], no_call_reply: str | None,
                         tools_origin: str = "tools", raise_for_rows: bool = True) -> list[tuple[Example, str]]:
    """The tokenizer's side of the control-token check (_data refuses the format's own tokens and
    Gemma's reserved ones before any tokenizer loads): DataError naming the tool and field, or
    --no-call-reply, whose text the tokenizer turns into a token that is no text (a special or
    added one: `token_ids_not_text`); the rows whose message or free-text argument it does, as
    (row, problem) pairs, or with `raise_for_rows` a DataError naming them."""
    fields = [(f"{tools_origin}: tool {index} ({function['name']}): {what}", text)
              for index, function in enumerate(tools_by_name(tools).values(), 1) for what, text in tool_texts(function)]
    if no_call_reply is not None:
        fields.append(("--no-call-reply", no_call_reply))
    row_texts = [(example, "the message", example.message) for example in examples]
    row_texts += [(example, f"the value of argument {key!r}", value) for example in examples
                  if example.call is not None for key, value in example.call.arguments if isinstance(value, str)]
    found = special_tokens_in(tokenizer, [text for _, text in fields] + [text for _, _, text in row_texts])
    for (what, _), token in zip(fields, found):
        if token:
            raise DataError(f"{what} contains {token}, {NOT_TEXT}")
    problems = {}  # the first problem of each row, in row order
    for (example, what, _), token in zip(row_texts, found[len(fields):]):
        if token and id(example) not in problems:
            problems[id(example)] = (example, f"{what} contains {token}, {NOT_TEXT}")
    order = {id(example): index for index, example in enumerate(examples)}
    rows = sorted(problems.values(), key=lambda item: order[id(item[0])])
    if rows and raise_for_rows:
        shown = "; ".join(f"{example.origin}: {problem}" for example, problem in rows[:3])
        more = f" (and {len(rows) - 3} more)" if len(rows) > 3 else ""
        raise DataError(f"{len(rows)} invalid row(s): {shown}{more}")
    return rows


CHARS_PER_TOKEN = 4  # the validator's estimate without a tokenizer (Gemma: 3 to 5 for English and Spanish)


def developer_turn(tools: list[dict]) -> str:
    """What every prompt starts with, up to the user's turn: <bos> and the developer turn with the
    tool declarations."""
    prompt = render_prompt(tools, "")
    return prompt[:prompt.rindex(f"{START_OF_TURN}user\n")]


def row_text(example: Example, no_call_reply: str = DEFAULT_NO_CALL_REPLY) -> str:
    """The rest of a row's rendered text after `developer_turn`: the user's turn, the model's turn
    and its answer."""
    user_turn = render_prompt([], example.message)[len(developer_turn([])):]
    return user_turn + render_completion(example.call, no_call_reply)


@dataclass
class PromptLength:
    """Tokens of the shared developer turn and of each row's own part (`row_text`): exact from a
    tokenizer (it splits the text at the added tokens <end_of_turn> and "\n" that end the developer
    turn, so the parts add up to the whole), else estimated at CHARS_PER_TOKEN characters a token."""
    declarations: int
    rows: list[int]
    examples: list[Example]
    exact: bool

    @property
    def longest(self) -> tuple[int, Example | None]:
        """(tokens, row) of the longest row's own part; (0, None) without rows."""
        return max(zip(self.rows, self.examples), key=lambda item: item[0], default=(0, None))

    @property
    def total(self) -> int:
        """The longest rendered row: declarations and the longest row's own part."""
        return self.declarations + self.longest[0]

    def to_json(self) -> dict:
        return {"declarations": self.declarations, "longest_row": self.longest[0], "total": self.total,
                "exact": self.exact}


def prompt_length(tools: list[dict], examples: list[Example], no_call_reply: str = DEFAULT_NO_CALL_REPLY,
                  tokenizer=None) -> PromptLength:
    """The declarations' and every row's own tokens (see PromptLength), without tokenizing the
    declarations once per row."""
    texts = [developer_turn(tools)] + [row_text(example, no_call_reply) for example in examples]
    if tokenizer is None:
        counts = [-(-len(text) // CHARS_PER_TOKEN) for text in texts]
    else:
        # verbose=False: no warning that a text is longer than the model takes; saying so is our job
        counts = [len(ids) for ids in tokenizer(texts, add_special_tokens=False, verbose=False)["input_ids"]]
    return PromptLength(counts[0], counts[1:], list(examples), tokenizer is not None)


def check_prompt_fits(length: PromptLength, limit: int | None, limit_name: str, tools_origin: str) -> None:
    """DataError with the numbers when the declarations and the longest row take more tokens than
    `limit` (None: no limit known), e.g. the model's context or --max-length."""
    if limit is None or length.total <= limit:
        return
    tokens, example = length.longest
    about = "" if length.exact else "about "
    row = f" and the longest row ({example.origin or 'a row'}) {about}{tokens:,} more" if example else ""
    fix = ("declare fewer tools or shorter descriptions" if length.declarations >= limit
           else "shorten the longest rows, or declare fewer tools or shorter descriptions")
    estimate = ("" if length.exact
                else f" (estimated at {CHARS_PER_TOKEN} characters a token: --tokenizer counts exactly)")
    raise DataError(f"{tools_origin}: the tool declarations take {about}{length.declarations:,} tokens{row}, "
                    f"{about}{length.total:,} in all{estimate}, more than the {limit:,} tokens of {limit_name}: {fix}")


def model_context(model: str, base_model: str | None = None) -> tuple[int | None, str]:
    """(the longest sequence `model` takes, where that is read): max_position_embeddings of its
    config.json (a LoRA adapter's base model's; a multimodal config's text_config), read without
    loading any weights; (None, "") when unknown (no such file, no network)."""
    adapter = model_json_file(model, "adapter_config.json")
    source = model
    if isinstance(adapter, dict):
        source = base_model or adapter.get("base_model_name_or_path")
        if not isinstance(source, str) or not source or source == model:
            return None, ""
    config = model_json_file(source, "config.json")
    if not isinstance(config, dict):
        return None, ""
    for part in (config, config.get("text_config")):
        value = part.get("max_position_embeddings") if isinstance(part, dict) else None
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value, f"{source}/config.json"
    return None, ""


def model_json_file(model: str, filename: str):
    """A model's JSON file (a local dir's, or a Hub repo's), parsed; None when it has none."""
    if os.path.isdir(model):
        path = os.path.join(model, filename)
    elif re.fullmatch(r"[\w.-]+/[\w.-]+", model):
        try:
            from huggingface_hub import hf_hub_download
            path = hf_hub_download(model, filename, token=hf_token())
        except Exception:  # no such file, no network: loading the model says so when it matters
            return None
    else:
        return None
    if not os.path.isfile(path):
        return None
    return parse_json(decode_text(read_local_bytes(path), path), path)


# ----------------------------------------------------------------------------- parsing model output


def prose_text(output: str) -> str:
    """The text of an answer without its closing stop token, trimmed (what an app shows for a no-call answer)."""
    for token in STOP_TOKENS:
        output = output.removesuffix(token)
    return output.strip()


@dataclass(frozen=True)
class Parsed:
    call: Call | None
    failure: str | None = None  # one of FAILURE_CLASSES
    detail: str = ""


class _CallSyntaxError(Exception):
    pass


class _CallReader:
    """Strict reader of `call:NAME{key:value,...}`, the grammar LiteRT-LM accepts."""

    NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_.-]*")
    NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")

    def __init__(self, text: str):
        self.text, self.pos = text, 0

    def expect(self, literal: str):
        if not self.text.startswith(literal, self.pos):
            raise _CallSyntaxError(f"expected {literal!r} at char {self.pos}")
        self.pos += len(literal)

    def name(self) -> str:
        match = self.NAME.match(self.text, self.pos)
        if not match:
            raise _CallSyntaxError(f"expected a name at char {self.pos}")
        self.pos = match.end()
        return match.group()

    def call(self) -> tuple[str, dict]:
        self.expect("call:")
        name = self.name()
        arguments = self.object()
        if self.pos != len(self.text):
            raise _CallSyntaxError(f"unexpected text after the arguments: {self.text[self.pos:self.pos + 20]!r}")
        return name, arguments

    def object(self) -> dict:
        self.expect("{")
        result = {}
        while not self.text.startswith("}", self.pos):
            if result:
                self.expect(",")
            key = self.name()
            self.expect(":")
            if key in result:
                raise _CallSyntaxError(f"duplicate argument {key!r}")
            result[key] = self.value()
        self.expect("}")
        return result

    def array(self) -> list:
        self.expect("[")
        result = []
        while not self.text.startswith("]", self.pos):
            if result:
                self.expect(",")
            result.append(self.value())
        self.expect("]")
        return result

    def value(self):
        if self.text.startswith(ESCAPE, self.pos):
            end = self.text.find(ESCAPE, self.pos + len(ESCAPE))
            if end < 0:
                raise _CallSyntaxError("unterminated <escape> string")
            value = self.text[self.pos + len(ESCAPE):end]
            self.pos = end + len(ESCAPE)
            return value
        if self.text.startswith("{", self.pos):
            return self.object()
        if self.text.startswith("[", self.pos):
            return self.array()
        for literal, value in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(literal, self.pos):
                self.pos += len(literal)
                return value
        match = self.NUMBER.match(self.text, self.pos)
        if not match:
            raise _CallSyntaxError(f"expected a value at char {self.pos} (strings need <escape> quotes)")
        self.pos = match.end()
        number = match.group()
        return float(number) if any(c in number for c in ".eE") else int(number)


def parse_output(text: str, tools: list[dict]) -> Parsed:
    """Parse generated text like LiteRT-LM's FunctionGemma parser; never raises.

    Text outside <start_function_call>…<end_function_call> is plain content; a response with no
    call is `no_call` (the right answer when no tool applies, as the scorer decides); a broken call (or more than one: the router wants exactly one) is
    `malformed`; then the call is checked against the tools."""
    try:
        if not isinstance(text, str):
            return Parsed(None, "malformed", f"not text: {type(text).__name__}")
        starts = text.count(START_CALL)
        if starts == 0:
            return Parsed(None, "no_call", "no <start_function_call> in the answer")
        spans = re.findall(re.escape(START_CALL) + r"(.*?)" + re.escape(END_CALL), text, flags=re.S)
        if len(spans) != starts:
            return Parsed(None, "malformed", "<start_function_call> without <end_function_call>")
        if len(spans) > 1:
            return Parsed(None, "malformed", f"{len(spans)} calls, expected exactly one")
        try:
            name, arguments = _CallReader(spans[0]).call()
        except _CallSyntaxError as error:
            return Parsed(None, "malformed", str(error))
        call = Call.make(name, arguments)
        functions = tools_by_name(tools)
        if name not in functions:
            return Parsed(call, "unknown_tool", f"unknown tool {name!r}")
        problem = check_arguments(functions[name], arguments)
        if problem:
            return Parsed(call, "bad_arguments", problem)
        return Parsed(call)
    except Exception as error:  # the contract is "never raises": report instead
        return Parsed(None, "malformed", f"unparseable: {type(error).__name__}")
# --- end _format.py ---


# --- begin _scoring.py (vendored: what this script uses of it; edit _scoring.py, then run python dev/sync_vendored.py) ---
"""Scoring generated answers against labelled rows, with the device's parser.

Single source: scripts carry a copy between `# --- begin _scoring.py` / `# --- end _scoring.py`
marker lines; edit this file, then run `python dev/sync_vendored.py`. Standard library only.
"""

import re
from collections import Counter, defaultdict

# The figures reported for each rendering side by side (the first rendering also gets the full report),
# and by_boundary when some row has a boundary.
RENDERING_METRICS = ("combined_accuracy", "call_accuracy", "irrelevance_accuracy", "false_call_rate",
                     "missed_call_rate", "tool_accuracy", "valid_format_rate", "false_calls_by_tool")


def lenient(value) -> str:
    """BFCL-style lenient string form: lower-case, no spaces or , . / - _ * ^."""
    return re.sub(r"[ ,./\-_*^]", "", str(value).lower())


def score_predictions(examples: list[Example], outputs: list[str], tools: list[dict], worst: int = 20,
                      no_call_reply: str | None = None) -> dict:
    """Accuracy report for generated `outputs` against the labelled `examples`.

    A row labelled with a call is right when the answer is exactly that call. A no-call row
    (call None) is right when the answer is plain text without a call (`no_call`): the app then
    calls nothing. Answering it with a call (a valid one, or one naming an unknown tool or a value
    outside the enum: the device hands the app all of these) is a false call; a malformed call is
    neither right nor a false call (LiteRT-LM reports it as an error). `no_call_reply`, when given,
    also measures how often a no-call row got exactly that text. Arguments count as right only
    when the tool is right too (`all` is a value of two tools). When some rows are suspect
    (`_data.suspect_reason`), `without_suspect` scores the others. `false_calls_by_tool` counts the
    false calls by the tool named in the answer (most first); when some rows carry a boundary
    (`_data.BOUNDARY_COLUMN`), `by_boundary` gives, per boundary, the false calls among the no-call
    rows (the near misses) and the accuracy on the call rows (their in-scope twins)."""
    if len(examples) != len(outputs):
        raise ValueError(f"{len(examples)} examples but {len(outputs)} outputs")
    total = len(examples)
    failures = Counter({name: 0 for name in FAILURE_CLASSES})
    per_tool = defaultdict(lambda: {"n": 0, "correct": 0, "tool_correct": 0})
    per_value = defaultdict(lambda: {"n": 0, "correct": 0})
    confusion = defaultdict(Counter)
    counts = Counter()
    false_calls = Counter()
    boundaries = defaultdict(Counter)
    mistakes = []
    predictions = []
    for example, output in zip(examples, outputs):
        parsed = parse_output(output, tools)
        predicted = parsed.call
        expected = example.call
        answered_in_prose = parsed.failure == "no_call"
        if expected is None:
            correct = tool_ok = args_ok = lenient_ok = answered_in_prose
            counts.update(no_call_rows=1, no_call_correct=correct, false_call=predicted is not None,
                          reply=answered_in_prose and prose_text(output) == no_call_reply)
            if predicted is not None:
                false_calls[predicted.name] += 1
            boundaries[example.boundary].update(no_call_rows=1, false_calls=predicted is not None)
        else:
            tool_ok = predicted is not None and predicted.name == expected.name
            args_ok = tool_ok and predicted.arguments == expected.arguments
            lenient_ok = tool_ok and (
                {key: lenient(value) for key, value in predicted.arguments}
                == {key: lenient(value) for key, value in expected.arguments})
            correct = tool_ok and args_ok and parsed.failure is None
            counts.update(call_rows=1, call_correct=correct, missed_call=answered_in_prose)
            boundaries[example.boundary].update(call_rows=1, call_correct=correct)
        # prose is a failure only where a call was expected
        failure = parsed.failure if parsed.failure and not (expected is None and answered_in_prose) else None
        counts.update(tool=tool_ok, arguments=args_ok, lenient=lenient_ok, correct=correct, valid=failure is None)
        if failure:
            failures[failure] += 1
        tool_stats = per_tool[expected.name if expected else NO_CALL_LABEL]
        tool_stats["n"] += 1
        tool_stats["correct"] += correct
        tool_stats["tool_correct"] += tool_ok
        value_stats = per_value[routing_label(expected, tools)]
        value_stats["n"] += 1
        value_stats["correct"] += correct
        answered = predicted.name if predicted else NO_CALL_LABEL if answered_in_prose else f"({parsed.failure})"
        confusion[expected.name if expected else NO_CALL_LABEL][answered] += 1
        prediction = {"user_message": example.message, "expected": tool_calls_json(expected),
                      "predicted": predicted.to_json() if predicted else "", "output": output,
                      "correct": correct, "failure": parsed.failure or "", "detail": parsed.detail,
                      "suspect": suspect_reason(example.message, tools) or ""}
        if example.boundary:
            prediction["boundary"] = example.boundary
        predictions.append(prediction)
        if not correct:
            mistakes.append(prediction)

    def rate(n: int) -> float:
        return n / total if total else 0.0

    def share(n: int, of: int) -> float | None:
        """n / of; None when there is nothing to measure (no rows of that kind)."""
        return n / of if of else None

    for stats in list(per_tool.values()) + list(per_value.values()):
        stats["accuracy"] = stats["correct"] / stats["n"]
    clean = [index for index, prediction in enumerate(predictions) if not prediction["suspect"]]
    call_rows, no_call_rows = counts["call_rows"], counts["no_call_rows"]
    report = {
        "examples": total,
        "call_rows": call_rows,
        "no_call_rows": no_call_rows,
        "combined_accuracy": rate(counts["correct"]),
        "call_accuracy": share(counts["call_correct"], call_rows),
        "irrelevance_accuracy": share(counts["no_call_correct"], no_call_rows),
        "false_call_rate": share(counts["false_call"], no_call_rows),
        "missed_call_rate": share(counts["missed_call"], call_rows),
        "no_call_reply_rate": share(counts["reply"], no_call_rows) if no_call_reply is not None else None,
        "tool_accuracy": rate(counts["tool"]),
        "argument_accuracy": rate(counts["arguments"]),
        "lenient_argument_accuracy": rate(counts["lenient"]),
        "valid_format_rate": rate(counts["valid"]),
        "failures": dict(failures),
        "per_tool": dict(sorted(per_tool.items())),
        "per_value": dict(sorted(per_value.items())),
        "confusion": {name: dict(row) for name, row in sorted(confusion.items())},
        "false_calls_by_tool": dict(sorted(false_calls.items(), key=lambda item: (-item[1], item[0]))),
        "worst_examples": mistakes[:worst],
        "suspect_rows": total - len(clean),
        "predictions": predictions,
    }
    if any(example.boundary for example in examples):
        report["by_boundary"] = {
            boundary: {"no_call_rows": stats["no_call_rows"], "false_calls": stats["false_calls"],
                       "false_call_rate": share(stats["false_calls"], stats["no_call_rows"]),
                       "call_rows": stats["call_rows"], "call_accuracy": share(stats["call_correct"], stats["call_rows"])}
            for boundary in BOUNDARIES if (stats := boundaries.get(boundary))}
    if len(clean) < total:  # the same metrics without the rows that may score for free
        rest = score_predictions([examples[index] for index in clean], [outputs[index] for index in clean], tools)
        report["without_suspect"] = {key: rest[key] for key in (
            "examples", "combined_accuracy", "call_accuracy", "irrelevance_accuracy", "false_call_rate",
            "tool_accuracy", "argument_accuracy", "valid_format_rate")}
    return report


def rendered_messages(examples: list[Example], renderings) -> dict[str, list[str]]:
    """Each row's message in each rendering (`_renderings.render`), rendering by rendering."""
    return {rendering: [render(example.message, rendering) for example in examples] for rendering in renderings}


def answer_of(prediction: dict) -> str:
    """What the app would do with an answer: the call, no call, or the failure class."""
    return prediction["predicted"] or (NO_CALL_LABEL if prediction["failure"] == "no_call"
                                       else f"({prediction['failure']})")


def score_renderings(examples: list[Example], outputs: dict[str, list[str]], tools: list[dict], worst: int = 20,
                     no_call_reply: str | None = None) -> dict:
    """`score_predictions` of the first rendering of `outputs` ({rendering: answers}), plus the
    meaning-level figures: each rendering's headline metrics, robust accuracy (a row is right only
    when it is right in every rendering), and the rows whose answer changes with the rendering alone."""
    reports = {rendering: score_predictions(examples, answers, tools, worst=worst, no_call_reply=no_call_reply)
               for rendering, answers in outputs.items()}
    first = next(iter(reports))
    report = dict(reports[first])
    total = len(examples)
    robust = [all(reports[rendering]["predictions"][index]["correct"] for rendering in reports)
              for index in range(total)]
    changed = []
    for index, example in enumerate(examples):
        answers = {rendering: answer_of(reports[rendering]["predictions"][index]) for rendering in reports}
        if len(set(answers.values())) > 1:
            changed.append({"user_message": example.message, "expected": tool_calls_json(example.call),
                            "answers": {rendering: {"message": render(example.message, rendering), "answer": answer}
                                        for rendering, answer in answers.items()}})
    call_rows = [index for index, example in enumerate(examples) if example.call is not None]
    no_call_rows = [index for index, example in enumerate(examples) if example.call is None]
    report.update(
        rendering=first,
        renderings={rendering: {key: result[key] for key in RENDERING_METRICS + ("by_boundary",) if key in result}
                    for rendering, result in reports.items()},
        robust_accuracy=sum(robust) / total if total else 0.0,
        robust_call_accuracy=sum(robust[index] for index in call_rows) / len(call_rows) if call_rows else None,
        robust_irrelevance_accuracy=(sum(robust[index] for index in no_call_rows) / len(no_call_rows)
                                     if no_call_rows else None),
        rendering_sensitive_rows=len(changed),
        rendering_sensitive_rate=len(changed) / total if total else 0.0,
        rendering_sensitive_examples=changed[:worst],
        predictions_by_rendering={rendering: result["predictions"] for rendering, result in reports.items()},
    )
    return report
# --- end _scoring.py ---


# --- begin _inference.py (vendored: what this script uses of it; edit _inference.py, then run python dev/sync_vendored.py) ---
"""Model loading and greedy generation shared by the evaluate, train and export scripts.

Single source: scripts carry a copy between `# --- begin _inference.py` / `# --- end
_inference.py` marker lines; edit this file, then run `python dev/sync_vendored.py`. torch,
transformers and peft are imported inside the functions that need them.

Fast path of `generate_answers`: every prompt starts with the same developer turn (the tool
declarations, ~700 tokens), so it runs once; each batch then copies its KV cache, prefills only
the rows' own tokens and decodes greedily. Rows are left-padded *between* the shared prefix and
their own tokens, and the attention masks are built from true token positions (causal, plus the
sliding window of Gemma 3's local layers), so each row attends to exactly what plain
`model.generate` on that row alone attends to and yields the same tokens. A policy picks the
tokens each row appends (`GreedyPolicy`, or a constrained one that may append several forced
tokens in one forward pass: rows are then left-padded inside the appended block as well).

The call margin: the first answer token decides between a call (`<start_function_call>`) and prose.
`generate_answers` records each row's margin there, log p(`<start_function_call>`) minus log p(the
most likely other token), from the model's full-vocabulary logits before any policy or constraint
sees them. `apply_call_margin` sets a bias of -M on that token's logit in the output head, so every
policy, `model.generate` and an export of the model call only when the margin is at least M; the
value training chose is read back by `call_margin_of`, like the no-call reply.
"""

import json
import math
import os
import re
import statistics
import time


def training_precision():
    """bf16 where the GPU supports it; fp32 on older GPUs (a T4: fp16 is unstable for Gemma 3) and CPU."""
    import torch
    if torch.cuda.is_available() and torch.cuda.is_bf16_supported():
        return torch.bfloat16
    return torch.float32


def _model_json(model: str, filename: str) -> dict | None:
    """A JSON file of a model (local dir or Hub repo); None when the model has no such file."""
    if os.path.isdir(model):
        path = os.path.join(model, filename)
    else:
        try:
            from huggingface_hub import hf_hub_download
            path = hf_hub_download(model, filename, token=hf_token())
        except Exception:  # no such file, or no network: from_pretrained will say
            return None
    if not os.path.exists(path):
        return None
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, json.JSONDecodeError) as error:
        raise DataError(f"{model}: unreadable {filename} ({_one_line(error)})") from None


def _adapter_config(model: str) -> dict | None:
    """adapter_config.json of a LoRA adapter (local dir or Hub repo); None for a full model."""
    return _model_json(model, "adapter_config.json")


# The rule training (and evaluate_functiongemma.py --choose-call-margin) chooses the margin by; the
# README states it in the same words.
CALL_MARGIN_RULE = (
    "among the thresholds M >= 0 (0, the midpoints between consecutive distinct margins of the validation answers "
    "that start with a call, and 1 above the largest), the one with the fewest false calls on the validation rows in "
    "every rendering whose missed calls exceed those at M = 0 by at most max(1, 1% of the call answers); ties go to "
    "the smallest M; without call answers among them (nothing shows what a margin costs) M = 0. At M an answer that "
    "started with a call keeps it when its margin is at least M and otherwise counts as a no-call answer")
CALL_MARGIN_CARD = ("<!-- begin call margin -->", "<!-- end call margin -->")


def call_token_id(tokenizer) -> int:
    """Id of <start_function_call>; DataError if the tokenizer lacks it."""
    index = tokenizer.convert_tokens_to_ids(START_CALL)
    if index is None or index == tokenizer.unk_token_id:
        raise DataError(f"the tokenizer has no {START_CALL} token: not a FunctionGemma tokenizer")
    return index


def _text_config(model):
    return model.config.get_text_config() if hasattr(model.config, "get_text_config") else model.config


def apply_call_margin(model, tokenizer, margin: float) -> None:
    """Make `model` call only when its call margin is at least `margin`: a bias of -margin on
    <start_function_call>'s logit (0 elsewhere) in the output head, at every decoding step.

    At the first answer position that is "call iff margin >= M": the biased call logit minus M beats
    every other logit exactly when the margin (their difference) is at least M; an exact tie is
    decided by the decoder's argmax (the lowest token id in PyTorch), which is why the chosen M lies
    halfway between two observed margins. Later, a call can start inside prose only where the model
    is that sure there too. The head is tied to the input embedding and keeps it (nothing is untied or
    resized); every policy computes its logits through `output_logits`, which adds the bias, and
    `save_pretrained` writes it as `lm_head.bias`, which the exporter builds into the graph. 0 removes it."""
    import torch
    head = model.get_output_embeddings()
    if getattr(head, "bias", None) is not None and call_margin(model) is None:
        raise DataError("the model's output layer has a bias of its own: a call margin cannot be added to it")
    if call_margin(model) is not None:
        head.bias = None
        del head.call_margin
    if not margin:
        return
    if getattr(_text_config(model), "final_logit_softcapping", None):
        raise DataError("the model soft-caps its final logits: a bias on one logit is no threshold on the call "
                        "margin (--call-margin 0)")
    bias = torch.zeros(head.weight.shape[0], dtype=head.weight.dtype, device=head.weight.device)
    bias[call_token_id(tokenizer)] = -margin
    head.bias = torch.nn.Parameter(bias, requires_grad=False)
    head.call_margin = float(margin)


def call_margin(model) -> float | None:
    """The call margin `apply_call_margin` set on `model`, None when there is none."""
    return getattr(model.get_output_embeddings(), "call_margin", None)


def _from_pretrained(loader, source: str, what: str, **kwargs):
    try:
        return loader.from_pretrained(source, token=hf_token(), **kwargs)
    except Exception as error:  # missing files, no network, gated repo: one clear line
        raise DataError(f"{source}: cannot load {what} ({_one_line(error)})") from None


def public_model_name(model: str) -> str:
    """How a model is named in published files: its Hub id, or only the base name of a local folder."""
    return os.path.basename(os.path.abspath(model)) if os.path.isdir(model) else model


def _check_recorded_base(model: str, recorded: str) -> None:
    """DataError when a training output's adapter_config.json names another base than the model its
    training_config.json says training started from (a LoRA trained on another adapter by an older
    train_functiongemma.py: the base it names lacks the first fine-tune)."""
    started_from = (_model_json(model, "training_config.json") or {}).get("base_model")
    if started_from and started_from not in (recorded, public_model_name(recorded),
                                             os.path.basename(os.path.normpath(recorded))):
        raise DataError(f"{model}: adapter_config.json names the base {recorded}, but training started from "
                        f"{started_from} (training_config.json): loaded on that base it is not the model that was "
                        f"trained; pass --base-model with the model training started from ({started_from}, merged "
                        "if it is an adapter)")


def load_model(model: str, base_model: str | None = None, dtype=None, device: str | None = None):
    """(model, tokenizer) from a full checkpoint or a LoRA adapter dir/repo (merged into its base).

    Eager attention, evaluation mode, embeddings never resized (the tokenizer lists ids past the
    embedding table). The tokenizer comes from `model`, falling back to the base model's. A training
    output's adapter must name the base its training started from (unless `base_model` is given)."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    if not os.path.isdir(model) and not re.fullmatch(r"[\w.-]+(/[\w.-]+)?", model):
        raise DataError(f"{model}: no such model directory (and not a Hub model id)")
    dtype = dtype or training_precision()
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    weights = dict(dtype=dtype, attn_implementation="eager")
    adapter = _adapter_config(model)
    base = None
    if adapter is None:
        loaded = _from_pretrained(AutoModelForCausalLM, model, "model", **weights)
    else:
        base = base_model or adapter.get("base_model_name_or_path")
        if not base:
            raise DataError(f"{model}: adapter_config.json names no base model; pass --base-model")
        if base_model is None:
            _check_recorded_base(model, base)
        from peft import PeftModel
        loaded = _from_pretrained(AutoModelForCausalLM, base, f"base model of adapter {model}", **weights)
        try:
            loaded = PeftModel.from_pretrained(loaded, model).merge_and_unload()
        except Exception as error:
            raise DataError(f"{model}: cannot apply LoRA adapter to {base} ({_one_line(error)})") from None
    try:
        tokenizer = AutoTokenizer.from_pretrained(model, token=hf_token())
    except Exception:
        if base is None:
            raise DataError(f"{model}: no tokenizer found") from None
        tokenizer = _from_pretrained(AutoTokenizer, base, "tokenizer")
    stop_token_ids(tokenizer)
    return loaded.to(device).eval(), tokenizer


def stop_token_ids(tokenizer) -> list[int]:
    """Ids of <eos>, <end_of_turn>, <start_function_response>; DataError if the tokenizer lacks one."""
    ids = []
    for token in STOP_TOKENS:
        index = tokenizer.convert_tokens_to_ids(token)
        if index is None or index == tokenizer.unk_token_id:
            raise DataError(f"the tokenizer has no {token} token: not a FunctionGemma tokenizer")
        ids.append(index)
    return ids


def prompt_ids(tokenizer, tools: list[dict], messages: list[str]) -> list[list[int]]:
    """Token ids of each rendered prompt (the text holds its own <bos>: no special tokens added)."""
    return [tokenizer(render_prompt(tools, message), add_special_tokens=False)["input_ids"]
            for message in messages]


def _progress(total: int, enabled: bool, description: str):
    from tqdm.auto import tqdm
    return tqdm(total=total, desc=description, unit="row", disable=not enabled, dynamic_ncols=True)


def _cut_at_stop(tokens: list[int], stops: list[int]) -> list[int]:
    """Tokens up to and including the first stop token, like generate returns them."""
    for index, token in enumerate(tokens):
        if token in stops:
            return tokens[:index + 1]
    return tokens


def shared_prefix_length(sequences: list[list[int]]) -> int:
    """Length of the longest common prefix, leaving every row at least one token of its own."""
    limit = min(len(sequence) for sequence in sequences) - 1
    first = sequences[0]
    length = 0
    while length < limit and all(sequence[length] == first[length] for sequence in sequences):
        length += 1
    return length


ATTENTION_NAME = "functiongemma_shared_prefix"


class SharedPrefixCache:
    """Key/value cache of a batch whose rows continue one shared prefix.

    The prefix keys/values stay a batch of one (never copied per row); each layer's `update`
    returns (prefix, rows) pairs that `shared_prefix_attention` consumes. It also tracks every
    cached token's true position and whether it is padding, to build the attention masks."""

    def __init__(self, model, prefix=None, prefix_positions=None):
        import torch
        config = model.config.get_text_config() if hasattr(model.config, "get_text_config") else model.config
        self.sliding_window = getattr(config, "sliding_window", None)
        self.layer_types = set(getattr(config, "layer_types", None) or ["full_attention"])
        self.dtype, self.device = model.dtype, model.device
        self.prefix = prefix or {}  # layer index -> (keys, values), batch of one
        self.rows = {}  # layer index -> (keys, values), one per row
        empty = torch.zeros((1, 0), dtype=torch.long, device=self.device)
        self.prefix_positions = empty if prefix_positions is None else prefix_positions
        self.row_positions = empty
        self.row_valid = empty.bool()

    def update(self, keys, values, layer_idx, *args, **kwargs):
        import torch
        if layer_idx in self.rows:
            old_keys, old_values = self.rows[layer_idx]
            keys, values = torch.cat([old_keys, keys], dim=-2), torch.cat([old_values, values], dim=-2)
        self.rows[layer_idx] = keys, values
        prefix_keys, prefix_values = self.prefix.get(layer_idx, (keys[:1, :, :0], values[:1, :, :0]))
        return (prefix_keys, keys), (prefix_values, values)

    def get_seq_length(self, layer_idx: int = 0) -> int:
        """Cached tokens, padding included (transformers < 5 asks when no cache_position is given)."""
        rows = self.rows.get(layer_idx)
        return self.prefix_positions.shape[1] + (rows[0].shape[-2] if rows else 0)

    def for_batch(self, model) -> "SharedPrefixCache":
        """A fresh cache for a batch continuing this one's tokens (which become its shared prefix)."""
        return SharedPrefixCache(model, dict(self.rows), self.row_positions)

    def masks(self, positions, valid) -> dict:
        """Additive masks of new tokens at `positions` (valid=False: padding) against the whole cache:
        causal by true position, plus Gemma 3's sliding window on its local layers."""
        import torch
        self.row_positions = torch.cat([self.row_positions.expand(len(positions), -1), positions], dim=1)
        self.row_valid = torch.cat([self.row_valid.expand(len(positions), -1), valid], dim=1)
        key_positions = torch.cat([self.prefix_positions.expand(len(positions), -1), self.row_positions], dim=1)
        key_valid = torch.cat([torch.ones_like(self.prefix_positions, dtype=torch.bool).expand(len(positions), -1),
                               self.row_valid], dim=1)
        query, keys = positions[:, :, None], key_positions[:, None, :]
        visible = key_valid[:, None, :] & (keys <= query)
        # a padding query sees itself only, so no softmax row is empty
        new = positions.shape[1]
        itself = torch.zeros((new, key_positions.shape[1]), dtype=torch.bool, device=self.device)
        itself[:, -new:] = torch.eye(new, dtype=torch.bool, device=self.device)
        blocked = torch.finfo(self.dtype).min

        def additive(allowed):
            allowed = (allowed | itself)[:, None]
            return torch.zeros(allowed.shape, dtype=self.dtype, device=self.device).masked_fill(~allowed, blocked)

        masks = {"full_attention": additive(visible)}
        if "sliding_attention" in self.layer_types:
            masks["sliding_attention"] = additive(visible & (query - keys < self.sliding_window))
        return masks

    def select(self, rows):
        """Keep only these rows (the others finished)."""
        self.rows = {layer: (keys[rows], values[rows]) for layer, (keys, values) in self.rows.items()}
        self.row_positions, self.row_valid = self.row_positions[rows], self.row_valid[rows]


def shared_prefix_attention(module, query, key, value, attention_mask, scaling=None, dropout=0.0,
                            softcap=None, **kwargs):
    """Eager attention over (shared prefix, rows) key/value pairs from `SharedPrefixCache`.

    The same arithmetic as transformers' eager attention, without materialising the prefix (or
    the grouped key/value heads) once per row: the prefix products run as one matrix product
    over all rows' queries."""
    import torch
    (prefix_keys, row_keys), (prefix_values, row_values) = key, value
    batch, heads, queries, dim = query.shape
    kv_heads = row_keys.shape[1]
    grouped = query.reshape(batch, kv_heads, heads // kv_heads * queries, dim)
    stacked = grouped.transpose(0, 1).reshape(kv_heads, -1, dim)  # every row's queries against the prefix

    def per_row(prefix_part):  # (kv_heads, batch * grouped queries, n) -> (batch, heads, queries, n)
        size = prefix_part.shape[-1]
        return prefix_part.reshape(kv_heads, batch, grouped.shape[2], size).transpose(0, 1).reshape(
            batch, heads, queries, size)

    scores = torch.cat([per_row(torch.matmul(stacked, prefix_keys[0].transpose(1, 2))),
                        torch.matmul(grouped, row_keys.transpose(2, 3)).reshape(batch, heads, queries, -1)],
                       dim=-1) * (scaling if scaling is not None else dim ** -0.5)
    if softcap is not None:
        scores = torch.tanh(scores / softcap) * softcap
    if attention_mask is not None:
        scores = scores + attention_mask
    weights = torch.softmax(scores, dim=-1, dtype=torch.float32).to(query.dtype)
    prefix_length = prefix_keys.shape[-2]
    prefix_weights = weights[..., :prefix_length].reshape(batch, kv_heads, grouped.shape[2], prefix_length)
    output = per_row(torch.matmul(prefix_weights.transpose(0, 1).reshape(kv_heads, stacked.shape[1], prefix_length),
                                  prefix_values[0]))
    row_weights = weights[..., prefix_length:].reshape(batch, kv_heads, grouped.shape[2], row_keys.shape[-2])
    output = output + torch.matmul(row_weights, row_values).reshape(batch, heads, queries, dim)
    return output.transpose(1, 2).contiguous(), None


class _SharedPrefixAttention:
    """Within this context the model's attention layers run `shared_prefix_attention`."""

    def __init__(self, model):
        from transformers import AttentionInterface
        AttentionInterface.register(ATTENTION_NAME, shared_prefix_attention)
        self.model = model

    def __enter__(self):
        self.previous = self.model.config._attn_implementation
        self.model.config._attn_implementation = ATTENTION_NAME

    def __exit__(self, *exc):
        self.model.config._attn_implementation = self.previous


def _forward(model, cache: SharedPrefixCache, input_ids, positions, valid, columns: int = 1):
    """Final hidden states of the last `columns` columns after running `input_ids` at `positions` on
    top of `cache` (the output projection is the policy's business: see `output_logits`)."""
    output = model.get_decoder()(input_ids=input_ids, position_ids=positions,
                                 attention_mask=cache.masks(positions, valid), cache=cache, use_cache=True)
    return output.last_hidden_state[:, -columns:, :]


def _soft_capped(model, logits):
    import torch
    cap = getattr(_text_config(model), "final_logit_softcapping", None)
    return torch.tanh(logits / cap) * cap if cap else logits


def output_logits(model, hidden, token_ids=None):
    """The model's next-token logits from final hidden states, as its forward computes them (output
    projection, its bias if any (a call margin's), then Gemma's final soft-capping when configured);
    with `token_ids`, only those columns: the projection onto 262k vocabulary rows dominates a 270M
    model's decode step."""
    import torch
    head = model.get_output_embeddings()
    if token_ids is None:
        logits = head(hidden)
    else:
        bias = head.bias[token_ids] if getattr(head, "bias", None) is not None else None
        logits = torch.nn.functional.linear(hidden, head.weight[token_ids], bias)
    return _soft_capped(model, logits)


def own_logits(model, hidden):
    """The full next-token logits of the model itself: `output_logits` without an applied call margin."""
    import torch
    if call_margin(model) is None:
        return output_logits(model, hidden)
    return _soft_capped(model, torch.nn.functional.linear(hidden, model.get_output_embeddings().weight))


def call_margins(logits, call_id: int) -> list[float]:
    """Per row: log p(<start_function_call>) - log p(the most likely other token), from log-softmax of
    the full logits (their difference when nothing is soft-capped)."""
    import torch
    scores = torch.log_softmax(logits.float(), dim=-1)
    call = scores[:, call_id].clone()
    scores[:, call_id] = float("-inf")
    return (call - scores.max(dim=-1).values).tolist()


class GreedyPolicy:
    """Plain greedy decoding: the argmax of the full logits. A policy tells `generate_answers`
    which tokens each row of a batch appends: `begin` before the first forward pass (nothing
    here), `choose` after each one (one token here; a constrained policy may append several forced
    tokens); `max_new_tokens` is the answer budget."""

    def __init__(self, model):
        self.model = model

    def begin(self, rows: int, max_new_tokens: int) -> list[list[int]]:
        return [[] for _ in range(rows)]

    def choose(self, hidden, rows: list[int]) -> list[list[int]]:
        return self.choose_from_logits(output_logits(self.model, hidden), rows)

    def choose_from_logits(self, logits, rows: list[int]) -> list[list[int]]:
        """`choose` from the full logits already computed (generate_answers' first step)."""
        return [[token] for token in logits.argmax(dim=-1).tolist()]


class Answers(list):
    """`generate_answers`' answers (a plain list of str) with `margins`: each row's call margin at
    its first answer position (see `call_margins`), whatever the policy then chose."""

    def __init__(self, answers=(), margins=()):
        super().__init__(answers)
        self.margins = list(margins)


def generate_answers(model, tokenizer, tools: list[dict], messages: list[str], batch_size: int = 64,
                     max_new_tokens: int = 32, progress: bool = True, policy=None) -> Answers:
    """Greedy answers (decoded with special tokens, cut after the first stop token), equal token for
    token to `generate_per_row`, computing the shared prompt prefix once. `policy` (default
    `GreedyPolicy`) picks the appended tokens, e.g. `_constrained.ConstrainedPolicy`. The result's
    `margins` hold each row's call margin, from the model's own full logits at the first answer
    position (before the tokens a policy forces there, and without an applied call margin's bias)."""
    import torch

    if not messages:
        return Answers()
    policy = policy or GreedyPolicy(model)
    stops = stop_token_ids(tokenizer)
    call_id = call_token_id(tokenizer)
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    sequences = prompt_ids(tokenizer, tools, messages)
    prefix_length = shared_prefix_length(sequences)
    device = model.device
    answers, margins = [""] * len(messages), [0.0] * len(messages)
    # similar lengths share a batch: less padding
    order = sorted(range(len(messages)), key=lambda index: len(sequences[index]))

    def left_padded(chunks: list[list[int]]):
        """Rows of different lengths as one block, padding first (masked out as keys, so a row
        attends to exactly its own tokens)."""
        width = max(len(chunk) for chunk in chunks)
        ids = torch.tensor([[pad] * (width - len(c)) + c for c in chunks], device=device)
        valid = torch.tensor([[False] * (width - len(c)) + [True] * len(c) for c in chunks], device=device)
        return ids, valid

    with torch.inference_mode(), _SharedPrefixAttention(model), \
            _progress(len(messages), progress, "generate") as bar:
        prefix = SharedPrefixCache(model)
        if prefix_length:
            positions = torch.arange(prefix_length, device=device)[None]
            _forward(model, prefix, torch.tensor([sequences[0][:prefix_length]], device=device),
                     positions, torch.ones_like(positions, dtype=torch.bool))
        for start in range(0, len(order), batch_size):
            rows = order[start:start + batch_size]
            generated = [_cut_at_stop(forced, stops)[:max_new_tokens]
                         for forced in policy.begin(len(rows), max_new_tokens)]
            input_ids, valid = left_padded([sequences[index][prefix_length:] + tokens
                                            for index, tokens in zip(rows, generated)])
            positions = (torch.cumsum(valid, dim=1) - 1 + prefix_length).clamp(min=0)
            cache = prefix.for_batch(model)
            states = _forward(model, cache, input_ids, positions, valid, columns=1 + max(map(len, generated)))
            hidden = states[:, -1, :]
            # the first answer position: before the tokens the policy forced (none: the last column)
            forced = any(generated)
            columns = torch.tensor([-1 - len(tokens) for tokens in generated], device=device)
            first = states[torch.arange(len(rows), device=device), columns] if forced else hidden
            first_logits = own_logits(model, first)
            for index, margin in zip(rows, call_margins(first_logits, call_id)):
                margins[index] = margin
            # plain greedy without a call margin picks from exactly these logits: computed once
            reuse = (first_logits if not forced and call_margin(model) is None
                     and hasattr(policy, "choose_from_logits") else None)
            last_positions = positions[:, -1:]

            def finished(tokens: list[int]) -> bool:
                return len(tokens) >= max_new_tokens or (bool(tokens) and tokens[-1] in stops)

            active = [slot for slot, tokens in enumerate(generated) if not finished(tokens)]  # indices into `rows`
            if len(active) < len(rows):
                keep = torch.tensor(active, device=device, dtype=torch.long)
                cache.select(keep)
                hidden, last_positions = hidden[keep], last_positions[keep]
            while active:
                if reuse is not None:
                    chunks, reuse = policy.choose_from_logits(reuse, active), None
                else:
                    chunks = policy.choose(hidden, active)
                still, appended = [], []
                for position, (slot, chunk) in enumerate(zip(active, chunks)):
                    chunk = _cut_at_stop(chunk, stops)[:max_new_tokens - len(generated[slot])]
                    generated[slot].extend(chunk)
                    if not finished(generated[slot]):
                        still.append(position)
                        appended.append(chunk)
                if not still:
                    break
                if len(still) < len(active):
                    keep = torch.tensor(still, device=device)
                    cache.select(keep)
                    last_positions = last_positions[keep]
                    active = [active[position] for position in still]
                input_ids, valid = left_padded(appended)
                positions = last_positions + torch.cumsum(valid, dim=1)
                last_positions = positions[:, -1:]
                hidden = _forward(model, cache, input_ids, positions, valid)[:, -1, :]
            for index, tokens in zip(rows, generated):
                answers[index] = tokenizer.decode(tokens, skip_special_tokens=False)
            bar.update(len(rows))
    return Answers(answers, margins)


def evaluate(model, tokenizer, tools: list[dict], examples: list, batch_size: int = 64,
             max_new_tokens: int = 32, progress: bool = True, worst: int = 20,
             no_call_reply: str | None = None, policy=None, renderings=DEFAULT_RENDERINGS,
             margin_curve: bool = True) -> dict:
    """`score_renderings` of the greedy answers to every row in each of `renderings` (under `policy`,
    see `generate_answers`), plus throughput (rows are counted once per rendering), each answer's
    call margin (`margin` in every prediction), the margin applied (`call_margin`: `apply_call_margin`,
    0 for none) and `margins` (`margin_summary`; `margin_curve` False: without the threshold curve,
    for a policy that forces a call on every row)."""
    started = time.perf_counter()
    messages = rendered_messages(examples, renderings)
    answers = generate_answers(model, tokenizer, tools, [text for texts in messages.values() for text in texts],
                               batch_size=batch_size, max_new_tokens=max_new_tokens, progress=progress,
                               policy=policy)
    seconds = time.perf_counter() - started
    total = len(examples)
    outputs = {rendering: answers[index * total:(index + 1) * total] for index, rendering in enumerate(messages)}
    report = score_renderings(examples, outputs, tools, worst=worst, no_call_reply=no_call_reply)
    for index, predictions in enumerate(report["predictions_by_rendering"].values()):
        for prediction, margin in zip(predictions, answers.margins[index * total:(index + 1) * total]):
            prediction["margin"] = margin
    applied = call_margin(model) or 0.0
    generated = len(answers)
    report.update(seconds=seconds, answers_generated=generated,
                  examples_per_second=generated / seconds if seconds else 0.0,
                  seconds_per_example=seconds / generated if generated else 0.0,
                  call_margin=applied, margins=margin_summary(report, applied, margin_curve))
    return report


# ----------------------------------------------------------------------------- the call margin of answers


def _all_answers(report: dict) -> list[dict]:
    """Every prediction of an `evaluate` report, rendering after rendering."""
    return [prediction for predictions in report["predictions_by_rendering"].values() for prediction in predictions]


def _spread(values: list[float]) -> dict | None:
    """Count, 10th, 25th, 50th, 75th and 90th percentile (nearest rank); None for no values."""
    if not values:
        return None
    ordered = sorted(values)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]

    return {"n": len(ordered), "p10": at(0.1), "p25": at(0.25), "median": statistics.median(ordered),
            "p75": at(0.75), "p90": at(0.9)}


def _withdrawn(prediction: dict, threshold: float) -> bool:
    """Whether an answer that started with a call no longer does at `threshold`."""
    return prediction["output"].startswith(START_CALL) and prediction["margin"] < threshold


def margin_counts(predictions: list[dict], thresholds: list[float]) -> list[tuple[float, int, int]]:
    """(threshold, false calls, missed calls) of these answers at each threshold, from their margins
    alone: an answer that started with a call keeps its verdict when its margin is at least the
    threshold, and otherwise counts as a no-call answer (right on a no-call row, a missed call on a
    call row); every other answer keeps its verdict. Exact at the margin the answers were generated
    with; above it, a withdrawn call stands for the prose the model would write instead."""
    no_call = tool_calls_json(None)
    counts = []
    for threshold in thresholds:
        false_calls = sum(bool(p["predicted"]) and not _withdrawn(p, threshold)
                          for p in predictions if p["expected"] == no_call)
        missed = sum(p["failure"] == "no_call" or _withdrawn(p, threshold)
                     for p in predictions if p["expected"] != no_call)
        counts.append((threshold, false_calls, missed))
    return counts


def margin_thresholds(predictions: list[dict], start: float = 0.0) -> list[float]:
    """`start`, the midpoints between consecutive distinct margins (at least `start`) of the answers
    that start with a call, and 1 above the largest: one threshold for each set of calls a threshold
    can keep, none of them equal to an answer's margin (no answer sits at a tie)."""
    margins = sorted({p["margin"] for p in predictions if p["output"].startswith(START_CALL) and p["margin"] >= start})
    return ([start] + [(low + high) / 2 for low, high in zip(margins, margins[1:])]
            + ([margins[-1] + 1.0] if margins else []))


def margin_curve(predictions: list[dict], start: float = 0.0) -> list[list[float | None]]:
    """[[threshold, false-call rate, missed-call rate], ...] over `margin_thresholds` (rates None
    without rows of that kind)."""
    no_call = tool_calls_json(None)
    no_call_answers = sum(p["expected"] == no_call for p in predictions)
    call_answers = len(predictions) - no_call_answers
    return [[threshold, false_calls / no_call_answers if no_call_answers else None,
             missed / call_answers if call_answers else None]
            for threshold, false_calls, missed in margin_counts(predictions, margin_thresholds(predictions, start))]


LEAST_SURE_SHARE = 0.1


def margin_summary(report: dict, applied: float, curve: bool = True) -> dict:
    """How sure the answers were, over every rendering: the margins of right and of wrong answers
    (percentiles), the error rate among the least sure 10% (smallest |margin|) against all answers,
    and the false-call and missed-call rates over thresholds from `applied` up (`margin_curve`)."""
    answers = _all_answers(report)
    wrong = [p for p in answers if not p["correct"]]
    least = sorted(answers, key=lambda p: abs(p["margin"]))[:math.ceil(LEAST_SURE_SHARE * len(answers))]
    least_wrong = sum(not p["correct"] for p in least)
    summary = {
        "applied": applied, "answers": len(answers),
        "right": _spread([p["margin"] for p in answers if p["correct"]]),
        "wrong": _spread([p["margin"] for p in wrong]),
        "error_rate": len(wrong) / len(answers) if answers else None,
        "least_sure": {"share": LEAST_SURE_SHARE, "answers": len(least),
                       "below": max((abs(p["margin"]) for p in least), default=None),
                       "wrong": least_wrong, "error_rate": least_wrong / len(least) if least else None,
                       "share_of_errors": least_wrong / len(wrong) if wrong else None},
    }
    if curve:
        summary["curve"] = margin_curve(answers, applied)
    return summary


def choose_call_margin(report: dict) -> dict:
    """The call margin of `CALL_MARGIN_RULE`, from an `evaluate` report of the validation rows
    generated without one, with the curve it was chosen on: training_config.json's `call_margin`."""
    if report.get("call_margin"):
        raise ValueError("choose the call margin from answers generated without one")
    answers = _all_answers(report)
    no_call = tool_calls_json(None)
    call_answers = sum(p["expected"] != no_call for p in answers)
    counts = margin_counts(answers, margin_thresholds(answers))
    base_missed = counts[0][2]
    allowed = max(1.0, 0.01 * call_answers)
    eligible = [entry for entry in counts if entry[2] - base_missed <= allowed] if call_answers else counts[:1]
    value, false_calls, missed = min(eligible, key=lambda entry: (entry[1], entry[0]))
    return {"value": value, "rule": CALL_MARGIN_RULE, "rows": report["examples"],
            "renderings": list(report["predictions_by_rendering"]), "answers": len(answers),
            "call_answers": call_answers, "no_call_answers": len(answers) - call_answers,
            "false_calls": {"at_0": counts[0][1], "chosen": false_calls},
            "missed_calls": {"at_0": base_missed, "chosen": missed, "allowed_rise": allowed},
            "validation_curve": margin_curve(answers)}


def sample_curve(curve: list, count: int = 12, keep: float | None = None) -> list:
    """At most `count` points of a margin curve, evenly spread, its ends and the threshold `keep` included."""
    if len(curve) <= count:
        return curve
    chosen = {round(index * (len(curve) - 1) / (count - 1)) for index in range(count)}
    chosen |= {index for index, entry in enumerate(curve) if entry[0] == keep}
    return [curve[index] for index in sorted(chosen)]


def describe_call_margin(record: dict) -> list[str]:
    """Lines that print a chosen call margin and its validation curve."""
    false_calls, missed = record["false_calls"], record["missed_calls"]
    no_call, calls = record["no_call_answers"], record["call_answers"]
    lines = [f"call margin {record['value']:.4g} chosen on {record['rows']} validation rows x "
             f"{len(record['renderings'])} renderings ({', '.join(record['renderings'])}): false calls "
             f"{false_calls['at_0']} -> {false_calls['chosen']} of {no_call} no-call answers, missed calls "
             f"{missed['at_0']} -> {missed['chosen']} of {calls} call answers (at most +{missed['allowed_rise']:g} allowed)",
             f"  {'threshold':>10}{'false calls':>14}{'missed calls':>14}"]
    curve = record["validation_curve"]
    shown = sample_curve(curve, keep=record["value"])
    for threshold, false_rate, missed_rate in shown:
        mark = "  <- chosen" if threshold == record["value"] else ""
        lines.append(f"  {threshold:>10.4g}{percent(false_rate):>14}{percent(missed_rate):>14}{mark}")
    if len(shown) < len(curve):
        lines.append(f"  ({len(curve)} thresholds in all: training_config.json's call_margin.validation_curve)")
    return lines


def call_margin_card(record: dict | None) -> str:
    """The model card's call-margin section (between CALL_MARGIN_CARD markers)."""
    begin, end = CALL_MARGIN_CARD
    if not record:
        return "\n".join([begin, "## Call margin", "",
                          "No call margin was chosen (no validation rows): the model calls a tool whenever "
                          "`<start_function_call>` is its most likely first token.", end])
    false_calls, missed = record["false_calls"], record["missed_calls"]
    return "\n".join([
        begin, "## Call margin", "",
        f"The model calls a tool only when log p(`<start_function_call>`) at the first answer token exceeds the "
        f"log-probability of the most likely other token by at least **M = {record['value']:.4g}** "
        "(`call_margin.value` in `training_config.json`); otherwise it answers in prose. Evaluation and export "
        "apply it by default (`--call-margin 0` turns it off): a bias of -M on that token's logit, which the "
        "`.litertlm` export builds into the graph, so an app receives a call or prose exactly as before.", "",
        f"Chosen on the {record['rows']} validation rows, each {', '.join(record['renderings'])} "
        f"({record['answers']} answers), by this rule: {record['rule']}. There, false calls went from "
        f"{false_calls['at_0']} to {false_calls['chosen']} of {record['no_call_answers']} no-call answers and "
        f"missed calls from {missed['at_0']} to {missed['chosen']} of {record['call_answers']} call answers.",
        end])
# --- end _inference.py ---


# --- begin _shared_prefix.py (vendored: what this script uses of it; edit _shared_prefix.py, then run python dev/sync_vendored.py) ---
"""Shared-prefix batching for supervised fine-tuning: compute the common prompt once per batch.

Every training row starts with the same long developer turn (the tool declarations); only the
user turn and the answer differ. When the rows of a batch share a token prefix, the trainer
runs that prefix once (batch of one, with gradients, no output logits), runs the rows' own
tokens packed into one sequence against its key/value cache, and scores only the completion
tokens. Loss and gradients equal the standard path (one full sequence per row); the work on
the prompt drops by the batch size, and no padding or prompt-position logits are computed.
Dropout is the exception: the prefix runs once, so all rows would share its dropout mask; a model
with active dropout therefore takes the standard path.

Single source: train_functiongemma.py carries a copy between `# --- begin _shared_prefix.py` /
`# --- end _shared_prefix.py` marker lines; edit this file, then run `python dev/sync_vendored.py`. torch, transformers and TRL are imported inside the functions.
"""

import functools

# Batch keys this path understands; anything else (packed position_ids, images, ...) takes the standard path.
PLAIN_BATCH_KEYS = {"input_ids", "attention_mask", "labels"}


def batch_prefix_length(input_ids, attention_mask, labels) -> int:
    """Tokens all rows share before the first position whose output the loss needs (0: none).

    The prefix stops one token before the earliest label, because the hidden state of that
    token predicts the label and must come out of the suffix pass. Right padding is assumed:
    a left-padded batch has no prefix that every row attends to, so it gets 0."""
    import torch

    labelled = labels != -100
    if not labelled.any():
        return 0
    shared = (input_ids == input_ids[:1]).all(dim=0) & attention_mask.bool().all(dim=0)
    common = int(shared.int().cumprod(dim=0).sum())
    no_label = torch.full_like(labelled[:, 0], labels.shape[1], dtype=torch.long)
    first_label = torch.where(labelled.any(dim=1), labelled.int().argmax(dim=1), no_label).min()
    return max(0, min(common, int(first_label) - 1))


def causal_lm_parts(model):
    """(config, decoder, lm_head) of a causal LM, also through a PEFT wrapper."""
    if hasattr(model, "get_base_model"):  # PEFT: the adapters live inside the base model's layers
        model = model.get_base_model()
    return model.config, model.get_decoder(), model.get_output_embeddings()


def packed_suffix_masks(config, prefix_length: int, rows, positions) -> dict:
    """Additive attention masks, per layer type, of the packed suffix tokens against the cache.

    Every suffix token sees the whole shared prefix and the earlier tokens of its own row, by
    true position; on sliding-window layers, only keys less than the window behind it. Float32
    masks suit every precision: the attention scores are softmaxed in float32."""
    import torch

    device = positions.device
    key_positions = torch.cat([torch.arange(prefix_length, device=device), positions])
    key_rows = torch.cat([torch.full((prefix_length,), -1, device=device), rows])
    query_positions, query_rows = positions[:, None], rows[:, None]
    visible = (key_positions <= query_positions) & ((key_rows == -1) | (key_rows == query_rows))

    def additive(allowed):
        blocked = torch.finfo(torch.float32).min
        return torch.zeros(allowed.shape, device=device).masked_fill(~allowed, blocked)[None, None]

    masks = {"full_attention": additive(visible)}
    if getattr(config, "sliding_window", None):
        masks["sliding_attention"] = additive(visible & (query_positions - key_positions < config.sliding_window))
    return masks


def shared_prefix_logits(model, input_ids, attention_mask, labels, prefix_length: int):
    """(logits, targets) at the labelled positions only, computing the shared prefix once.

    The prefix runs as a batch of one; the rows' own tokens (no padding) are then packed into one
    sequence that attends to the prefix's key/value cache through block-diagonal masks. The cache
    keeps its autograd graph, so every row's gradient flows back into the one prefix computation."""
    import torch
    from transformers import DynamicCache

    config, decoder, lm_head = causal_lm_parts(model)
    columns = torch.arange(input_ids.shape[1], device=input_ids.device)
    in_suffix = (columns >= prefix_length) & (columns < attention_mask.sum(dim=1, keepdim=True))  # right padding
    rows, positions = in_suffix.nonzero(as_tuple=True)
    cache = DynamicCache()  # keeps every key: the masks apply the sliding windows
    decoder(input_ids=input_ids[:1, :prefix_length], cache=cache, use_cache=True)
    masks = packed_suffix_masks(config, prefix_length, rows, positions)
    hidden = decoder(input_ids=input_ids[rows, positions][None], position_ids=positions[None],
                     attention_mask=masks, cache=cache, use_cache=True).last_hidden_state[0]
    # The hidden state at position t predicts the label at t + 1 of the same row.
    next_labels = torch.nn.functional.pad(labels[:, 1:], (0, 1), value=-100)[rows, positions]
    labelled = next_labels != -100
    logits = lm_head(hidden[labelled]).float()
    softcap = getattr(config, "final_logit_softcapping", None)
    if softcap is not None:
        logits = torch.tanh(logits / softcap) * softcap
    return logits, next_labels[labelled]


@functools.cache
def shared_prefix_trainer_class(base=None):
    """`SharedPrefixSFTTrainer`: `base` (default TRL's SFTTrainer) whose loss computes a batch's
    shared prefix once.

    Batches without a shared prefix, and what this path does not cover (custom loss functions,
    label smoothing, packing, MoE auxiliary loss, logits for metrics, dropout in training mode,
    several processes: DDP synchronises gradients inside its own forward), take `base`'s own path. Gradient
    checkpointing is switched off: transformers drops the cache inside checkpointed layers, and
    the shared prefix already keeps the activations small."""
    import torch
    from trl import SFTConfig, SFTTrainer

    class SharedPrefixSFTTrainer(base or SFTTrainer):
        def __init__(self, model, args=None, *rest, **kwargs):
            args = args if args is not None else SFTConfig()
            for name in ("gradient_checkpointing", "activation_checkpointing"):  # renamed in recent transformers
                if hasattr(args, name):
                    setattr(args, name, False)
            super().__init__(model, args, *rest, **kwargs)

        def shared_prefix_for(self, model, inputs, return_outputs: bool) -> int:
            """Length of the batch's shared prefix when this path applies to it, else 0."""
            _, decoder, _ = causal_lm_parts(model)
            unsupported = (return_outputs, self.accelerator.num_processes > 1, set(inputs) - PLAIN_BATCH_KEYS,
                           "attention_mask" not in inputs, self.compute_loss_func is not None,
                           self.label_smoother is not None, self.args.loss_type != "nll", self.aux_loss_enabled,
                           any(getattr(module, "gradient_checkpointing", False) for module in decoder.modules()),
                           model.training and any(isinstance(module, torch.nn.Dropout) and module.p > 0
                                                  for module in decoder.modules()))
            if any(unsupported):
                return 0
            return batch_prefix_length(inputs["input_ids"], inputs["attention_mask"], inputs["labels"])

        def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
            prefix_length = self.shared_prefix_for(model, inputs, return_outputs)
            if not prefix_length:
                return super().compute_loss(model, inputs, return_outputs, num_items_in_batch)
            # The standard path autocasts inside the wrapped model's forward (bf16 mixed precision);
            # this one calls the decoder and head directly, so it autocasts itself (a no-op in fp32).
            with self.accelerator.autocast():
                logits, targets = shared_prefix_logits(model, inputs["input_ids"], inputs["attention_mask"],
                                                       inputs["labels"], prefix_length)
            # Normalised like SFTTrainer: summed token losses over all tokens of the optimizer step.
            num_tokens = targets.numel() if num_items_in_batch is None else num_items_in_batch
            loss = torch.nn.functional.cross_entropy(logits, targets, reduction="sum")
            loss = loss / torch.as_tensor(num_tokens, device=loss.device).clamp(min=1)
            self.log_token_metrics(logits.detach(), targets, inputs["attention_mask"])
            return loss

        def log_token_metrics(self, logits, targets, attention_mask):
            """The entropy, token accuracy and token count SFTTrainer logs on its own path."""
            mode = "train" if self.model.training else "eval"
            log_probs = logits.log_softmax(dim=-1)
            self._metrics[mode]["entropy"].append(-(log_probs.exp() * log_probs).sum(dim=-1).mean().item())
            self._metrics[mode]["mean_token_accuracy"].append((logits.argmax(dim=-1) == targets).float().mean().item())
            if mode == "train":
                self._total_train_tokens += int(attention_mask.sum())
            self._metrics[mode]["num_tokens"] = [self._total_train_tokens]

    return SharedPrefixSFTTrainer
# --- end _shared_prefix.py ---


if __name__ == "__main__":
    run_main(main)
