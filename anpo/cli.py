"""The `anpo` command: a thin layer over `anpo.service`.  Parses arguments, calls one
core function, formats the result.  Errors become one sentence on stderr and an exit
code: 2 for bad input, 1 for anything else."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_FAIL, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):            # one sentence, exit 2 (argparse prints usage otherwise)
        raise _UsageError(f"{message}; see `anpo --help`")


class _UsageError(Exception):
    pass


def _progress_bar():
    """A tqdm bar on stderr when it is a terminal; silent otherwise (stdout stays clean)."""
    if not sys.stderr.isatty():
        return lambda done, total, label: None
    from tqdm import tqdm
    bars = {}

    def update(done, total, label):
        bar = bars.get(label)
        if bar is None:
            bar = bars[label] = tqdm(total=total, desc=label, file=sys.stderr, unit="件", leave=False)
        bar.total = total
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()
    return update


def _assistant(args):
    from anpo.service import Assistant
    from anpo.settings import Settings
    a = Assistant(Settings.from_env())
    a.notify = lambda msg: print(f"anpo: {msg}", file=sys.stderr, flush=True)
    return a


def _served(a, progress) -> None:
    """The index to serve (built only if none exists); one stderr line when it is stale."""
    a.ensure_index(progress=progress)
    stale = a.staleness()
    if stale:
        print(f"anpo: {stale}", file=sys.stderr)


def _check_output(out: str | None) -> None:
    """-o OUT must be writable before the work starts (bad input, exit 2, not a crash at the end)."""
    from anpo.errors import BadInputError
    if out and (Path(out).is_dir() or not Path(out).resolve().parent.is_dir()):
        raise BadInputError(f"cannot write {out}: its folder does not exist or it is a folder; give -o a file path")


def _write(text: str, out: str | None) -> None:
    if out:
        Path(out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def cmd_ask(args) -> int:
    from anpo.formatting import answer_json, answer_text
    from anpo.pipeline import validate_options
    validate_options(args.k, args.backend)
    a = _assistant(args)
    _served(a, _progress_bar())
    if getattr(args, "explain", False):
        tr = a.explain(args.question, k=args.k, backend=args.backend)
        _write(answer_json(tr.answer) if args.json else answer_text(tr.answer) + "\n\n--- explain ---\n" + "\n".join(tr.explain()), None)
        return EXIT_OK
    ans = a.ask(args.question, k=args.k, backend=args.backend)
    _write(answer_json(ans) if args.json else answer_text(ans), None)
    return EXIT_OK


def read_questions(path: str) -> list[str]:
    from anpo.errors import SourceUnreadableError
    from anpo.service import parse_questions
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as e:                            # missing, a directory, no permission
        raise SourceUnreadableError(p, f"cannot be read ({e.strerror or e.__class__.__name__})") from e
    except UnicodeDecodeError as e:
        raise SourceUnreadableError(p, "is not UTF-8 text; save it as UTF-8, one question per line") from e
    qs = parse_questions(text)
    if not qs:
        raise SourceUnreadableError(p, "contains no questions (one per line; '#' lines are skipped)")
    return qs


def cmd_batch(args) -> int:
    from anpo import formatting as f
    from anpo.pipeline import validate_options
    validate_options(args.k, args.backend)          # a bad option is exit 2, not a file of refusals
    questions = read_questions(args.file)
    _check_output(args.output)
    a = _assistant(args)
    bar = _progress_bar()
    _served(a, bar)
    answers = a.answer_batch(questions, k=args.k, backend=args.backend, progress=bar)
    if args.format == "docx":
        if not args.output:
            raise _UsageError("--format docx needs -o OUT.docx")
        from anpo.documents import handout_docx
        handout_docx(answers, Path(args.output))
        return EXIT_OK
    text = {"jsonl": f.batch_jsonl, "csv": f.batch_csv, "md": f.batch_markdown}[args.format](answers)
    _write(text, args.output)
    return EXIT_OK


def cmd_ingest(args) -> int:
    a = _assistant(args)
    results = a.ingest([Path(p) for p in args.paths], progress=_progress_bar())
    for r in results:
        print(f"追加しました: {r.path} → {r.doc_id}（{r.title}、{r.chunks} チャンク）", flush=True)
        for w in r.warnings:
            print(f"  注意: {w}")
    return EXIT_OK


def cmd_index(args) -> int:
    a = _assistant(args)
    report = a.build_index(rebuild=args.rebuild, progress=_progress_bar())
    for w in report.warnings:
        print(f"anpo: {w}", file=sys.stderr)
    if report.changed or report.embedded_chunks:
        print(f"索引を更新しました: {report.total_chunks} チャンク（追加 {len(report.added)}・更新 {len(report.updated)}・"
              f"削除 {len(report.removed)} 文書、埋め込み {report.embedded_chunks} チャンク、{report.seconds:.1f} 秒）")
    else:
        print(f"索引は最新です: {report.total_chunks} チャンク")
    return EXIT_OK


def cmd_sources(args) -> int:
    from anpo.formatting import sources_table
    a = _assistant(args)
    _served(a, _progress_bar())
    srcs = a.sources()
    if args.json:
        print(json.dumps([s.__dict__ for s in srcs], ensure_ascii=False, indent=1))
    else:
        print(sources_table(srcs))
    return EXIT_OK


def cmd_draft(args) -> int:
    from anpo import documents, drafting
    if args.format == "docx" and not args.output:
        raise _UsageError("--format docx needs -o OUT.docx")
    _check_output(args.output)
    profile = drafting.load_profile(args.profile)
    a = _assistant(args)
    a.ensure_index(progress=_progress_bar())
    doc = {"cp": drafting.draft_cp, "brief": drafting.draft_brief}[args.kind](profile, a)
    if args.format == "docx":
        documents.render_docx(doc, Path(args.output))
    else:
        _write(documents.render_markdown(doc), args.output)
    return EXIT_OK


def cmd_chat(args) -> int:
    """Questions from stdin, one a line, each answered in the context of the lines before it
    (anpo.conversation); `/reset` or `/new` starts a new conversation."""
    from anpo.answering import refusal
    from anpo.conversation import Conversation
    from anpo.errors import BadInputError
    from anpo.formatting import answer_json, answer_text
    from anpo.pipeline import validate_options
    validate_options(args.k, args.backend)
    a = _assistant(args)
    _served(a, _progress_bar())
    conv = Conversation(a)
    for line in sys.stdin:
        q = line.lstrip("\ufeff").strip()
        if not q or q.startswith("#"):
            continue
        if q in ("/reset", "/new"):
            conv.reset()
            continue
        try:
            ans = conv.ask(q, k=args.k, backend=args.backend)
        except BadInputError as e:
            ans = refusal(q, args.backend or a.settings.backend, reason=f"（入力エラー: {e}）")
        _write(answer_json(ans) if args.json else answer_text(ans) + "\n", None)
        sys.stdout.flush()
    return EXIT_OK


def cmd_eval(args) -> int:
    if getattr(args, "drafts", False):
        return _eval_drafts(args)
    if getattr(args, "claims", False):
        return _eval_claims(args)
    from evals import scorer
    from anpo.errors import BadInputError
    paths = scorer.resolve_sets(args.set)
    if not all(p.exists() for p in paths):
        raise _UsageError(f"no evaluation set '{args.set}' (use tune, heldout, dev, test, fresh_dev, fresh_test, smoke, dialogues, fresh, all "
                          "or a .jsonl path)")
    sets = {}
    for path in paths:
        try:
            sets[path.stem] = scorer.load_set(path)
        except (ValueError, KeyError) as e:
            raise BadInputError(f"{path} is not a valid evaluation set ({e.__class__.__name__}: {e})") from e
    report = _scored_from_file(sets, args.answers) if args.answers else _scored_live(sets, args)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        for name, summary in report.items():
            print(scorer.format_table(name, summary))
            if args.failures:
                for f in summary["failures"]:
                    lead = f" lead {f['lead']}≠{f['expected_lead']}" if f["lead"] != f["expected_lead"] != "none" else ""
                    print(f"  ✗ {f['id']} [{f['kind']}] {f['question']} → "
                          f"{'grounded' if f['grounded'] else 'refused'}{lead}: {f['answer'][:80]}")
            print()
    return EXIT_OK


def _eval_claims(args) -> int:
    """The claim checker scored on evals/claims.jsonl (labelled sentences over the pack's passages)."""
    from evals import claims_scorer
    a = _assistant(args)
    report = claims_scorer.evaluate(a.ensure_index(progress=_progress_bar()).chunks)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return EXIT_OK
    print(claims_scorer.format_report(report))
    if args.failures:
        for e in report["errors"]:
            print(f"  ✗ {e['id']} [{e['label']}/{e['kind']}] {e['sentence']} → {e['reason'] or 'kept'}")
    return EXIT_OK


def _scored_live(sets: dict, args) -> dict:
    """Every set asked through the assistant; dialogues turn by turn in one conversation."""
    from evals import scorer
    a = _assistant(args)
    bar = _progress_bar()
    a.ensure_index(progress=bar)
    ask = lambda q: a.ask(q, k=args.k, backend=getattr(args, "backend", None))
    report = {}
    for name, items in sets.items():
        if any(it.turns for it in items):
            results, mode = scorer.run_dialogues(items, _chat_factory(a, args), ask, a.check, progress=bar)
        else:
            results, mode = scorer.run_items(items, ask, a.check, progress=bar), None
        report[name] = scorer.summarize(results, mode)
    return report


def _chat_factory(a, args):
    """A fresh conversation per dialogue (`anpo.conversation.Conversation(assistant).ask(q, k=…)`),
    or None while the core has none: then each dialogue's last turn is asked alone."""
    try:
        from anpo.conversation import Conversation
    except ImportError:
        return None

    def factory():
        conv = Conversation(a)
        return lambda q: conv.ask(q, k=args.k, backend=getattr(args, "backend", None))
    return factory


def _scored_from_file(sets: dict, answers_path: str) -> dict:
    """`--answers FILE`: score answers made elsewhere (`anpo batch --format jsonl` of another version)."""
    from evals import scorer
    from anpo.errors import BadInputError
    try:
        answers = scorer.load_answers(Path(answers_path))
        return {name: scorer.summarize(scorer.score_answers(items, answers),
                                       "from_file" if any(it.turns for it in items) else None)
                for name, items in sets.items()}
    except (OSError, ValueError, KeyError) as e:
        raise BadInputError(f"{answers_path} cannot be scored ({e.__class__.__name__}: {e})") from e


def _eval_drafts(args) -> int:
    """`anpo eval --drafts`: every profile in evals/drafts drafted (cp and brief) and scored."""
    from anpo import documents, drafting
    from evals import drafts_scorer
    a = _assistant(args)
    a.ensure_index(progress=_progress_bar())

    def draft(kind, path):
        doc = {"cp": drafting.draft_cp, "brief": drafting.draft_brief}[kind](drafting.load_profile(path), a)
        return documents.render_markdown(doc)
    report = drafts_scorer.evaluate(drafts_scorer.load_cases(), draft)
    print(json.dumps(report, ensure_ascii=False, indent=1) if args.json else drafts_scorer.format_table(report))
    return EXIT_OK


def cmd_serve(args) -> int:
    from anpo.settings import REPO_ROOT
    env = dict(os.environ, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false", HF_HUB_OFFLINE="1")
    cmd = [sys.executable, "-m", "streamlit", "run", str(REPO_ROOT / "app.py"),
           "--server.address", args.address, "--server.port", str(args.port), "--server.headless", "true",
           "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]
    os.chdir(REPO_ROOT)          # Streamlit reads .streamlit/config.toml from the working directory
    os.execvpe(cmd[0], cmd, env)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="anpo", description="安全保障貿易管理（外為法）の相談アシスタント。回答には必ず出典を付けます。")
    p.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    s = sub.add_parser("ask", help="answer one question with its sources")
    s.add_argument("question")
    s.add_argument("--json", action="store_true", help="print one JSON answer object")
    s.add_argument("--k", type=int, default=None, help="passages to retrieve (default 5)")
    s.add_argument("--backend", default=None, help="answering backend (extractive, openai, ollama)")
    s.add_argument("--explain", action="store_true", help="also print the rules that fired and the scores behind the answer")
    s.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("batch", help="answer every question in a file (one per line)")
    s.add_argument("file")
    s.add_argument("--format", choices=["jsonl", "md", "csv", "docx"], default="jsonl")
    s.add_argument("-o", "--output", default=None)
    s.add_argument("--k", type=int, default=None)
    s.add_argument("--backend", default=None)
    s.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    s.set_defaults(func=cmd_batch)

    s = sub.add_parser("chat", help="answer questions from stdin (one a line), each in the context of the lines before it")
    s.add_argument("--json", action="store_true", help="one JSON answer object per line")
    s.add_argument("--k", type=int, default=None, help="passages to retrieve (default 5)")
    s.add_argument("--backend", default=None, help="answering backend (extractive, openai, ollama)")
    s.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    s.set_defaults(func=cmd_chat)

    s = sub.add_parser("ingest", help="add PDF, Markdown, text or HTML files to the knowledge base")
    s.add_argument("paths", nargs="+")
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser("index", help="build or refresh the index")
    s.add_argument("--rebuild", action="store_true", help="rebuild from scratch")
    s.set_defaults(func=cmd_index)

    s = sub.add_parser("sources", help="list the indexed documents")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_sources)

    s = sub.add_parser("eval", help="run the evaluation sets and print their metrics")
    s.add_argument("--json", action="store_true")
    s.add_argument("--set", default="all",
                   help="tune, heldout, dev, test, fresh_dev, fresh_test, smoke, dialogues, fresh, all, or a path to a .jsonl set")
    s.add_argument("--k", type=int, default=None)
    s.add_argument("--failures", action="store_true", help="list the questions that failed")
    s.add_argument("--answers", default=None, metavar="FILE",
                   help="score the answers in FILE (anpo batch --format jsonl) instead of asking")
    s.add_argument("--drafts", action="store_true", help="score CP drafts and visit briefs for evals/drafts profiles")
    s.add_argument("--claims", action="store_true",
                   help="score the claim checker on evals/claims.jsonl (labelled sentences against the pack)")
    s.add_argument("--backend", default=None, help="answering backend for the questions (extractive, openai, ollama)")
    s.set_defaults(func=cmd_eval)

    # -- draft (anpo.drafting) is registered here --
    s = sub.add_parser("draft", help="draft an internal export-control rule (cp) or a visit brief (brief) for a company")
    dsub = s.add_subparsers(dest="kind", metavar="KIND", parser_class=_Parser, required=True)
    for kind, help_text in (("cp", "輸出管理内部規程の草案（各条に対応する遵守基準と出典付き）"),
                            ("brief", "アドバイザー訪問ブリーフ（関係しうる項番・近い事例・確認リスト・質問）")):
        d = dsub.add_parser(kind, help=help_text)
        d.add_argument("--profile", required=True, help="company profile (YAML; see README)")
        d.add_argument("--format", choices=["md", "docx"], default="md")
        d.add_argument("-o", "--output", default=None, help="write to this file (required for docx)")
        d.set_defaults(func=cmd_draft, kind=kind)

    s = sub.add_parser("serve", help="start the Streamlit app")
    s.add_argument("--port", type=int, default=8501)
    s.add_argument("--address", default="127.0.0.1")
    s.set_defaults(func=cmd_serve)
    return p


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    debug = "--debug" in argv
    from anpo.errors import AnpoError, BadInputError
    from retrieval.errors import RetrievalError
    try:
        args = build_parser().parse_args(argv)
        if not getattr(args, "func", None):
            build_parser().print_help()
            return EXIT_BAD_INPUT
        return args.func(args)
    except _UsageError as e:
        print(f"anpo: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BadInputError as e:
        if debug:
            raise
        print(f"anpo: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except AnpoError as e:
        if debug:
            raise
        print(f"anpo: {e}", file=sys.stderr)
        return EXIT_FAIL
    except KeyboardInterrupt:
        print("anpo: interrupted", file=sys.stderr)
        return EXIT_FAIL
    except BrokenPipeError:         # `anpo sources | head`: the reader left; nothing to say
        sys.stderr = open(os.devnull, "w")
        return EXIT_OK
    except RetrievalError as e:     # normally translated by the core; never a traceback
        if debug:
            raise
        print(f"anpo: {e}", file=sys.stderr)
        return EXIT_FAIL
    except Exception as e:      # a bug: say so in one sentence, traceback only with --debug
        if debug:
            raise
        print(f"anpo: unexpected error ({e.__class__.__name__}: {e}); rerun with --debug for details", file=sys.stderr)
        return EXIT_FAIL


if __name__ == "__main__":
    sys.exit(main())
