"""Generative answers through a LangChain chat model, every sentence claim-checked.

`LLMBackend.answer(question, hits, support, analysis=None)` returns a `Draft` like the
extractive backend does, so the answer pipeline needs no change: the model sees only the
numbered passages and the analysed question (prompts/answer.txt, prompts/english.txt),
its reply is split into sentences, and only sentences the cited passages support are
kept (anpo.claims).  Anything else falls back to the extractive answer with a note:

- the model does not answer within `timeout` (client timeout AND a wall-clock guard: the
  call runs in a daemon thread, so a hung connection never holds up the answer; a streamed
  reply must deliver each piece within `timeout`, and all of it within STREAM_CAP timeouts);
- the endpoint refuses the connection, returns an error or malformed output;
- a marker does not resolve to a passage;
- the lead (the first sentence, the conclusion) is not supported, so neither is the answer.

`LLMBackend.stream(...)` yields each checked sentence (str) as soon as it is complete and,
last, the `Draft`.  `stream_answer(assistant, question)` runs the whole ask pipeline and
yields the sentences, then the final `Answer` (see its docstring).
"""

from __future__ import annotations

import dataclasses
import queue
import re
import threading
import time
from pathlib import Path
from typing import Callable, Iterator, Sequence

from anpo.answering import Draft, ExtractiveBackend, Support, is_english
from anpo.claims import ClaimChecker, Claim, SentenceStream, Verdict, lead_agrees, lead_kind, passages_of
from anpo.settings import REPO_ROOT

PROMPTS_DIR = REPO_ROOT / "prompts"
TASKS = ("answer", "english", "followup", "checklist")
GUARD_MARGIN = 0.5        # seconds the wall-clock guard waits beyond the client timeout
STREAM_CAP = 4            # a streamed reply may take this many timeouts in all, if pieces keep coming

# The one-line warning to show wherever an LLM backend can be chosen (app, README).
TECH_TRANSFER_WARNING = (
    "外部のサービスに資料や質問を送ること自体が、技術の提供（技術提供）に当たる場合があります。"
    "規制技術を含む内容は、社内の承認なしに送らないでください。",
    "Sending documents or questions to an outside service can itself be a transfer of controlled technology "
    "(技術提供); do not send controlled technical content without approval.")

# Notes shown under a fallback or trimmed answer: (Japanese, English)
NOTES = {
    "timeout": ("生成モデルが応答しなかったため、抽出型の回答を表示しています。",
                "The language model did not answer in time, so the extractive answer is shown."),
    "unreachable": ("生成モデルに接続できなかったため、抽出型の回答を表示しています。",
                    "The language model could not be reached, so the extractive answer is shown."),
    "malformed": ("生成モデルの応答を読み取れなかったため、抽出型の回答を表示しています。",
                  "The language model's reply could not be read, so the extractive answer is shown."),
    "markers": ("生成モデルの回答に資料と対応しない出典番号があったため、抽出型の回答を表示しています。",
                "The model's reply cited passages that do not exist, so the extractive answer is shown."),
    "lead": ("生成モデルの回答の結論を資料で確認できなかったため、抽出型の回答を表示しています。",
             "The model's conclusion is not supported by the passages, so the extractive answer is shown."),
    "dropped": ("資料で裏付けられない文を回答から除きました: {items}",
                "Sentences the passages do not support were removed: {items}"),
    "lenient": ("英語の文は日本語の資料と語句単位では照合できないため、数値・項番・用語のみ確認しています。",
                "English sentences were checked against the Japanese passages for figures, item numbers "
                "and terms only."),
    "stopped": ("生成モデルの回答が途中で止まったため、確認できた文までを表示しています。",
                "The model's reply stopped part-way; the sentences checked so far are shown."),
}


class Failure(Exception):
    """Why a model call produced no usable reply: a key of NOTES."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def classify(error: BaseException) -> str:
    """timeout / unreachable / malformed, from any provider's exception."""
    names = " ".join(c.__name__ for c in type(error).__mro__)
    if isinstance(error, TimeoutError) or "Timeout" in names:
        return "timeout"
    if isinstance(error, ConnectionError) or "Connect" in names:
        return "unreachable"
    return "malformed"


# ----------------------------------------------------------------- prompts

def load_prompt(task: str, prompts_dir: Path = PROMPTS_DIR) -> tuple[str, str]:
    """(system, user template) of a task's prompt file: the two parts are separated by a
    line '---'.  Tasks: answer, english, followup, checklist."""
    text = (prompts_dir / f"{task}.txt").read_text(encoding="utf-8")
    system, _, user = text.partition("\n---\n")
    return system.strip(), user.strip()


def format_passages(hits) -> str:
    return "\n\n".join(f"[{i}] {h.chunk.title}（{h.chunk.locator}）\n<<<\n{h.chunk.text}\n>>>"
                       for i, h in enumerate(hits, 1))


# What of the question analysis (anpo.analysis.Analysis) the model is shown, and how.
_ANALYSIS_FIELDS = (("intent", "質問の種類"), ("topic", "主題"), ("products", "製品"), ("countries", "仕向地"),
                    ("parties", "取引の相手"), ("actions", "行為"), ("premise", "前提"), ("permission", "許可を求める質問"))


def _slot(x) -> str:
    if hasattr(x, "name") and hasattr(x, "group"):           # a country and its destination group
        return f"{x.name}（グループ{x.group}）" if x.group else str(x.name)
    if hasattr(x, "text") and hasattr(x, "candidates"):      # a product and the rows it may fall under
        return x.text + (f"（候補: {'、'.join(x.candidates)}）" if x.candidates else "")
    return str(x)


def describe_analysis(analysis) -> str:
    """The analysed question as a few labelled lines (intent, topic, products with their
    candidate rows, countries with their group, parties, actions); '' when there is none."""
    if analysis is None:
        return ""
    rows = []
    for name, label in _ANALYSIS_FIELDS:
        v = getattr(analysis, name, None)
        if v in (None, "", (), [], False, "other"):
            continue
        if isinstance(v, (tuple, list)):
            v = "、".join(_slot(x) for x in v)
        rows.append(f"- {label}: {'はい' if v is True else v}")
    return "\n".join(rows)


def build_messages(question: str, hits, english: bool, analysis=None,
                   prompts_dir: Path = PROMPTS_DIR) -> list[tuple[str, str]]:
    system, user = load_prompt("english" if english else "answer", prompts_dir)
    body = user.format(question=question, analysis=describe_analysis(analysis) or "（なし）",
                       passages=format_passages(hits))
    return [("system", system), ("human", body)]


# ----------------------------------------------------------------- guarded calls

def _in_thread(target: Callable[[queue.Queue], None]) -> queue.Queue:
    """Runs target(q) in a daemon thread (a hung socket never blocks exit) and returns q."""
    q: queue.Queue = queue.Queue()
    threading.Thread(target=target, args=(q,), daemon=True, name="anpo-llm").start()
    return q


def guarded_pieces(model, messages, timeout: float, stream: bool) -> Iterator[str]:
    """The reply's text, in pieces as they stream (one piece when not streaming).  Raises
    Failure when the model errs or a wall-clock deadline passes: the whole reply within
    `timeout` when not streaming; when streaming, each piece within `timeout` of the one
    before (a model that is still writing is not hung) and the whole within STREAM_CAP×."""
    start = time.monotonic()
    deadline = start + timeout + GUARD_MARGIN
    cap = start + STREAM_CAP * timeout + GUARD_MARGIN

    def run(q):
        try:
            if stream:
                for chunk in model.stream(messages):
                    q.put(("piece", _text(chunk)))
            else:
                q.put(("piece", _text(model.invoke(messages))))
            q.put(("end", None))
        except BaseException as e:       # any provider error ends up as a note, never a crash
            q.put(("error", e))

    q = _in_thread(run)
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise Failure("timeout")
        try:
            kind, value = q.get(timeout=left)
        except queue.Empty:
            raise Failure("timeout") from None
        if kind == "end":
            return
        if kind == "error":
            raise Failure(classify(value)) from value
        if stream:
            deadline = min(time.monotonic() + timeout + GUARD_MARGIN, cap)
        yield value


def _text(message) -> str:
    content = getattr(message, "content", message)
    if isinstance(content, list):        # content blocks
        content = "".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)
    if not isinstance(content, str):
        raise ValueError("the model's reply has no text")
    return content


# ----------------------------------------------------------------- assembling

class Assembler:
    """Decides, sentence by sentence, what of a reply is shown.  `add(claim)` returns the
    sentences that may be shown now; `finish()` the rest.  A short lead (はい) waits for the
    sentence after it.  Sets `fallback` (a NOTES key) when the reply cannot be used."""

    def __init__(self, checker: ClaimChecker, question: str, strict_markers: bool):
        self.checker = checker
        self.question = question
        self.strict_markers = strict_markers
        self.kept: list[Verdict] = []
        self.dropped: list[Verdict] = []
        self.pending_lead: tuple[Claim, str] | None = None
        self.fallback: str | None = None
        self.stopped = False
        self.seen = 0

    @property
    def done(self) -> bool:
        return self.fallback is not None or self.stopped

    def add(self, claim: Claim) -> list[Verdict]:
        if self.done:
            return []
        first = self.seen == 0
        self.seen += 1
        kind = lead_kind(claim.text) if first and not claim.markers else None
        if kind:
            self.pending_lead = (claim, kind)
            return []
        if not self.checker.resolves(claim):
            if self.strict_markers or not self.kept:
                self.fallback = "markers"
            else:
                self.stopped = True
            return []
        v = self.checker.check(claim)
        if not self.kept:                  # this sentence is the conclusion (or follows はい)
            if not v.supported:
                self.fallback = "lead"
                return []
            out = []
            if self.pending_lead:
                lead, lk = self.pending_lead
                if not lead_agrees(lk, self.question, claim.body):
                    self.fallback = "lead"
                    return []
                out.append(Verdict(lead, True, ""))
            self.kept.extend(out + [v])
            return out + [v]
        if v.supported:
            self.kept.append(v)
            return [v]
        self.dropped.append(v)
        return []

    def finish(self) -> list[Verdict]:
        if not self.done and not self.kept:
            self.fallback = "lead"       # nothing but a lead, or nothing at all
        return []

    def notes(self, english: bool) -> tuple[str, ...]:
        lang = 1 if english else 0
        out = []
        if self.dropped:
            items = "、".join(f"「{_short(v.claim.body)}」（{v.reason}）" for v in self.dropped)
            out.append(NOTES["dropped"][lang].format(items=items))
        if self.stopped:
            out.append(NOTES["stopped"][lang])
        if any(v.lenient for v in self.kept):
            out.append(NOTES["lenient"][lang])
        return tuple(out)


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"


def draft_of(kept: Sequence[Verdict], notes: tuple[str, ...]) -> Draft:
    highlights: dict[int, list] = {}
    for v in kept:
        for pos, spans in v.spans.items():
            for s in spans:
                if s not in highlights.setdefault(pos, []):
                    highlights[pos].append(s)
    text = "\n".join(v.claim.text for v in kept)
    return Draft(text, {k: tuple(v) for k, v in highlights.items()}, notes)


# ----------------------------------------------------------------- the backend

class LLMBackend:
    """A chat model answering from numbered passages, claim-checked, never failing: on any
    problem the extractive answer is returned with a note saying why."""

    accepts_analysis = True          # answer(..., analysis=Analysis) puts the analysed question in the prompt

    def __init__(self, name: str, make_model: Callable[[], object], timeout: float = 30.0,
                 prompts_dir: Path = PROMPTS_DIR, fallback=None, threshold: float | None = None):
        self.name = name
        self._make_model = make_model
        self._model = None
        self.timeout = timeout
        self.prompts_dir = prompts_dir
        self.fallback = fallback or ExtractiveBackend()
        self.threshold = threshold

    def model(self):
        if self._model is None:
            self._model = self._make_model()
        return self._model

    def answer(self, question: str, hits: Sequence, support: Support, analysis=None) -> Draft:
        """The claim-checked Draft.  Inside `stream_answer` (a sink is set for this thread)
        the reply is streamed and each checked sentence handed to the sink as it completes."""
        sink = getattr(_STREAM, "sink", None)
        result = None
        if sink is None:
            for item in self._run(question, hits, support, analysis, stream=False):
                result = item
            return result
        numbering: dict[int, int] = {}
        for item in self._run(question, hits, support, analysis, stream=True):
            if isinstance(item, str):
                sink(renumber(item, numbering))
            else:
                result = item
        return result

    def stream(self, question: str, hits: Sequence, support: Support, analysis=None) -> Iterator[str | Draft]:
        """Each checked sentence (markers = passage positions in `hits`) as soon as it is
        complete, then the Draft (the same text, one sentence a line, with notes)."""
        yield from self._run(question, hits, support, analysis, stream=True)

    def _run(self, question, hits, support, analysis, stream: bool) -> Iterator[str | Draft]:
        english = support.english if support is not None else is_english(question)
        checker = ClaimChecker(passages_of(hits), **({"threshold": self.threshold} if self.threshold else {}))
        asm = Assembler(checker, question, strict_markers=not stream)
        failure = None
        splitter = SentenceStream()
        try:
            messages = build_messages(question, hits, english, analysis, self.prompts_dir)
            for piece in guarded_pieces(self.model(), messages, self.timeout, stream):
                for claim in splitter.feed(piece):
                    yield from self._shown(asm.add(claim), stream)
                if asm.done:
                    break
            if not asm.done:
                for claim in splitter.flush():
                    yield from self._shown(asm.add(claim), stream)
                asm.finish()
        except Failure as f:
            failure = f.kind
        except Exception:                  # model construction, prompt files, provider oddities
            failure = "malformed"
        if failure and asm.kept:
            # the sentences already received and complete are still checked and shown
            for claim in splitter.flush():
                if re.search(r"[。！？.!?]\s*(\[\d+\]\s*)*$", claim.text):
                    yield from self._shown(asm.add(claim), stream)
            asm.stopped = True
            failure = None
        reason = failure or asm.fallback
        if reason:
            yield from self._fallback(question, hits, support, reason, english, stream)
            return
        yield draft_of(asm.kept, asm.notes(english))

    @staticmethod
    def _shown(verdicts: Sequence[Verdict], stream: bool) -> Iterator[str]:
        if stream:
            for v in verdicts:
                yield v.claim.text

    def _fallback(self, question, hits, support, reason: str, english: bool, stream: bool):
        d = self.fallback.answer(question, hits, support)
        d = dataclasses.replace(d, notes=tuple(d.notes) + (NOTES[reason][1 if english else 0],))
        if stream:
            yield from (line for line in d.text.split("\n") if line.strip())
        yield d


# ----------------------------------------------------------------- streaming a whole answer

_STREAM = threading.local()
_MARKER = re.compile(r"\[(\d+)\]")


def renumber(sentence: str, numbering: dict[int, int]) -> str:
    """Markers renumbered by first use, as `finalize` numbers the whole answer (the streamed
    sentences are the answer's sentences in order, so the numbers agree)."""
    def sub(m):
        pos = int(m.group(1))
        if pos not in numbering:
            numbering[pos] = len(numbering) + 1
        return f"[{numbering[pos]}]"
    return _MARKER.sub(sub, sentence)


def stream_from(ask: Callable[[], object]) -> Iterator[object]:
    """Runs `ask()` in a worker thread and yields, while it runs, each checked sentence an LLM
    backend produces (str, markers numbered as in the final answer), then what `ask()`
    returned (the Answer).  Exceptions of `ask()` are raised here.  With the extractive
    backend nothing streams: only the Answer is yielded."""
    q: queue.Queue = queue.Queue()

    def run(_):
        _STREAM.sink = lambda sentence: q.put(("sentence", sentence))
        try:
            q.put(("answer", ask()))
        except BaseException as e:
            q.put(("error", e))
        finally:
            _STREAM.sink = None

    _in_thread(run)
    while True:
        kind, value = q.get()
        if kind == "sentence":
            yield value
        elif kind == "answer":
            yield value
            return
        else:
            raise value


def stream_answer(assistant, question: str, k: int | None = None, backend: str | None = None) -> Iterator[object]:
    """The app's streaming ask: yields each claim-checked sentence (str) as soon as the model
    completes it, then the final `Answer` exactly as `assistant.ask(question, k, backend)`
    returns it (caveats, citations, notes, backend label; a refusal if the citation check
    fails).  Show the sentences as they come, then replace them with the final answer's text.
    Sentences the checker drops are never yielded; a fallback yields the extractive
    sentences instead, and its note is in the final Answer's `notes`."""
    return stream_from(lambda: assistant.ask(question, k=k, backend=backend))
