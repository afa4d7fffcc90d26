"""export_litertlm.py: a real litert-torch conversion of a tiny Gemma 3 (LoRA merged), run with
LiteRT-LM on the CPU, metadata read back from the file; clear one-line errors; the real 270M (slow)."""

import io
import json
import os

import pytest

import _data
import _format
import _heldout
import _renderings
from conftest import ROOT, load_script
from fake_hub import FakeHub

TOKEN = "hf_exportSECRETtoken"
VERIFY_ROWS = 12  # of the trained run's 82 held-out rows: each is answered twice on both sides, and a barely trained model rambles


def summary_of(result, report) -> dict:
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(report.read_text(encoding="utf-8"))


def one_line_error(result, *fragments):
    assert result.returncode == 2, (result.stdout[-2000:], result.stderr[-2000:])
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: ") and "Traceback" not in result.stderr, result.stderr[-2000:]
    for fragment in fragments:
        assert fragment in last, last


def test_template_renders_litertlm_content_parts_like_render_prompt(tools):
    """LiteRT-LM passes each message's content as a list of text parts and no bos_token."""
    from transformers.utils.chat_template_utils import _compile_jinja_template

    template = _compile_jinja_template(_format.CHAT_TEMPLATE)
    for message in ["speed?", "  ¿A qué velocidad voy?  ", 'quote " and {{ braces }}']:
        parts = [{"role": "developer", "content": [{"type": "text", "text": _format.DEVELOPER_PROMPT}]},
                 {"role": "user", "content": [{"type": "text", "text": message}]}]
        rendered = template.render(messages=parts, tools=tools, add_generation_prompt=True)
        assert _format.BOS + rendered == _format.render_prompt(tools, message)


@pytest.fixture(scope="module")
def export_run(trained_run, tmp_path_factory):
    """One real export of conftest's `trained_run` output (a LoRA adapter on a tiny Gemma 3 that
    litert-torch can express) with no data flags, so verification reads its held-out rows, uploaded to
    the Hub stand-in: (summary, the stand-in's repos, the process)."""
    output = trained_run[0]
    out = tmp_path_factory.mktemp("litertlm")
    import os
    import subprocess
    import sys
    with FakeHub(token=TOKEN) as hub:
        result = subprocess.run([sys.executable, str(ROOT / "export_litertlm.py"), "--model", str(output),
                                 "--output-dir", str(out), "--verify", str(VERIFY_ROWS), "--min-agreement", "0", "--bench", "2",
                                 "--json", str(out / "summary.json"), "--output-repo", "alice/router-litertlm"],
                                capture_output=True, text=True, timeout=900, cwd=out,
                                env={**os.environ, **hub.env(out / "hf-home")})
        return summary_of(result, out / "summary.json"), hub.repos, result


@pytest.fixture(scope="module")
def exported(export_run):
    return export_run[0]


def test_upload_is_private_and_names_no_local_path(export_run, trained_run):
    summary, repos, result = export_run
    output = trained_run[0]
    repo = repos["alice/router-litertlm"]
    name = summary["file"].rsplit("/", 1)[1]
    assert repo["private"] is True and set(repo["files"]) == {".gitattributes", name, "README.md"}
    card = repo["files"]["README.md"].decode()
    assert f"exported from `{output.name}`" in card and str(output.parent) not in card
    assert f"uploaded by this export: `{name}` and this card section" in card
    margin = summary["call_margin"]["value"]  # the one training chose on its validation rows
    assert (f"- call margin: {margin:.4g} (from the model's training_config.json), built into the graph" in card
            if margin else "- call margin: none" in card)
    assert TOKEN not in result.stdout + result.stderr


def test_tiny_export_metadata_read_back(exported):
    metadata = exported["metadata"]
    assert exported["file"].endswith("functiongemma_q8_ekv1024.litertlm")
    assert metadata["sections"] == ["LlmMetadataProto", "HF_Tokenizer_Zlib", "TFLiteModel"]
    assert metadata["start_token"] == [2]
    assert metadata["stop_tokens"] == ["<eos>", "<end_of_turn>", "<start_function_response>"]
    assert metadata["llm_model_type"] == "function_gemma"
    assert metadata["use_template_for_fc_format"] is True
    assert metadata["max_num_tokens"] == 1024
    assert metadata["template_is_chat_template"] is True


def test_embedded_template_unpacks_to_chat_template(exported, tmp_path):
    """Independent of the script: LiteRT-LM's own peek tool extracts the template from the file."""
    from litert_lm_builder import litertlm_peek

    listing = io.StringIO()
    litertlm_peek.peek_litertlm_file(exported["file"], None, listing, str(tmp_path / "template.jinja"))
    assert (tmp_path / "template.jinja").read_text(encoding="utf-8") == _format.CHAT_TEMPLATE
    assert "function_gemma" in listing.getvalue() and "use_template_for_fc_format: true" in listing.getvalue()


def test_litert_lm_answers_are_the_reported_ones(exported, tools, tmp_path):
    """Driven here like an app (tools, developer prompt, greedy), LiteRT-LM gives exactly the answers
    the verification reports for it."""
    import litert_lm

    class Declared(litert_lm.Tool):
        def __init__(self, declaration):
            self.declaration = declaration

        def get_tool_description(self):
            return self.declaration

        def execute(self, param):
            raise NotImplementedError

    engine = litert_lm.Engine(exported["file"], backend=litert_lm.Backend.CPU(), cache_dir=str(tmp_path))
    try:
        assert engine.bos_token_id == 2
        assert [106] in engine.eos_token_ids and [50] in engine.eos_token_ids
        for row in exported["verification"]["per_row"][:3]:
            conversation = engine.create_conversation(
                tools=[Declared(tool) for tool in tools],
                messages=[{"role": "developer", "content": _format.DEVELOPER_PROMPT}],
                automatic_tool_calling=False, sampler_config=litert_lm.SamplerConfig(top_k=1))
            try:
                reply = conversation.send_message(row["user_message"], max_output_tokens=32)
                answer = str(reply.contents) + "".join(
                    _format.render_call(_data.Call.make(call.name, dict(call.arguments))) for call in reply.tool_calls)
            except RuntimeError as error:  # a malformed call: the script reports the error line
                answer = f"(LiteRT-LM error: {str(error).splitlines()[0]})"
            finally:
                conversation.close()
            assert answer == row["litertlm"]
    finally:
        engine.close()


def test_pytorch_answers_are_plain_generate_on_the_merged_adapter(exported, trained_run, tools):
    import torch
    import _inference

    output = trained_run[0]
    rows = exported["verification"]["per_row"]
    model, tokenizer = _inference.load_model(str(output), dtype=torch.float32, device="cpu")
    _inference.apply_call_margin(model, tokenizer, _inference.call_margin_of(str(output))[0])  # the one training chose
    reference = _inference.generate_per_row(model, tokenizer, tools, [row["user_message"] for row in rows],
                                            progress=False)
    assert [row["pytorch"] for row in rows] == reference


def test_verification_scores_exactly_the_heldout_rows_and_counts_agreement(exported, trained_run, tools):
    output = trained_run[0]
    report = exported["verification"]
    assert report["rendered_prompt"] == "match"
    heldout = _heldout.read_trained_split(str(output)).parts["heldout"]
    chosen = [row.message for row in load_script("export_litertlm.py").verification_rows(heldout, VERIFY_ROWS)]
    assert len(heldout) > VERIFY_ROWS and len(set(chosen)) == VERIFY_ROWS and set(chosen) <= {row.message for row in heldout}
    answered = {rendering: sorted(row["user_message"] for row in report["per_row"] if row["rendering"] == rendering)
                for rendering in ("as_written", "spoken")}
    assert answered == {"as_written": sorted(chosen), "spoken": sorted(_renderings.spoken(text) for text in chosen)}
    assert report["rows"] == VERIFY_ROWS and report["answers"] == 2 * VERIFY_ROWS == len(report["per_row"])
    assert set(report["litertlm_robust"]["renderings"]) == {"as_written", "spoken"}
    assert report["litertlm_robust"]["robust_accuracy"] <= min(
        values["combined_accuracy"] for values in report["litertlm_robust"]["renderings"].values())
    assert report["held_out_source"].startswith(f"{output} heldout.csv") and report["training_overlap"] == 0
    assert report["tools"] == f"{output} tools.json"
    agree = [_format.parse_output(row["litertlm"], tools).call == _format.parse_output(row["pytorch"], tools).call
             for row in report["per_row"]]
    assert report["agreement"] == pytest.approx(sum(agree) / len(agree))
    assert [row["user_message"] for row in report["disagreements"]] == [
        row["user_message"] for row, same in zip(report["per_row"], agree) if not same]


def test_verification_rows_include_no_call_rows_in_their_share(seed_examples, tools):
    script = load_script("export_litertlm.py")
    held_out = _data.select_split(seed_examples, tools, "test", 0.1, 42)
    share = sum(example.call is None for example in held_out) / len(held_out)
    for count in (1, 3, 20):
        rows = script.verification_rows(held_out, count)
        no_call = sum(row.call is None for row in rows)
        assert len(rows) == count and set(rows) <= set(held_out)
        assert no_call == max(1, round(count * share)) and (count == 1 or no_call < count)


def test_verification_also_runs_constrained_on_both_sides(exported):
    """LiteRT-LM's LL_GUIDANCE regex and the evaluator's grammar both force valid calls from a
    random model; the built-in FunctionGemma constraint is reported unavailable (HF tokenizer)."""
    constrained = exported["verification"]["constrained"]
    assert constrained["mode"] == "calls" and constrained["rows"] == exported["verification"]["rows"] > 3
    assert constrained["litertlm_valid_format"] == 1.0 and constrained["pytorch_valid_format"] == 1.0
    assert exported["verification"]["litertlm_valid_format"] < 1.0  # unconstrained, the barely trained model rambles
    assert exported["builtin_constraint"].startswith("unavailable") and "SentencePiece" in exported["builtin_constraint"]


def test_bench_reuses_the_developer_turn_and_keeps_the_weight_cache_out(exported, tools, tokenizer):
    bench = exported["benchmark"]
    assert bench["rows"] == 2 and {"fresh", "reuse", "constrained"} <= set(bench)
    # per request, the reused session prefills exactly the prompt minus the developer turn (with <bos>)
    prompt = _format.render_prompt(tools, "x")
    developer = len(tokenizer(prompt[:prompt.index("<start_of_turn>user")], add_special_tokens=False)["input_ids"])
    assert bench["fresh"]["prefill_tokens"]["median"] - bench["reuse"]["prefill_tokens"]["median"] == developer
    assert bench["reuse_same_calls"] == bench["reuse_rows"] == 2
    for way in ("fresh", "reuse", "constrained"):
        timing = bench[way]
        assert 0 < timing["first_token_seconds"]["median"] < timing["seconds"]["median"]
        assert timing["decode_per_second"]["median"] > 0
    # the spawned child's own peak: getrusage would report the exporting parent's (over 2 GB here)
    assert 50e6 < bench["peak_rss_bytes"] < 1.5e9
    assert bench["weight_cache_bytes"] > 0.3 * bench["file_bytes"]  # it was written, into a temporary directory
    out = os.path.dirname(exported["file"])
    # only the file, the --json summary and the uploaded card: no weight cache beside the file
    assert sorted(os.listdir(out)) == sorted([os.path.basename(exported["file"]), "summary.json", "README.md"])


def test_benchmark_table_prints_every_way(exported, capsys):
    script = load_script("export_litertlm.py")
    script.print_benchmark(exported["benchmark"], 2)
    printed = capsys.readouterr().out
    for label in ("fresh conversation", "developer turn reused", "constrained (regex)", "peak RSS", "XNNPACK weight cache"):
        assert label in printed


def test_compare_counts_agreement_and_accuracy(tools, seed_examples):
    script = load_script("export_litertlm.py")
    by_call = {}
    for example in seed_examples:
        by_call.setdefault(example.call, example)
    examples = [example for example in by_call.values() if example.call][:3]  # three different calls
    examples += [_data.Example("thanks", None), _data.Example("play some music", None)]
    right = [_format.render_completion(example.call) for example in examples]
    reply = _format.DEFAULT_NO_CALL_REPLY
    # LiteRT-LM returns text without the stop token; the PyTorch side keeps it
    device = [right[0], right[1], "I am not sure.", reply, right[0].removesuffix("<start_function_response>")]
    reference = [right[0], _format.render_completion(examples[2].call), "Hmm.", right[3], right[0]]
    report = script.compare(examples, device, reference, tools, reply)
    assert report["agreement"] == pytest.approx(4 / 5)  # rows 3 and 4: no call on both sides; row 5: the same call
    assert report["both_without_call"] == 2
    assert report["text_agreement"] == pytest.approx(3 / 5)  # rows 1, 4 and 5 once the stop tokens are cut
    assert report["litertlm_accuracy"] == pytest.approx(3 / 5)
    assert report["pytorch_accuracy"] == pytest.approx(2 / 5)
    assert report["no_call_rows"] == 2
    assert (report["litertlm_text_on_no_call_rows"], report["pytorch_text_on_no_call_rows"]) == (1, 1)
    assert (report["litertlm_false_call_rate"], report["pytorch_false_call_rate"]) == (0.5, 0.5)
    assert report["litertlm_no_call_reply_rate"] == 0.5
    assert [row["user_message"] for row in report["disagreements"]] == [examples[1].message]


MARGIN = 1.1  # the planted margins nearest to it are 1.0 and 1.2


@pytest.fixture(scope="module")
def margin_exports(tmp_path_factory, tools):
    """A tiny Gemma 3 that litert-torch can express, with the first-token margins of
    test_call_margin planted and a stored call margin of 1.1, exported twice with --verify on its 16
    planted rows (4 of them no-call rows): without quantization (the margins nearest to 1.1 are 0.1
    away, less than int8 moves logits this large), and on 6 of them with --call-margin 1000 (dynamic
    int8, the default), a margin no call clears. Returns (stored export's summary, its stdout, suppressing one's summary)."""
    import subprocess
    import sys

    import _inference
    import stand_in
    from test_call_margin import MESSAGES, TARGETS, WATER, plant

    folder = tmp_path_factory.mktemp("margin-export")
    model, tokenizer = _inference.load_model(str(stand_in.tiny_gemma3(folder / "base", query_pre_attn_scalar=16)))
    plant(model, tokenizer, tools)
    model.save_pretrained(folder / "model")
    tokenizer.save_pretrained(folder / "model")
    (folder / "model" / "training_config.json").write_text(json.dumps({"call_margin": {"value": MARGIN}}))
    rows = [_data.Example(message, None if target in (0.02, 0.05, 0.4, -0.3) else WATER)
            for message, target in zip(MESSAGES, TARGETS)]
    _data.write_examples_csv(str(folder / "rows.csv"), rows)

    def export(name: str, rows_verified: int, *flags):
        out = folder / name
        out.mkdir()
        result = subprocess.run([sys.executable, str(ROOT / "export_litertlm.py"), "--model", str(folder / "model"),
                                 "--dataset", str(folder / "rows.csv"), "--split", "all", "--verify", str(rows_verified),
                                 "--constrained", "none", "--min-agreement", "0", "--output-dir", str(out),
                                 "--json", str(out / "summary.json"), *flags],
                                capture_output=True, text=True, timeout=900, cwd=folder)
        return summary_of(result, out / "summary.json"), result.stdout

    stored, printed = export("stored", len(rows), "--quantize", "none")
    # 6 rows: the first four call rows (planted 6, -0.02, 2.5, 1.0) and two no-call rows
    suppressed, _ = export("suppressed", 6, "--call-margin", "1000")
    return stored, printed, suppressed


def test_the_stored_call_margin_is_built_into_the_file(margin_exports):
    """PyTorch with the stored margin calls exactly on the rows planted at 1.1 or more, and the file
    makes the same call / no-call decision on every answer, as written and spoken."""
    from test_call_margin import MESSAGES, TARGETS

    stored, printed, _ = margin_exports
    assert stored["call_margin"] == {"value": MARGIN, "source": "training_config.json", "token_id": 48, "in_graph": True}
    report = stored["verification"]
    assert report["call_margin"] == MARGIN and report["rows"] == 16 and report["answers"] == 32
    written = {row["user_message"]: row for row in report["per_row"] if row["rendering"] == "as_written"}
    assert [written[message]["pytorch"].startswith(_format.START_CALL) for message in MESSAGES] == [
        target >= MARGIN for target in TARGETS]
    assert all(written[message]["pytorch_calls"] for message, target in zip(MESSAGES, TARGETS) if target >= MARGIN)
    assert all(row["litertlm_calls"] == row["pytorch_calls"] for row in report["per_row"])
    assert report["decision_agreement"] == 1.0 and report["decision_agreement_by_rendering"] == {
        "as_written": 1.0, "spoken": 1.0}
    assert report["litertlm_call_answers"] == report["pytorch_call_answers"] >= 6
    assert "call margin: 1.1 (training_config.json), built into the graph" in printed
    assert "call / no-call decision agrees: 100.0% (as_written 100.0%, spoken 100.0%" in printed


def test_a_margin_no_call_clears_leaves_no_call_on_the_device(margin_exports):
    """The same model exported with a margin of 1000: no answer holds a call, on rows the file with
    the stored 1.1 answered with a call."""
    stored, _, suppressed = margin_exports
    assert suppressed["call_margin"]["value"] == 1000 and suppressed["call_margin"]["source"] == "--call-margin"
    report = suppressed["verification"]
    before = {row["user_message"]: row for row in stored["verification"]["per_row"]}
    assert report["rows"] == 6 and sum(before[row["user_message"]]["litertlm_calls"] for row in report["per_row"]) >= 3
    assert report["litertlm_call_answers"] == report["pytorch_call_answers"] == 0
    assert not any(_format.START_CALL in row["litertlm"] or row["litertlm"].startswith("(LiteRT-LM error")
                   for row in report["per_row"])
    assert report["litertlm_false_call_rate"] == 0.0 and report["decision_agreement"] == 1.0


def test_the_margin_reaches_the_checkpoint_the_converter_reads(tiny_model_dir, tmp_path):
    """apply_call_margin's bias is saved as lm_head.bias next to the tied embedding (no lm_head.weight),
    and the exporter refuses a built model whose bias is not exactly the margin's."""
    import torch
    from safetensors import safe_open

    import _inference

    script = load_script("export_litertlm.py")
    model, tokenizer = _inference.load_model(str(tiny_model_dir))
    _inference.apply_call_margin(model, tokenizer, 2.5)
    script.save_merged(model, tokenizer, str(tmp_path))
    with safe_open(str(tmp_path / "model.safetensors"), framework="pt") as handle:
        assert "lm_head.weight" not in handle.keys()
        bias = handle.get_tensor("lm_head.bias")
    expected = torch.zeros(262144)
    expected[48] = -2.5
    assert torch.equal(bias, expected)
    script.check_output_bias(bias, 2.5, 48)
    with pytest.raises(script.DataError, match="litert-torch did not load lm_head.bias"):
        script.check_output_bias(torch.rand(262144), 2.5, 48)


def test_unknown_quantization_is_one_line(run_script):
    one_line_error(run_script("export_litertlm.py", "--model", "x", "--quantize", "int3"),
                   "--quantize 'int3' is not supported", "dynamic_int8")


def test_negative_call_margin_is_one_line(run_script):
    one_line_error(run_script("export_litertlm.py", "--model", "x", "--call-margin", "-0.5"),
                   "--call-margin must be a number >= 0")


def test_adapter_without_reachable_base_is_one_line(run_script, tmp_path):
    (tmp_path / "adapter_config.json").write_text(json.dumps(
        {"peft_type": "LORA", "base_model_name_or_path": str(tmp_path / "gone"), "r": 4}))
    one_line_error(run_script("export_litertlm.py", "--model", tmp_path, "--verify", "0"),
                   "cannot load base model of adapter")


def test_model_without_tokenizer_is_one_line(run_script, trained_run, tmp_path):
    import shutil
    base = json.loads((trained_run[0] / "adapter_config.json").read_text())["base_model_name_or_path"]
    for name in ("config.json", "model.safetensors"):
        shutil.copy(f"{base}/{name}", tmp_path / name)
    one_line_error(run_script("export_litertlm.py", "--model", tmp_path, "--verify", "0"), "tokenizer")


def test_unsupported_attention_scale_is_one_line(run_script, tiny_model_dir, tmp_path):
    """The stand-in tiny model keeps Gemma 3's query_pre_attn_scalar 256 with head_dim 16."""
    one_line_error(run_script("export_litertlm.py", "--model", tiny_model_dir, "--verify", "0",
                              "--output-dir", tmp_path), "query_pre_attn_scalar 256 != head_dim 16")


def test_out_of_disk_is_a_clear_error(tmp_path):
    script = load_script("export_litertlm.py")
    with pytest.raises(script.DataError, match=r"out of disk space: the \.litertlm file needs about"):
        script.check_free_space(str(tmp_path), 10 ** 18, "the .litertlm file")
    script.check_free_space(str(tmp_path), 1, "the .litertlm file")


@pytest.mark.slow
def test_real_270m_export_and_agreement(real_model_dir, tmp_path, run_script):
    """The real Gemma 3 270M weights: ~2.5 min conversion, ~7 GB peak; a few rows of agreement."""
    summary = summary_of(run_script("export_litertlm.py", "--model", real_model_dir, "--output-dir", tmp_path,
                                    "--verify", "3", "--json", tmp_path / "summary.json", timeout=1500),
                         tmp_path / "summary.json")
    assert summary["bytes"] <= 290e6
    assert summary["metadata"]["llm_model_type"] == "function_gemma"
    assert summary["metadata"]["template_is_chat_template"] is True
    report = summary["verification"]
    assert report["rendered_prompt"] == "match"
    assert report["rows"] == 3 and report["agreement"] >= 0.95
