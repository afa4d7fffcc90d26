# /// script
# requires-python = ">=3.11,<3.14"
# dependencies = [
#     "litert-torch>=0.10,<0.11",
#     "tensorflow-cpu>=2.21",  # litert-torch's generative layers import it; its metadata does not say so
#     "litert-lm-api>=0.18",
#     "litert-lm-builder>=0.18",
#     "torch>=2.6,<2.15",  # litert-torch 0.10 needs torch < 2.15
#     "transformers>=5.24",
#     "peft>=0.19",
#     "safetensors",
#     "protobuf",
#     "huggingface_hub>=2.0",
#     "datasets>=5.1",
#     "tqdm>=4.66.3",
# ]
# ///
"""Export a FunctionGemma model to a `.litertlm` file for LiteRT-LM (Android), and prove it
still answers like the PyTorch model.

Usage:
    uv run export_litertlm.py --model ./functiongemma-lora            # LoRA adapter (merged into its base)
    uv run export_litertlm.py --model google/functiongemma-270m-it    # or any full checkpoint
    uv run export_litertlm.py --model ADAPTER --base-model BASE --output-dir out \\
        --dataset my-data.csv --verify 50 --output-repo me/cycling-router-litertlm

Steps: load the model (an adapter is merged into its base, embeddings never resized), save it
as fp32 safetensors in a temporary directory, rebuild it with litert-torch's Gemma 3 builder,
convert it (`--quantize`, default dynamic_int8) and pack a `.litertlm` holding the tokenizer and
LiteRT-LM metadata: start token id 2, the stop tokens, `llm_model_type function_gemma` and this
toolkit's chat template as `jinja_prompt_template` (so the device renders byte for byte the
prompt the model was trained on). The metadata is read back from the written file and printed.

`--verify N` (default 50, 0 skips) runs the file with LiteRT-LM on the CPU, the way an app does
(tools + developer prompt, the embedded template, LiteRT-LM's FunctionGemma parser), and the
PyTorch model on the same N held-out rows, then reports how often their calls agree (no call on
both sides agrees), each side's accuracy, and for the rows no tool serves (tool_calls [], included
in their share of the N, at least one when there are any) how often each answered in text without
a call. Each row is answered as written and spoken (lower case, no punctuation, as a phone's speech
recogniser returns it: the same renderings evaluate_functiongemma.py scores), so 2N answers a side,
and both sides' robust accuracy (right in both) is reported. It exits 1 when the agreement is below `--min-agreement`. The rows are chosen like
evaluate_functiongemma.py does: a training output (split.json beside the adapter) is verified on
its own heldout.csv with its tools.json; other --dataset rows it was trained on are refused
(exit 2) unless --allow-train-rows; a model without a training record uses the split of
--dataset / --seed / --test-split (a Hub dataset's own test split unless --resplit).

A no-call answer is plain text (the model's --no-call-reply, read from its training_config.json):
the app shows or speaks it and calls nothing.

The call margin: a model whose training chose one (training_config.json's call_margin) calls only
when log p(<start_function_call>) at the first answer token exceeds the most likely other token's
by at least M. The export builds it into the graph: the merged checkpoint gets an lm_head bias of -M
at <start_function_call>'s id (0 elsewhere) and litert-torch's Gemma 3 decoder is built with
lm_head_use_bias, so the app receives a call or prose exactly as before and the file decides the way
the PyTorch model does with the same margin (`--call-margin` overrides it, 0: none). --verify
answers on the PyTorch side with the same margin and reports how often both sides make the same
call / no-call decision, no-call rows included, per rendering.
--verify runs both sides once more constrained (`--constrained`, default calls): LiteRT-LM with
its LL_GUIDANCE constraint and a regex of the declared calls, PyTorch with the evaluator's
token-level grammar. LiteRT-LM's built-in FunctionGemma tool constraint cannot run on these
files: it needs the official SentencePiece `tokenizer.model`, and the file carries the Hugging
Face tokenizer.

`--bench N` times N held-out requests on LiteRT-LM's CPU backend, each configuration in its own
process: time to the first token and to the complete call (median, p90), prefill and decode
tokens/s and peak RSS, for a fresh conversation per request, for a session that keeps the
developer turn prefilled (checkpoint and rewind), and constrained. LiteRT-LM's XNNPACK weight
cache goes to a temporary directory, never beside the file.
`--output-repo` uploads the file and a model card section to a private repo unless `--public`.

The app must pass the tools and this developer prompt as the system message:
"You are a model that can do function calling with the following functions".
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import os
import shutil
import sys
import tempfile
import time



# The header's dependencies, checked first thing in main(): a notebook or another environment's
# python ignores the header (tests/test_versions.py keeps the two equal).
REQUIREMENTS = {
    "litert-torch": ">=0.10,<0.11",
    "litert-lm-api": ">=0.18",
    "litert-lm-builder": ">=0.18",
    "torch": ">=2.6,<2.15",
    "transformers": ">=5.24",
    "peft": ">=0.19",
    "safetensors": "",
    "protobuf": "",
    "huggingface_hub": ">=2.0",
    "datasets": ">=5.1",
    "tqdm": ">=4.66.3",
}
QUANTIZATIONS = ("dynamic_int8", "none", "fp16", "weight_only_int8", "dynamic_int4_block32",
                 "dynamic_int4_block128")
FILE_PREFIX = "functiongemma"
# --verify answers each row as written and as a phone's speech recogniser writes it
VERIFY_RENDERINGS = ("as_written", "spoken")
CARD_BEGIN, CARD_END = "<!-- begin litertlm export -->", "<!-- end litertlm export -->"


def check_settings(args) -> None:
    if args.quantize not in QUANTIZATIONS:
        raise DataError(f"--quantize {args.quantize!r} is not supported; choose one of {', '.join(QUANTIZATIONS)}")
    if args.prefill_seq_len < 1 or args.kv_cache_max_len <= args.prefill_seq_len:
        raise DataError("--kv-cache-max-len must be larger than --prefill-seq-len (both positive)")
    if args.verify < 0 or args.bench < 0 or not 0 <= args.min_agreement <= 1:
        raise DataError("--verify and --bench must be >= 0 and --min-agreement in [0, 1]")
    if args.call_margin is not None and not (math.isfinite(args.call_margin) and args.call_margin >= 0):
        raise DataError("--call-margin must be a number >= 0")


def check_free_space(directory: str, needed: int, what: str) -> None:
    """Fail before a long conversion rather than in the middle of it."""
    os.makedirs(directory, exist_ok=True)
    free = shutil.disk_usage(directory).free
    if free < needed:
        raise DataError(f"out of disk space: {what} needs about {needed / 1e9:.1f} GB in {directory}, "
                        f"only {free / 1e9:.1f} GB free")


def save_merged(model, tokenizer, directory: str) -> str:
    """fp32 safetensors + tokenizer for the litert-torch builder; returns the tokenizer file to bundle.

    The HF `tokenizer.json` is preferred: it is what the PyTorch side tokenizes with."""
    model.save_pretrained(directory, safe_serialization=True)
    tokenizer.save_pretrained(directory)
    for name in ("tokenizer.json", "tokenizer.model"):
        if os.path.exists(os.path.join(directory, name)):
            return os.path.join(directory, name)
    raise DataError("the tokenizer has no tokenizer.json or tokenizer.model file to bundle "
                    "(a fast Hugging Face tokenizer or a SentencePiece model is needed)")


def litert_config(config, lm_head_bias: bool = False):
    """litert-torch's Gemma 3 decoder config equal to a Hugging Face Gemma 3 text config
    (`lm_head_bias`: the output projection adds a bias, the call margin's)."""
    from litert_torch.generative.layers import model_config as cfg

    config = config.get_text_config() if hasattr(config, "get_text_config") else config
    if getattr(config, "model_type", "") not in ("gemma3_text", "gemma3"):
        raise DataError(f"only Gemma 3 models can be exported, this one is {config.model_type!r}")
    # litert-torch scales attention by 1/sqrt(head_dim) and has no soft-capping: refuse what it would get wrong
    if getattr(config, "query_pre_attn_scalar", config.head_dim) != config.head_dim:
        raise DataError(f"query_pre_attn_scalar {config.query_pre_attn_scalar} != head_dim {config.head_dim}: "
                        "litert-torch's Gemma 3 builder cannot express it")
    if config.attn_logit_softcapping or config.final_logit_softcapping:
        raise DataError("logit soft-capping is not supported by litert-torch's Gemma 3 builder")
    rope = getattr(config, "rope_parameters", None) or {
        "full_attention": {"rope_theta": config.rope_theta},
        "sliding_attention": {"rope_theta": config.rope_local_base_freq}}
    norm = cfg.NormalizationConfig(type=cfg.NormalizationType.RMS_NORM, epsilon=config.rms_norm_eps,
                                   zero_centered=True)
    feed_forward = cfg.FeedForwardConfig(
        type=cfg.FeedForwardType.GATED, activation=cfg.ActivationConfig(cfg.ActivationType.GELU_TANH),
        intermediate_size=config.intermediate_size, pre_ff_norm_config=norm, post_ff_norm_config=norm)

    def block(layer_type: str):
        if rope[layer_type].get("rope_type", "default") != "default":
            raise DataError(f"rope scaling {rope[layer_type]['rope_type']!r} is not supported by the exporter")
        attention = cfg.AttentionConfig(
            num_heads=config.num_attention_heads, head_dim=config.head_dim,
            num_query_groups=config.num_key_value_heads, rotary_base=int(rope[layer_type]["rope_theta"]),
            rotary_percentage=1.0, qkv_transpose_before_split=True, query_norm_config=norm,
            key_norm_config=norm, logit_softcap=None, sliding_window_size=config.sliding_window,
            attn_type=(cfg.AttentionType.GLOBAL if layer_type == "full_attention"
                       else cfg.AttentionType.LOCAL_SLIDING))
        return cfg.TransformerBlockConfig(attn_config=attention, ff_config=feed_forward,
                                          pre_attention_norm_config=norm, post_attention_norm_config=norm)

    return cfg.ModelConfig(
        vocab_size=config.vocab_size, num_layers=config.num_hidden_layers,
        max_seq_len=config.max_position_embeddings, embedding_dim=config.hidden_size,
        embedding_scale=config.hidden_size ** 0.5, block_configs=[block(t) for t in config.layer_types],
        final_norm_config=norm, lm_head_use_bias=lm_head_bias, final_logit_softcap=None)


def function_gemma_metadata(directory: str) -> str:
    """Base LiteRT-LM metadata selecting the FunctionGemma parser with the embedded template."""
    from litert_lm_builder.runtime.proto import llm_metadata_pb2

    metadata = llm_metadata_pb2.LlmMetadata()
    metadata.llm_model_type.function_gemma.use_template_for_fc_format = True
    path = os.path.join(directory, "function_gemma_metadata.pb")
    with open(path, "wb") as handle:
        handle.write(metadata.SerializeToString())
    return path


def check_output_bias(bias, margin: float, call_id: int) -> None:
    """The bias the built model's output projection adds must be the call margin's: -margin at
    <start_function_call>, 0 elsewhere (the loader would leave a bias it found no tensor for at its
    random initial values)."""
    import torch
    expected = torch.zeros_like(bias)
    expected[call_id] = -margin
    if not torch.equal(bias, expected):
        raise DataError(f"the converted model's lm_head bias is not the call margin's (-{margin:g} at token "
                        f"{call_id}, 0 elsewhere): litert-torch did not load lm_head.bias")


def convert(checkpoint_dir: str, hf_config, tokenizer_file: str, output_dir: str, args, margin: float = 0.0,
            call_id: int | None = None) -> str:
    """Build the litert-torch model from the merged checkpoint and write the .litertlm; returns its path.

    With a call margin the checkpoint holds `lm_head.bias` (save_pretrained writes the bias
    `apply_call_margin` set). litert-torch's Gemma 3 tensor names have no lm_head (it reuses the
    embedding) and its loader reads a bias only as `{lm_head}.bias` next to `{lm_head}.weight`: the
    names get lm_head="lm_head" and the loader the embedding as lm_head.weight (the same tensor,
    tied as before), so `lm_head.bias` lands in the graph's output projection."""
    from litert_torch.generative.examples.gemma3 import decoder
    from litert_torch.generative.layers import kv_cache
    from litert_torch.generative.utilities import converter, export_config, loader, model_builder

    config = litert_config(hf_config, lm_head_bias=bool(margin))
    names, custom_loader = decoder.TENSOR_NAMES_SEP_QKV, None
    if margin:
        names = dataclasses.replace(names, lm_head="lm_head")

        def custom_loader(path: str) -> dict:
            state = loader.load_safetensors(path)
            state["lm_head.weight"] = state[f"{names.embedding}.weight"]
            return state

    model = model_builder.build_decoder_only_model(
        checkpoint_path=checkpoint_dir, config=config, tensor_names=names, model_class=decoder.Decoder,
        custom_loader=custom_loader)
    if margin:
        check_output_bias(model.lm_head.bias.detach(), margin, call_id)
    tokenizer_argument = ("hf_tokenizer_model_path" if tokenizer_file.endswith(".json")
                          else "tokenizer_model_path")
    # LiteRT-LM's CPU runtime expects the mask as an input and a transposed KV cache (as Google's Gemma 3 exports)
    settings = export_config.ExportConfig(mask_as_input=True, kvcache_layout=kv_cache.KV_LAYOUT_TRANSPOSED)
    converter.convert_to_litert(
        model, output_path=output_dir, output_name_prefix=FILE_PREFIX, prefill_seq_len=args.prefill_seq_len,
        kv_cache_max_len=args.kv_cache_max_len, quantize=args.quantize, export_config=settings,
        output_format="litertlm", **{tokenizer_argument: tokenizer_file},
        start_token_id=CONTROL_TOKEN_IDS[BOS], stop_tokens=list(STOP_TOKENS),
        jinja_prompt_template=CHAT_TEMPLATE, base_llm_metadata_path=function_gemma_metadata(checkpoint_dir))
    suffix = converter.create_quantize_suffix(args.quantize)
    return os.path.join(output_dir, f"{FILE_PREFIX}_{suffix}_ekv{args.kv_cache_max_len}.litertlm")


def read_metadata(path: str):
    """The LlmMetadata stored in a .litertlm file, and the names of its sections."""
    import io
    from litert_lm_builder import litertlm_core, litertlm_peek
    from litert_lm_builder import litertlm_header_schema_py_generated as schema
    from litert_lm_builder.runtime.proto import llm_metadata_pb2

    header = litertlm_peek.read_litertlm_header(path, io.StringIO())
    sections = header.SectionMetadata()
    metadata, kinds = None, []
    with open(path, "rb") as handle:
        for index in range(sections.ObjectsLength()):
            section = sections.Objects(index)
            kinds.append(litertlm_core.any_section_data_type_to_string(section.DataType()))
            if section.DataType() == schema.AnySectionDataType.LlmMetadataProto:
                handle.seek(section.BeginOffset())
                metadata = llm_metadata_pb2.LlmMetadata.FromString(
                    handle.read(section.EndOffset() - section.BeginOffset()))
    if metadata is None:
        raise DataError(f"{path}: no LiteRT-LM metadata section")
    return metadata, kinds


def describe_metadata(metadata, kinds: list[str]) -> dict:
    def token(union) -> str | int:
        return union.token_str if union.HasField("token_str") else list(union.token_ids.ids)

    model_type = metadata.llm_model_type.WhichOneof("model_type")
    options = getattr(metadata.llm_model_type, model_type) if model_type else None
    return {
        "sections": kinds,
        "start_token": token(metadata.start_token),
        "stop_tokens": [token(stop) for stop in metadata.stop_tokens],
        "llm_model_type": model_type,
        "use_template_for_fc_format": bool(getattr(options, "use_template_for_fc_format", False)),
        "max_num_tokens": metadata.max_num_tokens,
        "jinja_prompt_template_chars": len(metadata.jinja_prompt_template),
        "template_is_chat_template": metadata.jinja_prompt_template == CHAT_TEMPLATE,
    }


def print_metadata(path: str, info: dict) -> None:
    print(f"\n{path}: {os.path.getsize(path) / 1e6:.1f} MB")
    print(f"  sections: {', '.join(info['sections'])}")
    print(f"  start token: {info['start_token']}   stop tokens: {info['stop_tokens']}")
    print(f"  llm_model_type: {info['llm_model_type']} (use_template_for_fc_format: "
          f"{str(info['use_template_for_fc_format']).lower()})   max_num_tokens: {info['max_num_tokens']}")
    same = "equal to the training chat template" if info["template_is_chat_template"] else "DIFFERENT from the training chat template"
    print(f"  jinja_prompt_template: {info['jinja_prompt_template_chars']} chars, {same}")


# ----------------------------------------------------------------------------- verification


def device_answer(response) -> str:
    """A LiteRT-LM reply as FunctionGemma text: its plain text, then its parsed calls re-rendered."""
    calls = "".join(render_call(Call.make(call.name, dict(call.arguments))) for call in response.tool_calls)
    return str(response.contents) + calls


class DeviceRunner:
    """The exported file on LiteRT-LM's CPU backend, driven like an app: tools, developer prompt, greedy.

    `cache_dir` receives LiteRT-LM's XNNPACK weight cache (about the size of the file), which it
    otherwise writes beside the model: keep it out of the output directory."""

    def __init__(self, path: str, tools: list[dict], max_new_tokens: int, cache_dir: str,
                 threads: int | None = None, benchmark: bool = False):
        import litert_lm

        litert_lm.set_min_log_severity(litert_lm.LogSeverity.ERROR)

        class DeclaredTool(litert_lm.Tool):
            def __init__(self, declaration: dict):
                self.declaration = declaration

            def get_tool_description(self) -> dict:
                return self.declaration

            def execute(self, param):  # never called: automatic tool calling is off
                raise NotImplementedError

        self.litert_lm = litert_lm
        self.tool_list = tools
        self.tools = [DeclaredTool(tool) for tool in tools]
        self.max_new_tokens = max_new_tokens
        self.benchmark = benchmark
        self.engine = litert_lm.Engine(path, backend=litert_lm.Backend.CPU(thread_count=threads),
                                       cache_dir=cache_dir, enable_benchmark=benchmark)

    def conversation(self, constrained: bool = False):
        # LiteRT-LM's own FunctionGemma constraint needs a SentencePiece tokenizer (see constraint_note);
        # the one that works with any file is LL_GUIDANCE with a regex response format per message
        config = (self.litert_lm.ConstrainedDecodingConfig(
            enable=True, provider=self.litert_lm.LiteRtLmConstraintProviderType.LL_GUIDANCE) if constrained else None)
        return self.engine.create_conversation(
            tools=self.tools, messages=[{"role": "developer", "content": DEVELOPER_PROMPT}],
            automatic_tool_calling=False, sampler_config=self.litert_lm.SamplerConfig(top_k=1),
            constrained_decoding_config=config)

    def rendered_prompt(self, message: str) -> str | None:
        """The prompt LiteRT-LM renders for one user message, or None if its API does not expose it."""
        conversation = self.conversation()
        try:
            render = getattr(conversation, "render_message_to_string", None)
            return render({"role": "user", "content": message}) if render else None
        finally:
            conversation.close()

    def answer(self, message: str, regex: str | None = None) -> tuple[str, dict]:
        """(answer as FunctionGemma text, timings) of one request on a fresh conversation;
        `regex`: LL_GUIDANCE-constrained to it. Timings need benchmark=True (else empty)."""
        conversation = self.conversation(constrained=regex is not None)
        response_format = self.litert_lm.ResponseFormat.regex(regex) if regex else None
        try:
            started = time.perf_counter()
            response = conversation.send_message(message, max_output_tokens=self.max_new_tokens,
                                                 response_format=response_format)
            seconds = time.perf_counter() - started
            return device_answer(response), self._timings(conversation, seconds)
        except RuntimeError as error:  # LiteRT-LM rejects a malformed call as a whole
            return f"(LiteRT-LM error: {str(error).splitlines()[0]})", {}
        finally:
            conversation.close()

    def _timings(self, runner, seconds: float) -> dict:
        """Per request, from LiteRT-LM's counters of its last prefill and decode turns (its own
        time to first token counts the first turn of a conversation only)."""
        if not self.benchmark:
            return {}
        info = runner.get_benchmark_info()
        prefill_seconds = info.last_prefill_token_count / info.last_prefill_tokens_per_second
        return {"seconds": seconds, "first_token_seconds": prefill_seconds + 1 / info.last_decode_tokens_per_second,
                "prefill_tokens": info.last_prefill_token_count, "prefill_per_second": info.last_prefill_tokens_per_second,
                "decode_tokens": info.last_decode_token_count, "decode_per_second": info.last_decode_tokens_per_second}

    def answers_reusing_the_developer_turn(self, messages: list[str]) -> tuple[list[str], list[dict], float]:
        """(raw answers, timings, seconds of the one developer-turn prefill): a session prefills the
        developer turn once and saves a checkpoint; each request prefills only its user turn,
        decodes, and rewinds. Python's API (0.18) wraps neither checkpoints nor clones: the C
        functions are called directly."""
        import ctypes
        library = self.litert_lm._ffi._get_lib()
        for name in ("litert_lm_session_save_checkpoint", "litert_lm_session_rewind_to_checkpoint"):
            getattr(library, name).argtypes = [ctypes.c_void_p, ctypes.c_char_p]
            getattr(library, name).restype = ctypes.c_int
        prompts = [render_prompt(self.tool_list, message) for message in messages]
        cut = prompts[0].index(f"{START_OF_TURN}user")
        session = self.engine.create_session(apply_prompt_template=False, max_output_tokens=self.max_new_tokens,
                                             sampler_config=self.litert_lm.SamplerConfig(top_k=1))
        try:
            started = time.perf_counter()
            session.run_prefill([prompts[0][len(BOS):cut]])  # the session inserts the start token itself
            developer_seconds = time.perf_counter() - started
            if library.litert_lm_session_save_checkpoint(session._ptr, b"developer") != 0:
                raise RuntimeError("litert_lm_session_save_checkpoint failed")
            answers, timings = [], []
            for prompt in prompts:
                started = time.perf_counter()
                session.run_prefill([prompt[cut:]])
                answers.append(session.run_decode().texts[0])
                timings.append(self._timings(session, time.perf_counter() - started))
                if library.litert_lm_session_rewind_to_checkpoint(session._ptr, b"developer") != 0:
                    raise RuntimeError("litert_lm_session_rewind_to_checkpoint failed")
            return answers, timings, developer_seconds
        finally:
            session.close()

    def close(self) -> None:
        self.engine.close()


def constraint_note(sections: list[str]) -> str:
    """Whether LiteRT-LM's built-in FunctionGemma tool constraint can run on this file."""
    if "SP_Tokenizer" in sections:
        return "available (the file carries a SentencePiece tokenizer)"
    return ("unavailable: it needs the official SentencePiece tokenizer.model and this file carries a Hugging Face "
            "tokenizer (LiteRT-LM logs 'Constrained decoding is only supported for SentencePiece tokenizer' "
            "and decodes unconstrained); the LL_GUIDANCE regex constraint is what an app can use")


def check_rendered_prompt(device: DeviceRunner, tools: list[dict], example) -> str:
    """'match' / 'mismatch: ...' / 'not exposed': LiteRT-LM's prompt (after its start token) vs ours."""
    rendered = device.rendered_prompt(example.message)
    if rendered is None:
        return "not exposed by this litert-lm-api version"
    device_prompt = BOS + rendered  # LiteRT-LM inserts the start token (id 2) itself
    ours = render_prompt(tools, example.message)
    if device_prompt == ours:
        return "match"
    at = next((i for i, (a, b) in enumerate(zip(ours, device_prompt)) if a != b), min(len(ours), len(device_prompt)))
    return f"mismatch at char {at}: device {device_prompt[max(0, at - 30):at + 40]!r} vs ours {ours[max(0, at - 30):at + 40]!r}"


def verification_rows(rows: list, count: int) -> list:
    """`count` of the selected rows: no-call rows in their share of them (at least one when there are any)."""
    no_call = [row for row in rows if row.call is None]
    wanted = min(len(no_call), count, max(1, round(count * len(no_call) / len(rows)))) if no_call else 0
    return [row for row in rows if row.call is not None][:count - wanted] + no_call[:wanted]


def rendered_rows(examples: list) -> list:
    """Each row in each of VERIFY_RENDERINGS, rendering by rendering: what both sides answer."""
    messages = rendered_messages(examples, VERIFY_RENDERINGS)
    return [Example(text, example.call, example.origin) for texts in messages.values()
            for text, example in zip(texts, examples)]


def robust_figures(examples: list, outputs: list[str], tools: list[dict], no_call_reply: str | None) -> dict:
    """Robust accuracy and each rendering's accuracy and false calls, of answers laid out like `rendered_rows`."""
    total = len(examples)
    report = score_renderings(examples, {rendering: outputs[index * total:(index + 1) * total]
                                         for index, rendering in enumerate(VERIFY_RENDERINGS)},
                              tools, no_call_reply=no_call_reply)
    return {"robust_accuracy": report["robust_accuracy"],
            "rendering_sensitive_rows": report["rendering_sensitive_rows"],
            "renderings": report["renderings"]}


def calls(output: str, tools: list[dict]) -> bool:
    """The call / no-call decision an answer holds: a call (valid or not: LiteRT-LM rejects a
    malformed one with an error) or prose alone."""
    return output.startswith("(LiteRT-LM error:") or parse_output(output, tools).failure != "no_call"


def answered_in_text(output: str, tools: list[dict]) -> bool:
    """The answer an app can show: some text and no call."""
    return parse_output(output, tools).failure == "no_call" and bool(prose_text(output))


def compare(examples: list, device_outputs: list[str], torch_outputs: list[str], tools: list[dict],
            no_call_reply: str | None = None) -> dict:
    """Agreement of the parsed calls (both without a call counts as agreeing), each side's accuracy,
    and on the no-call rows how often each side answered in text without a call."""
    rows = []
    for example, device, reference in zip(examples, device_outputs, torch_outputs):
        parsed_device, parsed_torch = parse_output(device, tools), parse_output(reference, tools)
        rows.append({"user_message": example.message, "expected": tool_calls_json(example.call),
                     "litertlm": device, "pytorch": reference,
                     "calls_agree": parsed_device.call == parsed_torch.call,
                     "both_without_call": parsed_device.call is None and parsed_torch.call is None,
                     "litertlm_calls": calls(device, tools), "pytorch_calls": calls(reference, tools),
                     "texts_agree": prose_text(device) == prose_text(reference)})
    total = len(rows) or 1
    device_report = score_predictions(examples, device_outputs, tools, no_call_reply=no_call_reply)
    torch_report = score_predictions(examples, torch_outputs, tools, no_call_reply=no_call_reply)

    def text_on_no_call_rows(outputs: list[str]) -> int:
        return sum(example.call is None and answered_in_text(output, tools) for example, output in zip(examples, outputs))

    for row in rows:
        row["decisions_agree"] = row["litertlm_calls"] == row["pytorch_calls"]
    return {
        "rows": len(rows),
        "agreement": sum(row["calls_agree"] for row in rows) / total,
        "decision_agreement": sum(row["decisions_agree"] for row in rows) / total,
        "litertlm_call_answers": sum(row["litertlm_calls"] for row in rows),
        "pytorch_call_answers": sum(row["pytorch_calls"] for row in rows),
        "text_agreement": sum(row["texts_agree"] for row in rows) / total,
        "both_without_call": sum(row["both_without_call"] for row in rows),
        "litertlm_accuracy": device_report["combined_accuracy"],
        "pytorch_accuracy": torch_report["combined_accuracy"],
        "litertlm_valid_format": device_report["valid_format_rate"],
        "pytorch_valid_format": torch_report["valid_format_rate"],
        "no_call_rows": device_report["no_call_rows"],
        "litertlm_text_on_no_call_rows": text_on_no_call_rows(device_outputs),
        "pytorch_text_on_no_call_rows": text_on_no_call_rows(torch_outputs),
        "litertlm_false_call_rate": device_report["false_call_rate"],
        "pytorch_false_call_rate": torch_report["false_call_rate"],
        "litertlm_no_call_reply_rate": device_report["no_call_reply_rate"],
        "pytorch_no_call_reply_rate": torch_report["no_call_reply_rate"],
        "disagreements": [row for row in rows if not row["calls_agree"]],
        "per_row": rows,
    }


def verify(path: str, tools: list[dict], examples: list, torch_outputs: dict[str, list[str]], max_new_tokens: int,
           mode: str, no_call_reply: str) -> dict:
    """Run the file like an app on the rows the PyTorch model answered (with the file's call margin
    applied), unconstrained and, unless `mode` is none, constrained by LiteRT-LM's LL_GUIDANCE with
    the regex of that mode; compare each with PyTorch decoding the same way (`_constrained` for the
    constrained side)."""
    from tqdm.auto import tqdm

    answered = rendered_rows(examples)
    with tempfile.TemporaryDirectory(prefix="litertlm-cache-") as cache:
        device = DeviceRunner(path, tools, max_new_tokens, cache)
        try:
            prompt_check = check_rendered_prompt(device, tools, examples[0])
            outputs = {}
            for name in ["none"] + ([mode] if mode != "none" else []):
                regex = call_regex(tools, name) if name != "none" else None
                label = "LiteRT-LM (CPU)" + (f", constrained {name}" if regex else "")
                outputs[name] = [device.answer(example.message, regex)[0]
                                 for example in tqdm(answered, desc=label, unit="answer", dynamic_ncols=True)]
        finally:
            device.close()

    def compared(name: str) -> dict:
        report = compare(answered, outputs[name], torch_outputs[name], tools, no_call_reply)
        for index, row in enumerate(report["per_row"]):
            row["rendering"] = VERIFY_RENDERINGS[index // len(examples)]
        report["decision_agreement_by_rendering"] = {
            rendering: sum(row["decisions_agree"] for row in report["per_row"] if row["rendering"] == rendering)
            / len(examples) for rendering in VERIFY_RENDERINGS}
        report.update(rows=len(examples), answers=len(answered), renderings=list(VERIFY_RENDERINGS),
                      litertlm_robust=robust_figures(examples, outputs[name], tools, no_call_reply),
                      pytorch_robust=robust_figures(examples, torch_outputs[name], tools, no_call_reply))
        return report

    report = compared("none")
    report["rendered_prompt"] = prompt_check
    if mode != "none":
        report["constrained"] = {"mode": mode, **compared(mode)}
    return report


def print_verification(report: dict, min_agreement: float, builtin_constraint: str) -> None:
    print(f"\nverification on {report['rows']} held-out rows, each {' and '.join(report['renderings'])} "
          f"({report['answers']} answers a side; LiteRT-LM CPU vs PyTorch, greedy):")
    print(f"  rows: {report['held_out_source']}; tools from {report['tools']}")
    print(f"  LiteRT-LM prompt vs training prompt: {report['rendered_prompt']}")
    margin = report.get("call_margin", 0.0)
    print(f"  call / no-call decision agrees: {report['decision_agreement']:.1%} ("
          + ", ".join(f"{name} {share:.1%}" for name, share in report["decision_agreement_by_rendering"].items())
          + f"; calls: LiteRT-LM {report['litertlm_call_answers']}, PyTorch {report['pytorch_call_answers']} of "
          f"{report['answers']} answers; " + (f"call margin {margin:.4g} in the graph and applied in PyTorch)"
                                             if margin else "no call margin)"))
    print(f"  calls agree: {report['agreement']:.1%} (minimum {min_agreement:.0%}; "
          f"{report['both_without_call']} rows without a call on both sides)   "
          f"answer texts identical: {report['text_agreement']:.1%}")
    print(f"  accuracy: LiteRT-LM {report['litertlm_accuracy']:.1%}, PyTorch {report['pytorch_accuracy']:.1%}   "
          f"valid format: LiteRT-LM {report['litertlm_valid_format']:.1%}, PyTorch {report['pytorch_valid_format']:.1%}")
    device, reference = report["litertlm_robust"], report["pytorch_robust"]
    print(f"  robust accuracy (right {' and '.join(report['renderings'])}): LiteRT-LM "
          f"{device['robust_accuracy']:.1%}, PyTorch {reference['robust_accuracy']:.1%}   per rendering: "
          + ", ".join(f"{name} {percent(device['renderings'][name]['combined_accuracy'])} / "
                      f"{percent(reference['renderings'][name]['combined_accuracy'])}" for name in report["renderings"]))
    if report["no_call_rows"]:
        print(f"  {report['no_call_rows']} no-call answers answered in text without a call: LiteRT-LM "
              f"{report['litertlm_text_on_no_call_rows']}, PyTorch {report['pytorch_text_on_no_call_rows']}   "
              f"false calls: LiteRT-LM {percent(report['litertlm_false_call_rate'])}, "
              f"PyTorch {percent(report['pytorch_false_call_rate'])}")
    else:
        print("  no no-call rows (tool_calls []) among them: text answers were not checked")
    for row in report["disagreements"][:5]:
        print(f"  differs: {row['user_message']!r}\n    LiteRT-LM {row['litertlm']!r}\n    PyTorch   {row['pytorch']!r}")
    constrained = report.get("constrained")
    if constrained:
        print(f"  constrained decoding ({constrained['mode']}; LiteRT-LM: LL_GUIDANCE regex response format, "
              f"PyTorch: evaluate's --constrained {constrained['mode']}):")
        print(f"    calls agree: {constrained['agreement']:.1%}   call / no-call decision agrees: "
              f"{constrained['decision_agreement']:.1%}   accuracy: LiteRT-LM {constrained['litertlm_accuracy']:.1%}, "
              f"PyTorch {constrained['pytorch_accuracy']:.1%}   valid format: LiteRT-LM "
              f"{constrained['litertlm_valid_format']:.1%}, PyTorch {constrained['pytorch_valid_format']:.1%}")
        for row in constrained["disagreements"][:3]:
            print(f"    differs: {row['user_message']!r}\n      LiteRT-LM {row['litertlm']!r}\n      PyTorch   {row['pytorch']!r}")
    print(f"  LiteRT-LM's built-in FunctionGemma constraint: {builtin_constraint}")


# ----------------------------------------------------------------------------- device benchmark


def _benchmark_child(path: str, tools: list[dict], messages: list[str], reuse_rows: int, max_new_tokens: int,
                     regex: str | None, threads: int | None, cache_dir: str) -> dict:
    """Runs in a fresh process: engine start, then each message on a fresh conversation, the first
    `reuse_rows` with the developer turn reused from a checkpoint, and (with `regex`) each
    LL_GUIDANCE-constrained; its peak RSS."""
    started = time.perf_counter()
    device = DeviceRunner(path, tools, max_new_tokens, cache_dir, threads, benchmark=True)
    result = {"start_seconds": time.perf_counter() - started}
    try:
        if messages:
            answers, timings = zip(*(device.answer(message) for message in messages))
            result["fresh"] = {"answers": list(answers), "timings": list(timings)}
            answers, timings, developer_seconds = device.answers_reusing_the_developer_turn(messages[:reuse_rows])
            result["reuse"] = {"answers": answers, "timings": timings, "developer_seconds": developer_seconds}
            if regex:
                answers, timings = zip(*(device.answer(message, regex) for message in messages))
                result["constrained"] = {"answers": list(answers), "timings": list(timings)}
    finally:
        device.close()
    result["peak_rss_bytes"] = peak_rss_bytes()
    return result


def peak_rss_bytes() -> int:
    """This process's peak resident memory. Linux's VmHWM starts afresh with the process image,
    unlike getrusage's ru_maxrss, which a spawned child inherits from its parent's fork."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM:"))
    except OSError:  # not Linux: ru_maxrss is in bytes on macOS
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure_on_device(path: str, tools: list[dict], messages: list[str], max_new_tokens: int,
                      regex: str | None = None, threads: int | None = None, reuse_rows: int | None = None) -> dict:
    """Latency and memory of the file on LiteRT-LM's CPU backend (see `_benchmark_child`), each run
    in its own spawned process so its peak RSS is LiteRT-LM's alone: a first start that builds the
    XNNPACK weight cache (an app's first launch; in a temporary directory, never beside the file),
    then the requests with the cache in place (every later launch)."""
    reuse_rows = len(messages) if reuse_rows is None else reuse_rows
    import multiprocessing
    context = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="litertlm-cache-") as cache:
        with context.Pool(1) as pool:
            first = pool.apply(_benchmark_child, (path, tools, [], 0, max_new_tokens, None, threads, cache))
        cache_bytes = sum(os.path.getsize(os.path.join(cache, name)) for name in os.listdir(cache))
        with context.Pool(1) as pool:
            result = pool.apply(_benchmark_child, (path, tools, messages, reuse_rows, max_new_tokens, regex, threads,
                                                   cache))
    result.update(first_start_seconds=first["start_seconds"], first_start_peak_rss_bytes=first["peak_rss_bytes"],
                  weight_cache_bytes=cache_bytes, file_bytes=os.path.getsize(path), rows=len(messages))
    return result


def latency_summary(result: dict, tools: list[dict]) -> dict:
    """Median and 90th percentile per request of each measured way, and the engine's figures."""
    import statistics

    def spread(values: list[float]) -> dict:
        values = sorted(values)
        return {"median": statistics.median(values),
                "p90": values[min(len(values) - 1, round(0.9 * (len(values) - 1)))]}

    summary = {key: result[key] for key in ("rows", "file_bytes", "weight_cache_bytes", "start_seconds",
                                             "first_start_seconds", "first_start_peak_rss_bytes", "peak_rss_bytes")}
    for way in ("fresh", "reuse", "constrained"):
        timings = [timing for timing in result.get(way, {}).get("timings", []) if timing]
        if timings:
            summary[way] = {name: spread([timing[name] for timing in timings]) for name in timings[0]}
    if "reuse" in result:
        summary["developer_turn_seconds"] = result["reuse"]["developer_seconds"]
        summary["reuse_rows"] = len(result["reuse"]["answers"])
        summary["reuse_same_calls"] = sum(parse_output(reused, tools).call == parse_output(fresh, tools).call
                                          for reused, fresh in zip(result["reuse"]["answers"], result["fresh"]["answers"]))
    return summary


BENCH_WAYS = {"fresh": "fresh conversation", "reuse": "developer turn reused", "constrained": "constrained (regex)"}


def print_benchmark(summary: dict, threads: int | None) -> None:
    mb = 1e6
    print(f"\ndevice benchmark: LiteRT-LM CPU ({threads or 'default'} threads), {summary['rows']} held-out rows, "
          f"{summary['file_bytes'] / mb:.0f} MB file")
    print(f"  engine start: {summary['first_start_seconds']:.1f}s the first time (builds the "
          f"{summary['weight_cache_bytes'] / mb:.0f} MB XNNPACK weight cache, kept in a temporary directory), "
          f"then {summary['start_seconds']:.1f}s")
    print(f"  peak RSS: {summary['peak_rss_bytes'] / mb:.0f} MB (first start {summary['first_start_peak_rss_bytes'] / mb:.0f} MB)")
    print(f"  {'per request (median / p90)':28}{'first token':>16}{'complete':>16}{'prefill tok/s':>15}"
          f"{'decode tok/s':>14}{'prefill tok':>13}")
    for way, label in BENCH_WAYS.items():
        if way in summary:
            row = summary[way]
            print(f"  {label:28}{row['first_token_seconds']['median']:>8.2f} /{row['first_token_seconds']['p90']:>5.2f}s"
                  f"{row['seconds']['median']:>8.2f} /{row['seconds']['p90']:>5.2f}s"
                  f"{row['prefill_per_second']['median']:>15.0f}{row['decode_per_second']['median']:>14.1f}"
                  f"{row['prefill_tokens']['median']:>13.0f}")
    if "developer_turn_seconds" in summary:
        print(f"  (reuse: the developer turn is prefilled once per session, {summary['developer_turn_seconds']:.2f}s; "
              f"same calls as a fresh conversation on {summary['reuse_same_calls']} of {summary['reuse_rows']} rows)")


# ----------------------------------------------------------------------------- upload


def card_note(path: str, args, report: dict | None, no_call_reply: str, margin: float = 0.0,
              margin_source: str = "none") -> str:
    agreement = (f"{report['agreement']:.1%} of {report['answers']} answers ({report['rows']} held-out rows, each "
                 f"{' and '.join(report['renderings'])}) agree with the PyTorch model (accuracy: LiteRT-LM "
                 f"{report['litertlm_accuracy']:.1%}, PyTorch {report['pytorch_accuracy']:.1%}; robust, right in both: "
                 f"LiteRT-LM {report['litertlm_robust']['robust_accuracy']:.1%})"
                 if report else "not verified")
    origin = "the model's training_config.json" if margin_source == "training_config.json" else margin_source
    return "\n".join([
        CARD_BEGIN,
        "## LiteRT-LM export",
        "",
        f"- file: `{os.path.basename(path)}`, {os.path.getsize(path) / 1e6:.1f} MB, exported from "
        f"`{public_model_name(args.model)}`",
        f"- uploaded by this export: `{os.path.basename(path)}` and this card section",
        f"- settings: quantization `{args.quantize}`, prefill length {args.prefill_seq_len}, "
        f"KV cache {args.kv_cache_max_len} tokens",
        "- metadata: start token id 2, stop tokens " + ", ".join(f"`{token}`" for token in STOP_TOKENS)
        + ", `llm_model_type: function_gemma` with the training chat template embedded",
        f"- agreement: {agreement}",
        *([f"- constrained decoding (`{report['constrained']['mode']}`, LiteRT-LM's LL_GUIDANCE with a regex of the "
           f"declared calls): {report['constrained']['agreement']:.1%} of the calls agree with PyTorch under the same "
           "grammar; LiteRT-LM's built-in FunctionGemma constraint needs a SentencePiece tokenizer, which this file "
           "does not carry"] if report and "constrained" in report else []),
        f"- use: pass the tools and the system message \"{DEVELOPER_PROMPT}\"",
        f"- no call: when no tool fits, the model answers in text (\"{no_call_reply}\") and LiteRT-LM returns no "
        "tool call; show or speak the text (or the app's own \"I can't do that\") and never act on it",
        (f"- call margin: {margin:.4g} (from {origin}), "
         "built into the graph as a bias of -M on `<start_function_call>`'s logit: the model calls a tool only when "
         "that token beats the most likely other first token by at least M (log-probability), else it answers in "
         "text; the app receives a call or text exactly as before and needs no setting"
         + (f"; call / no-call decisions agree with PyTorch (same margin) on {report['decision_agreement']:.1%} of the "
            "verified answers" if report else "")
         if margin else "- call margin: none (a call whenever `<start_function_call>` is the most likely first token)"),
        "- user text: the tokenizer turns the text of a control token into the token itself, so remove "
        + ", ".join(f"`{token}`" for token in CONTROL_TOKENS) + " (and any other special token of the tokenizer, "
        "like `<start_of_image>`) from the recogniser's or keyboard's text before it reaches the model, or refuse "
        "the request: left in, the rider's words could end their turn or write a call the app would run",
        CARD_END,
    ])


def upload(path: str, repo: str, note: str, public: bool) -> str:
    """Upload the file and the repo's card with this export's section added or replaced."""
    import re
    from huggingface_hub import ModelCard

    try:
        card = str(ModelCard.load(repo, token=hf_token()))
    except Exception:  # no repo or no card yet
        card = ""
    pattern = re.compile(re.escape(CARD_BEGIN) + ".*?" + re.escape(CARD_END), re.S)
    card = pattern.sub(lambda _: note, card) if pattern.search(card) else (card.rstrip() + "\n\n" + note).lstrip()
    readme = os.path.join(os.path.dirname(os.path.abspath(path)), "README.md")
    ModelCard(card + "\n").save(readme)
    return push_to_hub({os.path.basename(path): path, "README.md": readme}, repo,
                       "export_litertlm.py: .litertlm and card", private=not public)


# ----------------------------------------------------------------------------- main


def build_parser():
    parser = script_parser("export_litertlm.py", __doc__,
                           exit_codes={1: "LiteRT-LM and PyTorch agree on fewer calls than --min-agreement"},
                           job="--flavor cpu-upgrade --secrets HF_TOKEN -- --model USER/MODEL --output-repo USER/MODEL")
    model = parser.add_argument_group("model")
    model.add_argument("--model", default=DEFAULT_MODEL,
                       help=f"full checkpoint or LoRA adapter, local dir or Hub id (default {DEFAULT_MODEL})")
    model.add_argument("--base-model", help="base model of a LoRA adapter (default: the one its config names)")
    conversion = parser.add_argument_group("conversion")
    conversion.add_argument("--quantize", default="dynamic_int8", help=f"one of {', '.join(QUANTIZATIONS)} (default %(default)s)")
    conversion.add_argument("--prefill-seq-len", type=int, default=256, metavar="N",
                            help="longest prompt chunk the device prefills at once, in tokens (default 256)")
    conversion.add_argument("--kv-cache-max-len", type=int, default=1024, metavar="N",
                            help="context length on the device, in tokens (default 1024)")
    model.add_argument("--no-call-reply",
                       help="the prose answer the model was trained to give when no tool applies "
                            f"(default: from its training_config.json, else {DEFAULT_NO_CALL_REPLY!r})")
    model.add_argument("--call-margin", type=float, metavar="M",
                       help="build into the file: call a tool only when log p(<start_function_call>) at the first "
                            "answer token exceeds the most likely other token's by at least M (a bias of -M on "
                            "that token's logit) (default: the value the model's training_config.json records, "
                            "else 0; 0: none)")
    verification = add_data_arguments(parser, split=True, from_model=True)
    verification.add_argument("--verify", type=int, default=50, metavar="N",
                              help="rows of the split to answer with both LiteRT-LM and PyTorch (default 50; 0: skip)")
    verification.add_argument("--constrained", choices=MODES, default="calls",
                              help="--verify also decodes under this grammar on both sides (default calls; none: skip)")
    verification.add_argument("--bench", type=int, default=0, metavar="N",
                              help="also time N held-out requests on LiteRT-LM's CPU backend (latency, tokens/s, peak RSS)")
    verification.add_argument("--threads", type=positive_int, metavar="N",
                              help="CPU threads for LiteRT-LM in --bench (default: its own)")
    verification.add_argument("--min-agreement", type=float, default=0.95, metavar="FRACTION",
                              help="exit 1 when fewer of their calls agree (default 0.95)")
    verification.add_argument("--max-new-tokens", type=positive_int, default=32, metavar="N",
                              help="answer length limit (default 32)")
    output = parser.add_argument_group("output")
    output.add_argument("--output-dir", default="litertlm", metavar="DIR", help="folder the .litertlm is written to (default %(default)s)")
    output.add_argument("--output-repo", metavar="REPO", help="also upload the .litertlm and a model card section to this Hub repo")
    add_public_argument(output)
    add_json_argument(output, "the file's metadata and the verification")
    return parser


def main(argv=None) -> int:
    require(REQUIREMENTS)
    args = build_parser().parse_args(argv)
    check_settings(args)
    if args.output_repo:
        check_push_target(args.output_repo, private=not args.public)

    trained = read_trained_split(args.model)
    tools, tools_source = choose_tools(args.tools, trained)
    no_call_reply = no_call_reply_of(args.model, args.no_call_reply)
    margin, margin_source = call_margin_of(args.model, args.call_margin)
    selection = None
    if args.verify or args.bench:
        selection = choose_rows(trained, tools, args.dataset, args.split, args.test_split, args.seed, args.resplit,
                                None, args.allow_train_rows)
    verified = verification_rows(selection.rows, args.verify) if args.verify else []
    benched = selection.rows[:args.bench] if args.bench else []
    regex = call_regex(tools, args.constrained) if args.constrained != "none" else None

    import torch
    model, tokenizer = load_model(args.model, args.base_model, dtype=torch.float32, device="cpu")
    if tokenizer.convert_tokens_to_ids(BOS) != CONTROL_TOKEN_IDS[BOS]:
        raise DataError(f"the tokenizer's {BOS} is not id {CONTROL_TOKEN_IDS[BOS]}: not a Gemma 3 tokenizer")
    check_special_tokens(tokenizer, tools, verified + benched, no_call_reply, tools_source)
    # the PyTorch side answers with the margin, and save_merged writes it as lm_head.bias for the graph
    apply_call_margin(model, tokenizer, margin)
    fp32_bytes = sum(parameter.numel() for parameter in model.parameters()) * 4
    # the PyTorch answers first: the model can then be freed before the memory-hungry conversion
    torch_outputs = {mode: generate_answers(model, tokenizer, tools, [row.message for row in rendered_rows(verified)],
                                            max_new_tokens=args.max_new_tokens,
                                            policy=constrained_policy(model, tokenizer, tools, mode))
                     for mode in dict.fromkeys(["none", args.constrained]) if verified}
    workspace = tempfile.mkdtemp(prefix="litertlm-export-")
    try:
        # merged checkpoint + the converter's intermediate model, then the file itself
        check_free_space(workspace, 2 * fp32_bytes, "the merged checkpoint and the conversion")
        check_free_space(args.output_dir, fp32_bytes // 2, "the .litertlm file")
        tokenizer_file = save_merged(model, tokenizer, workspace)
        config = model.config
        del model
        with contextlib.redirect_stdout(sys.stderr):  # litert-torch prints its progress; stdout is the report
            path = convert(workspace, config, tokenizer_file, args.output_dir, args, margin, call_token_id(tokenizer))
    finally:
        shutil.rmtree(workspace, ignore_errors=True)

    info = describe_metadata(*read_metadata(path))
    summary = {"file": path, "bytes": os.path.getsize(path), "metadata": info,
               "call_margin": {"value": margin, "source": margin_source, "token_id": call_token_id(tokenizer),
                               "in_graph": bool(margin)}}
    print_metadata(path, info)
    print("  call margin: " + (f"{margin:.4g} ({margin_source}), built into the graph as a bias of -{margin:.4g} on "
                               f"<start_function_call> (id {call_token_id(tokenizer)})" if margin else "none"))
    report = None
    if verified:
        report = verify(path, tools, verified, torch_outputs, args.max_new_tokens, args.constrained, no_call_reply)
        report.update(selection.to_json(), tools=tools_source, call_margin=margin)
        summary["verification"] = report
        summary["builtin_constraint"] = constraint_note(info["sections"])
        print_verification(report, args.min_agreement, summary["builtin_constraint"])
    if regex:
        summary["constraint_regex"] = regex
        print(f"\nregex of the declared calls ({args.constrained}) for an app's LL_GUIDANCE constraint "
              f"(ResponseFormat.regex):\n{regex}")
    if args.bench:
        measured = measure_on_device(path, tools, [example.message for example in benched],
                                     args.max_new_tokens, regex, args.threads)
        summary["benchmark"] = latency_summary(measured, tools)
        print_benchmark(summary["benchmark"], args.threads)
    if args.output_repo:
        summary["uploaded"] = upload(path, args.output_repo,
                                     card_note(path, args, report, no_call_reply, margin, margin_source), args.public)
    if args.json:
        write_json_report(args.json, summary)
    if report and report["agreement"] < args.min_agreement:
        print(f"error: LiteRT-LM agrees with PyTorch on {report['agreement']:.1%} of the calls, "
              f"below --min-agreement {args.min_agreement:.0%}", file=sys.stderr)
        return 1
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
import re
import statistics

RENDERINGS = ("as_written", "spoken", "typed", "filler", "numbers")

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


def select_split(examples: list[Example], tools: list[dict], split: str, test_fraction: float, seed: int,
                 max_examples: int | None = None, resplit: bool = False) -> list[Example]:
    """The rows of `split` ("train", "test" or "all"), optionally the first `max_examples`."""
    train, test = split_examples(examples, tools, test_fraction, seed, resplit)
    chosen = {"train": train, "test": test, "all": test + train}[split]
    return chosen[:max_examples] if max_examples else chosen
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
import sys
from dataclasses import dataclass, field

SPLIT_FILE, TOOLS_FILE = "split.json", "tools.json"
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
# --- end _heldout.py ---


# --- begin _format.py (vendored: what this script uses of it; edit _format.py, then run python dev/sync_vendored.py) ---
"""FunctionGemma's native format: control tokens, the renderer, its Jinja twin, the parser.

Training, evaluation and the exported model all render prompts and answers with this code and
parse answers like LiteRT-LM does on the device (see the format reference in README.md).
Single source: scripts carry a copy between `# --- begin _format.py` / `# --- end _format.py`
marker lines; edit this file, then run `python dev/sync_vendored.py`. Standard library only.
"""

import re
from dataclasses import dataclass

DEFAULT_MODEL = "google/functiongemma-270m-it"
DEVELOPER_PROMPT = "You are a model that can do function calling with the following functions"
# What a model trained here answers, in prose and with no call, when no declared tool fits
# (`--no-call-reply`; recorded in training_config.json, which evaluation and export read back).
DEFAULT_NO_CALL_REPLY = "Sorry, I can't help with that on the bike."

# FunctionGemma's ids for its control tokens (Gemma 3 vocabulary); the device relies on them. The
# tokens' text is defined in _data (CONTROL_TOKENS), whose row and tools checks refuse it in any text.
CONTROL_TOKEN_IDS = {
    PAD: 0, EOS: 1, BOS: 2,
    START_DECLARATION: 46, END_DECLARATION: 47, START_CALL: 48, END_CALL: 49,
    START_RESPONSE: 50, END_RESPONSE: 51, ESCAPE: 52,
    START_OF_TURN: 105, END_OF_TURN: 106,
}
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


# Our Jinja rendering of the format above, for tokenizers that carry none (and the stand-in
# tokenizers of the tests). Rendering with it equals render_prompt/render_completion exactly (an
# assistant message with content and no tool_calls is the no-call completion, then the turn's "\n").
# It is also embedded in exported .litertlm files: LiteRT-LM hands the template each message's
# content as a list of {"type": "text", "text": ...} parts (and defines no bos_token; it inserts
# the start token itself), so `text()` accepts a string or such a list.
CHAT_TEMPLATE = (
    "{%- macro text(c) -%}"
    "{{ (c if c is string else c|selectattr('type', 'equalto', 'text')|map(attribute='text')|join)|trim }}"
    "{%- endmacro -%}"
    "{%- macro value(v) -%}"
    "{%- if v is string -%}<escape>{{ v }}<escape>"
    "{%- elif v is sameas true -%}true{%- elif v is sameas false -%}false"
    "{%- elif v is none -%}null"
    "{%- elif v is mapping -%}{{ '{' }}{%- for k in v|sort -%}{{ k }}:{{ value(v[k]) }}{{ ',' if not loop.last }}{%- endfor -%}{{ '}' }}"
    "{%- elif v is iterable -%}[{%- for item in v -%}{{ value(item) }}{{ ',' if not loop.last }}{%- endfor -%}]"
    "{%- else -%}{{ v }}{%- endif -%}"
    "{%- endmacro -%}"
    "{%- macro schema(s) -%}{{ '{' }}"
    "{%- if s.description is defined -%}description:<escape>{{ s.description }}<escape>,{%- endif -%}"
    "{%- if s.enum is defined -%}enum:[{%- for e in s.enum -%}<escape>{{ e }}<escape>{{ ',' if not loop.last }}{%- endfor -%}],{%- endif -%}"
    "type:<escape>{{ s.type|upper }}<escape>{{ '}' }}"
    "{%- endmacro -%}"
    "{{ bos_token }}"
    "{%- set first = messages[0] if messages else none -%}"
    "{%- if (first and first.role in ['system', 'developer']) or tools -%}"
    "<start_of_turn>developer{{ '\\n' }}"
    "{%- if first and first.role in ['system', 'developer'] -%}{{ text(first.content) }}{%- endif -%}"
    "{%- for tool in tools or [] -%}{%- set f = tool.function if tool.function is defined else tool -%}"
    "{%- set p = f.parameters if f.parameters is defined and f.parameters else {} -%}"
    "<start_function_declaration>declaration:{{ f.name }}{{ '{' }}description:<escape>{{ f.description }}<escape>,parameters:{{ '{' }}"
    "{%- if p.properties -%}properties:{{ '{' }}{%- for k in p.properties|sort -%}{{ k }}:{{ schema(p.properties[k]) }}{{ ',' if not loop.last }}{%- endfor -%}{{ '}' }},{%- endif -%}"
    "{%- if p.required -%}required:[{%- for r in p.required -%}<escape>{{ r }}<escape>{{ ',' if not loop.last }}{%- endfor -%}],{%- endif -%}"
    "type:<escape>{{ (p.type or 'object')|upper }}<escape>{{ '}}' }}<end_function_declaration>"
    "{%- endfor -%}"
    "<end_of_turn>{{ '\\n' }}"
    "{%- endif -%}"
    "{%- for m in messages -%}"
    "{%- if not (loop.first and m.role in ['system', 'developer']) -%}"
    "{%- set role = 'model' if m.role == 'assistant' else m.role -%}"
    "<start_of_turn>{{ role }}{{ '\\n' }}"
    "{%- if m.content -%}{{ text(m.content) }}{%- endif -%}"
    "{%- for c in m.tool_calls or [] -%}{%- set fc = c.function if c.function is defined else c -%}"
    "<start_function_call>call:{{ fc.name }}{{ '{' }}{%- for k in fc.arguments|sort -%}{{ k }}:{{ value(fc.arguments[k]) }}{{ ',' if not loop.last }}{%- endfor -%}{{ '}' }}<end_function_call>"
    "{%- endfor -%}"
    "{%- if m.tool_calls -%}<start_function_response>{%- else -%}<end_of_turn>{{ '\\n' }}{%- endif -%}"
    "{%- endif -%}"
    "{%- endfor -%}"
    "{%- if add_generation_prompt -%}<start_of_turn>model{{ '\\n' }}{%- endif -%}"
)


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
# --- end _inference.py ---


# --- begin _constrained.py (vendored: what this script uses of it; edit _constrained.py, then run python dev/sync_vendored.py) ---
"""Constrained decoding like LiteRT-LM's FunctionGemma constraint, for the PyTorch evaluation.

Single source: scripts carry a copy between `# --- begin _constrained.py` / `# --- end
_constrained.py` marker lines; edit this file, then run `python dev/sync_vendored.py`. torch is
imported inside the functions that need it.

The grammar is built from the declared tools, as the device builds its own:

- `calls`: the answer is one call,
  `<start_function_call>call:NAME{KEY:<escape>VALUE<escape>,...}<end_function_call><start_function_response>`;
  string enum values are strict alternatives, a string without enum is any text up to
  `<escape>`, booleans are `true`/`false`; keys come sorted like the training template renders
  them, required ones never skipped.
- `calls_or_text`: free text (every token but `<pad>`), which ends with a stop token (`<end_of_turn>`
  for prose) or switches to the call grammar at `<start_function_call>`; nothing after a call.

At the token level a token is allowed when its text continues a valid answer: every split is
fine (`sp`+`ort` as well as `sport`), a token may span grammar boundaries (`{query`), control
tokens are atomic symbols allowed only where the grammar has them. These are the rules measured on
LiteRT-LM's FST constraint (see README "On the device"). Deliberate differences, all of them
strings a one-call router rejects anyway: the FST also lets `calls` end at once with a stop token
(an empty answer), accepts several calls in a row and optional single spaces around `:` and `,`,
and orders keys as declared rather than sorted.

Cheaper decoding: `ConstrainedPolicy` projects the final hidden state only onto the allowed
tokens' rows of the output matrix (a few hundred of 262k inside a call) and appends tokens that
are the only choice (`<start_function_call>`, `<escape>` after a key, `<end_function_call>`, ...)
without computing any logits, in the same forward pass as the chosen token before them.
"""

import re

MODES = ("none", "calls", "calls_or_text")
BYTE_TOKEN = re.compile(r"<0x([0-9A-Fa-f]{2})>")


class _Node:
    """A state of the character-level grammar. `edges` maps one character, or a control token
    (several characters, e.g. "<escape>"), to the next state. A `free` state (a string body)
    stays put on any plain text; a `text` state (free prose) on any token but <start_function_call>."""

    __slots__ = ("edges", "free", "text")

    def __init__(self, free: bool = False, text: bool = False):
        self.edges, self.free, self.text = {}, free, text


def _path(node: _Node, text: str, end: _Node | None = None) -> _Node:
    """Follow or create the states spelling `text` from `node`; the last one is `end` if given."""
    for index, char in enumerate(text):
        last = index == len(text) - 1
        target = node.edges.get(char)
        if target is None:
            target = end if last and end is not None else _Node()
            node.edges[char] = target
        elif last and end is not None and target is not end:
            raise DataError(f"--constrained: ambiguous grammar at {text!r} (two values share a spelling)")
        node = target
    return node


def _symbol(node: _Node, token: str, end: _Node | None = None) -> _Node:
    if token not in node.edges:
        node.edges[token] = end or _Node()
    return node.edges[token]


def _value(start: _Node, name: str, key: str, schema: dict, end: _Node) -> None:
    kind = str(schema.get("type", "")).lower()
    if kind == "string":
        opened = _symbol(start, ESCAPE)
        if "enum" in schema:
            for value in schema["enum"]:
                _symbol(_path(opened, value), ESCAPE, end)
        else:
            opened.free = True
            _symbol(opened, ESCAPE, end)
    elif kind == "boolean":
        for literal in ("true", "false"):
            _path(start, literal, end)
    else:
        raise DataError(f"--constrained: argument {key!r} of {name} is of type {kind}; the constraint handles "
                        "strings (enum or free) and booleans")


def _call_grammar(tools: list[dict], after_start: _Node) -> None:
    """`call:NAME{...}<end_function_call><start_function_response>` for every tool, from the state
    after <start_function_call>."""
    names = _path(after_start, "call:")
    done = _Node()  # after <start_function_response>, a stop token: decoding ends there
    for tool in tools:
        function = tool["function"]
        parameters = function.get("parameters") or {}
        properties = parameters.get("properties") or {}
        required = set(parameters.get("required") or [])
        keys = sorted(properties)
        # states[p]: after the first p keys' turn (each key taken or skipped); keys follow in sorted order
        states = [_path(names, function["name"] + "{")] + [_Node() for _ in keys]
        for position, state in enumerate(states):
            for index in range(position, len(keys)):
                key = keys[index]
                separator = "," if position else ""
                _value(_path(state, f"{separator}{key}:"), function["name"], key, properties[key], states[index + 1])
                if key in required:  # a required key cannot be skipped
                    break
            if not required.intersection(keys[position:]):
                _symbol(_symbol(_path(state, "}"), END_CALL), START_RESPONSE, done)


def grammar(tools: list[dict], mode: str) -> _Node:
    """The start state of the answer grammar of `mode` ("calls" or "calls_or_text")."""
    if mode not in MODES[1:]:
        raise DataError(f"--constrained {mode!r}: choose one of {', '.join(MODES)}")
    start = _Node(text=mode == "calls_or_text")
    _call_grammar(tools, _symbol(start, START_CALL))
    return start


def token_texts(tokenizer, size: int) -> dict[int, str]:
    """Id -> text of every plain token below `size` (the model's output rows): SentencePiece's `▁`
    is a space, byte tokens of ASCII are their character; control/special tokens are left out."""
    specials = {index for index, token in tokenizer.added_tokens_decoder.items() if token.special}
    texts = {}
    for index, piece in enumerate(tokenizer.convert_ids_to_tokens(list(range(min(size, len(tokenizer)))))):
        if index in specials or piece is None:
            continue
        byte = BYTE_TOKEN.fullmatch(piece)
        if byte:
            if int(byte.group(1), 16) < 0x80:
                texts[index] = chr(int(byte.group(1), 16))
            continue  # a lone non-ASCII byte is no character of its own
        texts[index] = piece.replace("\u2581", " ")
    return texts


class ToolCallConstraint:
    """The grammar of `mode` over a tokenizer's vocabulary: which token ids may follow a state
    (`allowed`) and where each leads (`advance`). Both are computed once per state and cached."""

    def __init__(self, tokenizer, tools: list[dict], mode: str, vocab_size: int | None = None):
        import torch
        size = vocab_size or len(tokenizer)
        self.start = grammar(tools, mode)
        self.texts = token_texts(tokenizer, size)
        self.by_text = {}
        for index, text in self.texts.items():
            self.by_text.setdefault(text, []).append(index)
        self.longest = max(len(text) for text in self.texts.values())
        self.symbols = {token: tokenizer.convert_tokens_to_ids(token) for token in (START_CALL, END_CALL, ESCAPE, START_RESPONSE)}
        self.symbol_names = {index: token for token, index in self.symbols.items()}
        self.pad = tokenizer.convert_tokens_to_ids(PAD)
        self.stops = set(stop_token_ids(tokenizer))
        self.size = size
        # banned in a free string: every control/special token but the closing <escape>
        self.not_plain = torch.tensor(sorted(set(range(size)) - set(self.texts) - {self.symbols[ESCAPE]}),
                                      dtype=torch.long)
        self._allowed, self._moves, self._exits_cache = {}, {}, {}

    def allowed(self, node: _Node):
        """(ids, banned): the sorted LongTensor of allowed ids, or ids None and every id but `banned`."""
        key = id(node)
        if key not in self._allowed:
            self._allowed[key] = self._compute_allowed(node)
        return self._allowed[key]

    def _compute_allowed(self, node: _Node):
        import torch
        if node.text:
            return None, torch.tensor([self.pad])
        if node.free:
            return None, self.not_plain
        found = {self.symbols[token] for token in node.edges if token in self.symbols}
        stack = [(node, "")]
        while stack:  # every character path up to the longest token: the plain tokens spelling one
            state, text = stack.pop()
            for char, target in state.edges.items():
                if len(char) != 1:
                    continue
                spelled = text + char
                found.update(self.by_text.get(spelled, ()))
                if len(spelled) < self.longest and not target.free:
                    stack.append((target, spelled))
        if not found:
            raise RuntimeError("constrained decoding reached a state with no allowed token")
        return torch.tensor(sorted(found), dtype=torch.long), None

    def advance(self, node: _Node, token: int) -> _Node:
        key = (id(node), token)
        if key not in self._moves:
            self._moves[key] = self._compute_move(node, token)
        return self._moves[key]

    def _compute_move(self, node: _Node, token: int) -> _Node:
        if node.text and token != self.symbols[START_CALL]:
            return node
        if token in self.symbol_names:
            return node.edges[self.symbol_names[token]]
        if node.free:
            return node
        for char in self.texts[token]:
            node = node.edges[char]
        return node

    def distance(self, node: _Node) -> int:
        """The fewest tokens that complete an answer from `node` (a stop token included)."""
        return int(self._exits(node)[1].min())

    def _exits(self, node: _Node):
        """(ids, costs): the tokens that lead out of `node` (all its allowed ones; for a state that
        stays put on plain tokens, those that leave it: stops and <start_function_call>, or
        <escape>), and for each the fewest tokens of an answer through it."""
        import torch
        key = id(node)
        if key not in self._exits_cache:
            ids, _ = self.allowed(node)
            if ids is None:
                leaving = sorted(self.stops | {self.symbols[START_CALL]}) if node.text else [self.symbols[ESCAPE]]
                ids = torch.tensor(leaving, dtype=torch.long)
            costs = torch.tensor([1 if token in self.stops else 1 + self.distance(self.advance(node, token))
                                  for token in ids.tolist()])
            self._exits_cache[key] = ids, costs
        return self._exits_cache[key]

    def options(self, node: _Node, remaining: int):
        """`allowed`, narrowed to the tokens after which an answer still fits in `remaining` tokens
        (`begin` checks the first state, so some token always fits and no answer is ever cut)."""
        import torch
        ids, banned = self.allowed(node)
        exits, costs = self._exits(node)
        if ids is None and remaining >= 1 + int(costs.min()):  # a plain token (staying put) leaves room to finish
            # ...but an exit may not: in prose, a call too long for the budget must not be opened
            return ids, torch.cat([banned, exits[costs > remaining]])
        if ids is not None and remaining >= int(costs.max()):
            return ids, banned
        return exits[costs <= remaining], None

    def forced(self, node: _Node) -> tuple[list[int], _Node]:
        """The tokens that are the only choice from `node` on, and the state after them."""
        tokens = []
        while True:
            ids, _ = self.allowed(node)
            if ids is None or len(ids) != 1:
                return tokens, node
            token = int(ids[0])
            tokens.append(token)
            if token in self.stops:
                return tokens, node
            node = self.advance(node, token)

    def accepts(self, tokens: list[int]) -> bool:
        """Whether the token sequence is a complete answer of the grammar (ends with a stop)."""
        node = self.start
        for position, token in enumerate(tokens):
            ids, banned = self.allowed(node)
            allowed = (token < self.size and token not in set(banned.tolist())) if ids is None else token in set(ids.tolist())
            if not allowed:
                return False
            if token in self.stops:
                return position == len(tokens) - 1
            node = self.advance(node, token)
        return False


class ConstrainedPolicy:
    """A `generate_answers` policy: greedy under `constraint`, logits only for allowed tokens,
    forced tokens appended without logits."""

    def __init__(self, model, constraint: ToolCallConstraint):
        self.model, self.constraint = model, constraint
        self.nodes, self.left = {}, {}

    def begin(self, rows: int, max_new_tokens: int) -> list[list[int]]:
        """Fresh rows; each answer must fit in `max_new_tokens` (so it always parses)."""
        shortest = self.constraint.distance(self.constraint.start)
        if shortest > max_new_tokens:
            raise DataError(f"--max-new-tokens {max_new_tokens} is shorter than the shortest constrained "
                            f"answer ({shortest} tokens)")
        tokens, node = self.constraint.forced(self.constraint.start)
        self.nodes = {row: node for row in range(rows)}
        self.left = {row: max_new_tokens - len(tokens) for row in range(rows)}
        return [list(tokens) for _ in range(rows)]

    def choose(self, hidden, rows: list[int]) -> list[list[int]]:
        import torch
        allowed = [self.constraint.options(self.nodes[row], self.left[row]) for row in rows]
        chosen = [0] * len(rows)
        sliced = [position for position, (ids, _) in enumerate(allowed) if ids is not None]
        if sliced:
            union = torch.unique(torch.cat([allowed[position][0] for position in sliced]))
            logits = output_logits(self.model, hidden[sliced], union.to(hidden.device))
            permitted = torch.zeros(logits.shape, dtype=torch.bool)
            for line, position in enumerate(sliced):
                permitted[line, torch.searchsorted(union, allowed[position][0])] = True
            best = logits.masked_fill(~permitted.to(logits.device), float("-inf")).argmax(dim=-1).cpu()
            for line, position in enumerate(sliced):
                chosen[position] = int(union[best[line]])
        full = [position for position, (ids, _) in enumerate(allowed) if ids is None]
        if full:
            logits = output_logits(self.model, hidden[full])
            for line, position in enumerate(full):
                logits[line, allowed[position][1].to(logits.device)] = float("-inf")
            for position, token in zip(full, logits.argmax(dim=-1).tolist()):
                chosen[position] = token
        chunks = []
        for row, token in zip(rows, chosen):
            if token in self.constraint.stops:
                chunks.append([token])
                continue
            forced, self.nodes[row] = self.constraint.forced(self.constraint.advance(self.nodes[row], token))
            chunks.append([token] + forced)
            self.left[row] -= len(chunks[-1])
        return chunks


def constrained_policy(model, tokenizer, tools: list[dict], mode: str):
    """The `generate_answers` policy of `--constrained MODE`: None for "none" (plain greedy)."""
    if mode == "none":
        return None
    vocab_size = model.get_output_embeddings().weight.shape[0]
    return ConstrainedPolicy(model, ToolCallConstraint(tokenizer, tools, mode, vocab_size))


def _regex_escape(text: str) -> str:
    return re.sub(r"([\\.+*?()|\[\]{}^$])", r"\\\1", text)


def call_regex(tools: list[dict], mode: str) -> str:
    """The same answer grammar as a regular expression, for LiteRT-LM's LL_GUIDANCE constraint
    (`ResponseFormat.regex`). Free text is `[^<]*` there (llguidance matches control tokens by
    their text, so prose may not spell a `<`); a free string `[^<]*` too. Text ends with a stop
    token written out in the regex: llguidance forbids every token the regex does not spell, and
    a text-only regex left the device unable to end a no-call reply with `<end_of_turn>`."""
    def value(schema: dict) -> str:
        if str(schema.get("type", "")).lower() == "boolean":
            return "(true|false)"
        inner = "(" + "|".join(_regex_escape(v) for v in schema["enum"]) + ")" if "enum" in schema else "[^<]*"
        return _regex_escape(ESCAPE) + inner + _regex_escape(ESCAPE)

    def arguments(function: dict) -> str:
        parameters = function.get("parameters") or {}
        properties = parameters.get("properties") or {}
        required = set(parameters.get("required") or [])
        keys = sorted(properties)

        def after(position: int) -> str:  # the rest of the argument list after `position` keys' turn
            options = []
            for index in range(position, len(keys)):
                separator = "," if position else ""
                options.append(f"{separator}{_regex_escape(keys[index])}:{value(properties[keys[index]])}"
                               + after(index + 1))
                if keys[index] in required:
                    break
            if not required.intersection(keys[position:]):
                options.append("")
            return options[0] if len(options) == 1 else "(" + "|".join(options) + ")"

        return after(0)

    grammar(tools, mode)  # the same checks (mode, supported types) as the token-level constraint
    calls = "|".join(_regex_escape(tool["function"]["name"]) + r"\{" + arguments(tool["function"]) + r"\}"
                     for tool in tools)
    call = (_regex_escape(START_CALL) + "call:(" + calls + ")" + _regex_escape(END_CALL)
            + _regex_escape(START_RESPONSE))
    stop = "|".join(_regex_escape(token) for token in STOP_TOKENS)
    return call if mode == "calls" else f"[^<]*({stop}|{call})"
# --- end _constrained.py ---


if __name__ == "__main__":
    run_main(main)
