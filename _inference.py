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
"""

import json
import os
import re
import time

from _cli import DataError, _one_line, hf_token
from _format import DEFAULT_NO_CALL_REPLY, STOP_TOKENS, check_no_call_reply, render_prompt
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


def _forward(model, cache: SharedPrefixCache, input_ids, positions, valid):
    """Final hidden state of the last column after running `input_ids` at `positions` on top of
    `cache` (the output projection is the policy's business: see `output_logits`)."""
    output = model.get_decoder()(input_ids=input_ids, position_ids=positions,
                                 attention_mask=cache.masks(positions, valid), cache=cache, use_cache=True)
    return output.last_hidden_state[:, -1, :]


def output_logits(model, hidden, token_ids=None):
    """The model's next-token logits from final hidden states, as its forward computes them (output
    projection, then Gemma's final soft-capping when configured); with `token_ids`, only those
    columns: the projection onto 262k vocabulary rows dominates a 270M model's decode step."""
    import torch
    head = model.get_output_embeddings()
    if token_ids is None:
        logits = head(hidden)
    else:
        bias = head.bias[token_ids] if getattr(head, "bias", None) is not None else None
        logits = torch.nn.functional.linear(hidden, head.weight[token_ids], bias)
    config = model.config.get_text_config() if hasattr(model.config, "get_text_config") else model.config
    cap = getattr(config, "final_logit_softcapping", None)
    return torch.tanh(logits / cap) * cap if cap else logits


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
        return [[token] for token in output_logits(self.model, hidden).argmax(dim=-1).tolist()]


def generate_answers(model, tokenizer, tools: list[dict], messages: list[str], batch_size: int = 64,
                     max_new_tokens: int = 32, progress: bool = True, policy=None) -> list[str]:
    """Greedy answers (decoded with special tokens, cut after the first stop token), equal token for
    token to `generate_per_row`, computing the shared prompt prefix once. `policy` (default
    `GreedyPolicy`) picks the appended tokens, e.g. `_constrained.ConstrainedPolicy`."""
    import torch

    if not messages:
        return []
    policy = policy or GreedyPolicy(model)
    stops = stop_token_ids(tokenizer)
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    sequences = prompt_ids(tokenizer, tools, messages)
    prefix_length = shared_prefix_length(sequences)
    device = model.device
    answers = [""] * len(messages)
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
            hidden = _forward(model, cache, input_ids, positions, valid)
            last_positions = positions[:, -1:]

            def finished(tokens: list[int]) -> bool:
                return len(tokens) >= max_new_tokens or (bool(tokens) and tokens[-1] in stops)

            active = [slot for slot, tokens in enumerate(generated) if not finished(tokens)]  # indices into `rows`
            if len(active) < len(rows):
                keep = torch.tensor(active, device=device, dtype=torch.long)
                cache.select(keep)
                hidden, last_positions = hidden[keep], last_positions[keep]
            while active:
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
                hidden = _forward(model, cache, input_ids, positions, valid)
            for index, tokens in zip(rows, generated):
                answers[index] = tokenizer.decode(tokens, skip_special_tokens=False)
            bar.update(len(rows))
    return answers


def evaluate(model, tokenizer, tools: list[dict], examples: list, batch_size: int = 64,
             max_new_tokens: int = 32, progress: bool = True, worst: int = 20,
             no_call_reply: str | None = None, policy=None, renderings=DEFAULT_RENDERINGS) -> dict:
    """`score_renderings` of the greedy answers to every row in each of `renderings` (under `policy`,
    see `generate_answers`), plus throughput (rows are counted once per rendering)."""
    started = time.perf_counter()
    messages = rendered_messages(examples, renderings)
    answers = generate_answers(model, tokenizer, tools, [text for texts in messages.values() for text in texts],
                               batch_size=batch_size, max_new_tokens=max_new_tokens, progress=progress,
                               policy=policy)
    seconds = time.perf_counter() - started
    total = len(examples)
    outputs = {rendering: answers[index * total:(index + 1) * total] for index, rendering in enumerate(messages)}
    report = score_renderings(examples, outputs, tools, worst=worst, no_call_reply=no_call_reply)
    generated = len(answers)
    report.update(seconds=seconds, answers_generated=generated,
                  examples_per_second=generated / seconds if seconds else 0.0,
                  seconds_per_example=seconds / generated if generated else 0.0)
    return report
