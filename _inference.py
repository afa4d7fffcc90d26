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

from _cli import DataError, _one_line, hf_token, percent, write_json_report
from _data import tool_calls_json
from _format import DEFAULT_NO_CALL_REPLY, START_CALL, STOP_TOKENS, check_no_call_reply, render_prompt
from _renderings import DEFAULT_RENDERINGS
from _scoring import rendered_messages, score_renderings


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


def no_call_reply_of(model: str, override: str | None = None) -> str:
    """The prose reply a model gives when no tool applies: `override` (--no-call-reply), else the
    one its training_config.json records (a model trained by train_functiongemma.py), else the default."""
    if override is not None:
        return check_no_call_reply(override)
    config = _model_json(model, "training_config.json") or {}
    return check_no_call_reply(config.get("no_call_reply") or DEFAULT_NO_CALL_REPLY)


CALL_MARGIN_KEY = "call_margin"  # in training_config.json: {"value", "rule", "validation_curve", ...}
# The rule training (and evaluate_functiongemma.py --choose-call-margin) chooses the margin by; the
# README states it in the same words.
CALL_MARGIN_RULE = (
    "among the thresholds M >= 0 (0, the midpoints between consecutive distinct margins of the validation answers "
    "that start with a call, and 1 above the largest), the one with the fewest false calls on the validation rows in "
    "every rendering whose missed calls exceed those at M = 0 by at most max(1, 1% of the call answers); ties go to "
    "the smallest M; without call answers among them (nothing shows what a margin costs) M = 0. At M an answer that "
    "started with a call keeps it when its margin is at least M and otherwise counts as a no-call answer")
CALL_MARGIN_CARD = ("<!-- begin call margin -->", "<!-- end call margin -->")


def check_call_margin(value, what: str) -> float:
    """A call margin: a finite number >= 0 (DataError naming `what` otherwise)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise DataError(f"{what} must be a number >= 0, not {value!r}")
    return float(value)


def call_margin_of(model: str, override: float | None = None) -> tuple[float, str]:
    """(margin, where it comes from) a model's calls must clear: `override` (--call-margin; 0 turns
    it off), else the value its training_config.json records (`call_margin.value`, chosen by
    training on its validation rows), else 0: plain greedy decoding, exactly as without a margin."""
    if override is not None:
        return check_call_margin(override, "--call-margin"), "--call-margin"
    record = (_model_json(model, "training_config.json") or {}).get(CALL_MARGIN_KEY)
    if record is None:
        return 0.0, "none"
    value = record.get("value") if isinstance(record, dict) else record
    return check_call_margin(value, f"{model}/training_config.json {CALL_MARGIN_KEY}.value"), "training_config.json"


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


def generate_per_row(model, tokenizer, tools: list[dict], messages: list[str], max_new_tokens: int = 32,
                     progress: bool = True) -> list[str]:
    """Reference path: plain greedy `model.generate` on one prompt at a time."""
    import torch
    stops = stop_token_ids(tokenizer)
    answers = []
    with torch.inference_mode(), _progress(len(messages), progress, "generate (per row)") as bar:
        for ids in prompt_ids(tokenizer, tools, messages):
            input_ids = torch.tensor([ids], device=model.device)
            output = model.generate(input_ids, attention_mask=torch.ones_like(input_ids), do_sample=False,
                                    max_new_tokens=max_new_tokens, eos_token_id=stops,
                                    pad_token_id=tokenizer.pad_token_id)
            new_tokens = _cut_at_stop(output[0, len(ids):].tolist(), stops)
            answers.append(tokenizer.decode(new_tokens, skip_special_tokens=False))
            bar.update(1)
    return answers


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


def store_call_margin(directory: str, record: dict) -> None:
    """Write a chosen call margin into a training output: training_config.json's `call_margin`, and
    the call-margin section of its model card (README.md), replaced or added."""
    path = os.path.join(directory, "training_config.json")
    config = _model_json(directory, "training_config.json")
    if config is None:
        raise DataError(f"{directory} has no training_config.json: not a training output")
    config[CALL_MARGIN_KEY] = record
    write_json_report(path, config)
    card = os.path.join(directory, "README.md")
    if os.path.exists(card):
        with open(card, encoding="utf-8") as handle:
            text = handle.read()
        begin, end = CALL_MARGIN_CARD
        section = call_margin_card(record)
        if begin in text and end in text:
            text = text[:text.index(begin)] + section + text[text.index(end) + len(end):]
        else:
            text = text.rstrip("\n") + "\n\n" + section + "\n"
        with open(card, "w", encoding="utf-8") as handle:
            handle.write(text)
