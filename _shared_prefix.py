"""Shared-prefix batching for supervised fine-tuning: compute the common prompt once per batch.

Every training row starts with the same long developer turn (the tool declarations); only the
user turn and the answer differ. When the rows of a batch share a token prefix, the trainer
runs that prefix once (batch of one, with gradients, no output logits), repeats its key/value
cache across the batch, runs the padded suffixes against it, and takes the loss on the
completion tokens only. Loss and gradients equal the standard path (one full sequence per
row); the work drops roughly by the batch size on the prompt part.

This file is the single source. Each script carries a copy between the marker lines
`# --- begin _shared_prefix.py` and `# --- end _shared_prefix.py`; edit this file, then run
`python dev/sync_vendored.py`. torch, transformers and TRL are imported inside the functions.
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
    """(config, decoder, lm_head) of a causal LM, also through PEFT and accelerate wrappers."""
    inner = getattr(model, "module", model)  # DDP / DataParallel
    if hasattr(inner, "get_base_model"):  # PEFT: adapters live inside the base model's layers
        inner = inner.get_base_model()
    return inner.config, inner.get_decoder(), inner.get_output_embeddings()


def shared_prefix_logits(model, input_ids, attention_mask, labels, prefix_length: int):
    """(logits, targets) at the labelled positions only, computing the shared prefix once.

    The prefix's key/value cache keeps its autograd graph, so the gradients of every row flow
    back into the single prefix computation. Gemma 3's sliding-window cache layers keep the
    last window-1 prefix keys, exactly what the suffix queries may still attend to."""
    import torch
    from transformers import DynamicCache

    config, decoder, lm_head = causal_lm_parts(model)
    batch_size, length = input_ids.shape
    cache = DynamicCache(config=config)
    decoder(input_ids=input_ids[:1, :prefix_length], cache=cache, use_cache=True)
    cache.batch_repeat_interleave(batch_size)
    positions = torch.arange(prefix_length, length, device=input_ids.device).expand(batch_size, -1)
    hidden = decoder(input_ids=input_ids[:, prefix_length:], attention_mask=attention_mask,
                     position_ids=positions, cache=cache, use_cache=True).last_hidden_state
    # The hidden state at position t predicts the label at t + 1.
    targets = labels[:, prefix_length + 1:]
    labelled = targets != -100
    logits = lm_head(hidden[:, :-1][labelled]).float()
    softcap = getattr(config, "final_logit_softcapping", None)
    if softcap is not None:
        logits = torch.tanh(logits / softcap) * softcap
    return logits, targets[labelled]


@functools.cache
def shared_prefix_trainer_class():
    """`SharedPrefixSFTTrainer`: TRL's SFTTrainer whose loss computes a batch's shared prefix once.

    Batches without a shared prefix, and configurations this path does not cover (custom loss
    functions, label smoothing, packing, MoE auxiliary loss, logits for metrics), take
    SFTTrainer's own path. Gradient checkpointing is switched off: transformers drops the cache
    inside checkpointed layers, and the shared prefix already keeps the activations small."""
    import torch
    from trl import SFTConfig, SFTTrainer

    class SharedPrefixSFTTrainer(SFTTrainer):
        def __init__(self, model, args=None, *rest, **kwargs):
            args = args if args is not None else SFTConfig()
            for name in ("gradient_checkpointing", "activation_checkpointing"):  # the new name since transformers 5.2x
                if hasattr(args, name):
                    setattr(args, name, False)
            super().__init__(model, args, *rest, **kwargs)

        def shared_prefix_for(self, model, inputs, return_outputs: bool) -> int:
            _, decoder, _ = causal_lm_parts(model)
            if (return_outputs or set(inputs) - PLAIN_BATCH_KEYS or "attention_mask" not in inputs
                    or self.compute_loss_func is not None or self.label_smoother is not None
                    or self.args.loss_type != "nll" or self.aux_loss_enabled
                    or any(getattr(module, "gradient_checkpointing", False) for module in decoder.modules())):
                return 0
            return batch_prefix_length(inputs["input_ids"], inputs["attention_mask"], inputs["labels"])

        def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
            prefix_length = self.shared_prefix_for(model, inputs, return_outputs)
            if not prefix_length:
                return super().compute_loss(model, inputs, return_outputs, num_items_in_batch)
            logits, targets = shared_prefix_logits(model, inputs["input_ids"], inputs["attention_mask"],
                                                   inputs["labels"], prefix_length)
            # Normalised like SFTTrainer: summed token losses over all tokens of the optimizer step.
            num_tokens = targets.numel() if num_items_in_batch is None else num_items_in_batch
            loss = torch.nn.functional.cross_entropy(logits, targets, reduction="sum")
            loss = loss / torch.as_tensor(num_tokens, device=loss.device).clamp(min=1)
            if self.args.average_tokens_across_devices and num_items_in_batch is not None:
                loss = loss * (self.accelerator.num_processes // self.get_tp_size())
            self.log_token_metrics(logits.detach(), targets, inputs["attention_mask"])
            return loss

        def log_token_metrics(self, logits, targets, attention_mask):
            """The entropy, token accuracy and token count SFTTrainer logs on its own path."""
            mode = "train" if self.model.training else "eval"
            gather = self.accelerator.gather_for_metrics
            log_probs = logits.log_softmax(dim=-1)
            num_valid = gather(torch.tensor(targets.numel(), device=logits.device)).sum()
            entropy_sum = gather(-(log_probs.exp() * log_probs).sum()).sum()
            num_correct = gather((logits.argmax(dim=-1) == targets).sum()).sum()
            self._metrics[mode]["entropy"].append((entropy_sum / num_valid).item() if num_valid > 0 else 0.0)
            self._metrics[mode]["mean_token_accuracy"].append(
                (num_correct / num_valid).item() if num_valid > 0 else 0.0)
            if mode == "train":
                self._total_train_tokens += gather(attention_mask.sum()).sum().item() // self._tp_size
            self._metrics[mode]["num_tokens"] = [self._total_train_tokens]

    return SharedPrefixSFTTrainer
