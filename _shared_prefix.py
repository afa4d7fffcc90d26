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
