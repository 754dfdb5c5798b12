"""取引審査チェック: a guided checklist for one deal (product, destination, end user, use).

Pure functions over the indexed chunks and a retrieve callable; they never decide that a
deal may go ahead.  Each check says what must be checked and why, with the passages it
rests on, and the result can be exported as a record (Markdown / CSV) for the company's
取引審査 file."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Sequence

from anpo.errors import BadInputError
from anpo.listcontrol import ListRow, list_rows, match_product
from anpo.models import Citation
from retrieval.textnorm import normalize
from retrieval.types import Chunk, Hit

Retrieve = Callable[[str, int], Sequence[Hit]]

FLAG, CHECK, INFO, UNKNOWN = "flag", "check", "info", "unknown"
STATUS_LABEL = {FLAG: "要注意", CHECK: "要確認", INFO: "参考", UNKNOWN: "不明"}

# catch-all red flags: words in the deal's description that call for a closer look
RED_FLAGS: tuple[tuple[str, str], ...] = (
    ("軍", "軍・軍関係の需要者や用途"), ("核", "核関連の用途"), ("ミサイル", "ミサイル関連の用途"),
    ("兵器", "兵器関連の用途"), ("用途不明", "用途が不明"), ("再販", "再販（転売）先が不明"),
    ("転売", "再販（転売）先が不明"), ("military", "military end use or user"), ("nuclear", "nuclear use"),
    ("missile", "missile use"), ("weapon", "weapons use"), ("resale", "resale"), ("unknown", "use unknown"),
)

# English and common short names → the names the destination table uses
COUNTRY_ALIASES = {
    "usa": "アメリカ合衆国", "us": "アメリカ合衆国", "united states": "アメリカ合衆国", "米国": "アメリカ合衆国",
    "アメリカ": "アメリカ合衆国", "uk": "英国", "united kingdom": "英国", "イギリス": "英国",
    "korea": "大韓民国", "south korea": "大韓民国", "韓国": "大韓民国", "north korea": "北朝鮮",
    "iran": "イラン", "iraq": "イラク", "germany": "ドイツ", "france": "フランス", "china": "中国",
    "中華人民共和国": "中国", "taiwan": "台湾", "russia": "ロシア", "australia": "オーストラリア",
}


@dataclass(frozen=True)
class Deal:
    product: str
    destination: str
    end_user: str = ""
    use: str = ""


@dataclass(frozen=True)
class Check:
    key: str                          # "list", "destination", "end_user", "use", "catch_all"
    status: str                       # FLAG / CHECK / INFO / UNKNOWN
    title: str
    detail: str
    citations: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class ScreeningResult:
    deal: Deal
    checks: tuple[Check, ...]
    created_at: str

    @property
    def flags(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.status == FLAG)

    def check(self, key: str) -> Check:
        return next(c for c in self.checks if c.key == key)


@dataclass(frozen=True)
class DestinationRow:
    country: str
    group: str
    group_label: str
    legal_basis: str
    chunk: Chunk


def destination_rows(chunks: Sequence[Chunk]) -> list[DestinationRow]:
    rows = []
    for c in chunks:
        f = dict(c.fields)
        if f.get("country") and f.get("group"):
            rows.append(DestinationRow(f["country"], f["group"], f.get("group_label") or f["group"],
                                       f.get("legal_basis", ""), c))
    return rows


def _country(dest: str) -> str:
    d = normalize(dest)
    return normalize(COUNTRY_ALIASES.get(d, dest))


def find_destination(rows: Sequence[DestinationRow], destination: str) -> list[DestinationRow]:
    want = _country(destination)
    if not want:
        return []
    exact = [r for r in rows if normalize(r.country) == want]
    return exact or [r for r in rows if normalize(r.country) in want or (len(want) >= 2 and want in normalize(r.country))]


def red_flags(deal: Deal) -> list[str]:
    """The red-flag words found in the deal's description (in list order, no repeats)."""
    text = normalize(" ".join((deal.product, deal.destination, deal.end_user, deal.use)))
    found = []
    for word, _ in RED_FLAGS:
        if word in text and word not in found:
            found.append(word)
    return found


class _Citer:
    """Numbers citations across the whole checklist."""

    def __init__(self):
        self.n = 0

    def chunk(self, c: Chunk, whole: bool = False) -> Citation:
        self.n += 1
        return Citation(self.n, c.doc_id, c.chunk_id, c.title, c.locator, c.text, c.url, c.effective_date,
                        c.issuer, c.confirmed, ((0, len(c.text)),) if whole else ())

    def hits(self, hits: Sequence[Hit], k: int = 2, skip: set[str] = frozenset()) -> tuple[Citation, ...]:
        out = []
        for h in hits:
            # only passages that share words with the query: a dense-only match is too loose to cite
            if h.chunk.chunk_id in skip or h.chunk.suspicious or h.bm25_rank is None:
                continue
            out.append(self.chunk(h.chunk))
            if len(out) >= k:
                break
        return tuple(out)


def _list_check(deal: Deal, rows: list[ListRow], retrieve: Retrieve, cite: _Citer, by_id) -> Check:
    if not rows:
        return Check("list", UNKNOWN, "リスト規制（該非判定）",
                     "ナレッジにリスト規制一覧の表がないため、品目との照合はできません。貨物等省令に基づいて該非判定を行ってください。",
                     cite.hits(retrieve(f"該非判定 リスト規制 {deal.product}", 4)))
    matches = match_product(rows, deal.product)
    if matches:
        names = "、".join(r.label for r in matches[:5])
        return Check("list", FLAG, "リスト規制（該非判定）",
                     f"「{deal.product}」はリスト規制の {names} に当たる可能性があります。"
                     "項目名は略称で、対象かどうかは輸出令・貨物等省令の仕様で決まります。仕様を照らして該非判定を行い、"
                     "該当する場合は輸出許可が必要です。",
                     tuple(cite.chunk(by_id[r.chunk_id], whole=True) for r in matches[:3] if r.chunk_id in by_id))
    return Check("list", CHECK, "リスト規制（該非判定）",
                 f"「{deal.product}」はリスト規制一覧の項目名・製品例には見当たりませんでした。"
                 "一覧にない言葉でも仕様によって該当することがあるため、該非判定（パラメータシート等）で確認してください。",
                 cite.hits(retrieve(f"該非判定 {deal.product}", 4)))


def _destination_check(deal: Deal, rows: list[DestinationRow], cite: _Citer) -> Check:
    title = "仕向地の区分"
    if not rows:
        return Check("destination", UNKNOWN, title,
                     f"ナレッジに仕向地区分の表がないため、{deal.destination} のグループは不明です。"
                     "輸出令別表第3・第3の2・第4で確認してください。")
    found = find_destination(rows, deal.destination)
    if not found:
        return Check("destination", UNKNOWN, title,
                     f"{deal.destination} はグループA・国連武器禁輸国・懸念国（グループD）の表に見当たりません。"
                     "グループB・Cは表に国の列挙がないため、国名の表記と区分を経済産業省の資料で確認してください。")
    labels = "、".join(dict.fromkeys(f"{r.group_label}（{r.legal_basis}）" for r in found))
    concern = any(r.group != "A" for r in found)
    if concern:
        detail = (f"{deal.destination} は {labels} に掲げられています。キャッチオール規制の対象で、"
                  "通常兵器・大量破壊兵器の用途や需要者に特に注意が必要です。輸出前に経済産業省へ相談してください。")
    else:
        detail = (f"{deal.destination} は {labels} です。キャッチオール規制の客観要件は適用されませんが"
                  "（インフォーム通知を受けた場合を除く）、リスト規制品はグループA向けでも許可が必要です。")
    return Check("destination", FLAG if concern else INFO, title, detail,
                 tuple(cite.chunk(r.chunk, whole=True) for r in found[:3]))


def screen(deal: Deal, chunks: Sequence[Chunk], retrieve: Retrieve, now: datetime | None = None) -> ScreeningResult:
    """The checklist for one deal.  `chunks` are the index's chunks, `retrieve(query, k)`
    a retriever's method (the passages cited under each check)."""
    deal = Deal(*(" ".join((v or "").split()) for v in (deal.product, deal.destination, deal.end_user, deal.use)))
    if not deal.product or not deal.destination:
        raise BadInputError("品目と仕向地を入力してください（the product and the destination are required）")
    cite = _Citer()
    by_id = {c.chunk_id: c for c in chunks}
    checks = [_list_check(deal, list_rows(chunks), retrieve, cite, by_id),
              _destination_check(deal, destination_rows(chunks), cite)]

    user_hits = retrieve("外国ユーザーリスト 需要者 確認", 4)
    if deal.end_user:
        checks.append(Check("end_user", CHECK, "最終需要者（外国ユーザーリスト）",
                            f"「{deal.end_user}」が経済産業省の外国ユーザーリスト（最新版）に載っていないか確認してください。"
                            "載っている場合は、大量破壊兵器等の開発等に用いられるおそれがないことが明らかな場合を除き、許可申請が必要です。",
                            cite.hits(user_hits)))
    else:
        checks.append(Check("end_user", FLAG, "最終需要者（外国ユーザーリスト）",
                            "最終需要者が分かっていません。最終需要者を確認し、外国ユーザーリストと照合してください。",
                            cite.hits(user_hits)))
    if not deal.use:
        checks.append(Check("use", FLAG, "用途", "用途が分かっていません。用途不明の取引はキャッチオール規制上の注意信号です。用途を確認してください。",
                            cite.hits(retrieve("キャッチオール規制 用途要件 用途 確認", 4))))
    else:
        checks.append(Check("use", INFO, "用途", f"申告された用途: 「{deal.use}」。用途の説明に不自然な点がないか確認してください。"))

    found = red_flags(deal)
    if found:
        reasons = "、".join(dict.fromkeys(dict(RED_FLAGS)[w] for w in found))
        checks.append(Check("catch_all", FLAG, "キャッチオール規制の注意信号",
                            f"注意信号: {reasons}（入力中の「{'」「'.join(found)}」）。用途要件・需要者要件に当たるおそれがあります。"
                            "取引を進める前に内容を確認し、経済産業省（安全保障貿易審査課）へ相談してください。",
                            cite.hits(retrieve("キャッチオール規制 用途要件 需要者要件 " + " ".join(found), 4))))
    else:
        checks.append(Check("catch_all", INFO, "キャッチオール規制の注意信号",
                            "入力の中に注意信号の言葉は見つかりませんでした。言葉の有無だけで判断せず、"
                            "用途・需要者について不自然な点がないか確認してください。",
                            cite.hits(retrieve("キャッチオール規制 用途要件 需要者要件", 4))))
    return ScreeningResult(deal, tuple(checks), (now or datetime.now()).isoformat(timespec="seconds"))


def screen_with(assistant, deal: Deal) -> ScreeningResult:
    """`screen` over an Assistant's live index."""
    retriever = assistant.retriever()
    return screen(deal, retriever.index.chunks, retriever.retrieve)


# -- records ---------------------------------------------------------------------

DISCLAIMER = "本チェックは公開資料に基づく確認の手引きであり、該非や許可の要否を判定するものではありません。最終的な判断は経済産業省にご確認ください。"


def to_markdown(r: ScreeningResult) -> str:
    d = r.deal
    out = ["# 取引審査チェック記録", "", f"作成日時: {r.created_at}", "",
           "| 項目 | 内容 |", "| --- | --- |",
           f"| 品目 | {d.product} |", f"| 仕向地 | {d.destination} |",
           f"| 最終需要者 | {d.end_user or '（未入力）'} |", f"| 用途 | {d.use or '（未入力）'} |", "",
           f"要注意の項目: {len(r.flags)} 件", ""]
    for c in r.checks:
        out += [f"## [{STATUS_LABEL[c.status]}] {c.title}", "", c.detail, ""]
        for cit in c.citations:
            when = f"（{cit.effective_date}）" if cit.effective_date else ""
            out.append(f"- [{cit.n}] {cit.title} — {cit.locator}{when}" + (f" {cit.url}" if cit.url else ""))
        if c.citations:
            out.append("")
    out += ["## 確認者", "", "- 担当者: ", "- 責任者: ", "", "---", DISCLAIMER, ""]
    return "\n".join(out)


def to_csv(r: ScreeningResult) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["created_at", "product", "destination", "end_user", "use", "check", "status", "detail", "sources"])
    d = r.deal
    for c in r.checks:
        srcs = " | ".join(f"[{x.n}] {x.title} {x.locator} {x.effective_date or ''} {x.url or ''}".strip()
                          for x in c.citations)
        w.writerow([r.created_at, d.product, d.destination, d.end_user, d.use, c.title,
                    STATUS_LABEL[c.status], c.detail, srcs])
    return buf.getvalue()
