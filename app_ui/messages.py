"""Errors as one sentence in the user's language.

The core raises English sentences (they suit the CLI).  The app never shows them in the
Japanese UI: an error is matched here by its type and, for the few types whose message
carries a reason, by a pattern table (`REASONS`, `BAD_INPUT`); anything unmatched gets
the generic sentence of its type.  Library error names never reach a user."""

from __future__ import annotations

import re

from anpo.errors import (AnpoError, BackendUnavailableError, BadInputError, IndexCorruptError,
                         IndexMissingError, SourceUnreadableError, UnknownBackendError)

# why a file could not be read: (pattern on the core's reason, Japanese, English)
REASONS: list[tuple[str, str, str]] = [
    (r"encrypted PDF", "パスワードで保護された PDF は読み取れません。", "a password-protected PDF cannot be read."),
    (r"no extractable text", "文字を取り出せない PDF です（スキャンした PDF は文字認識が必要です）。",
     "the PDF has no text to extract (a scanned PDF needs OCR first)."),
    (r"not a readable PDF", "PDF として読み取れません（壊れているか、PDF ではありません）。",
     "it is not a readable PDF (damaged, or not a PDF)."),
    (r"unsupported type", "対応していない種類のファイルです（PDF・Markdown・テキスト・HTML のみ）。",
     "this type of file is not supported (PDF, Markdown, text or HTML only)."),
    (r"larger than", "ファイルが大きすぎます（上限 {limit} MB）。", "the file is larger than the {limit} MB limit."),
    (r"is empty|contains no text|has no rows", "読み取れる本文がありません。", "it contains no text that can be indexed."),
    (r"UTF-8|Shift_JIS|EUC-JP", "文字コードを判別できません（UTF-8・Shift_JIS・EUC-JP のテキストにしてください）。",
     "its text encoding is not UTF-8, Shift_JIS or EUC-JP."),
    (r"front-matter|source comment|valid YAML|valid JSON|valid CSV",
     "先頭の設定部分（front matter）の書式が正しくありません。", "its header block is not well formed."),
    (r"symlink|special file|link", "リンクや特殊なファイルは取り込めません。", "links and special files cannot be added."),
    (r"does not exist|not a file|cannot be read", "ファイルを開けません。", "the file cannot be opened."),
]

# the core's bad-input sentences: (pattern, Japanese, English); {field} is the profile field
BAD_INPUT: list[tuple[str, str, str]] = [
    (r"profile field '(?P<field>\w+)' is missing", "会社のプロフィールに「{field}」がありません。入力してください。",
     "The company profile needs “{field}”."),
    (r"profile field '(?P<field>\w+)'", "会社のプロフィールの「{field}」の値が正しくありません。",
     "The company profile's “{field}” has a value that cannot be used."),
    (r"profile .* not valid YAML|YAML mapping|profile .* cannot be read",
     "プロフィールのファイルを読み取れません（YAML の書式を確認してください）。",
     "The profile file cannot be read; check its YAML."),
    (r"question is empty", "質問が空です。輸出管理についての質問を入力してください。", "The question is empty; type a question."),
    (r"question is \d+ characters", "質問が長すぎます。短くしてもう一度お試しください。", "The question is too long; shorten it."),
    (r"品目と仕向地|product and the destination", "品目と仕向地を入力してください。", "Enter the product and the destination."),
    (r"no document with id", "その資料は見つかりません。一覧を更新してください。", "That document no longer exists; refresh the list."),
    (r"shipped knowledge pack", "同梱のナレッジパックの資料は削除できません。", "Documents of the shipped pack cannot be removed."),
    (r"no file given", "ファイルを選んでください。", "Choose at least one file."),
]

FIELDS_JA = {"company": "会社名", "industry": "業種", "employees": "従業者数", "products": "主な製品",
             "exports_to": "主な輸出先", "list_goods": "リスト規制品の扱い", "technology_transfer": "技術提供",
             "foreign_staff": "外国人従業者", "overseas_subsidiaries": "海外子会社", "has_cp": "CP の有無",
             "officer": "輸出管理の責任者"}

BY_TYPE: list[tuple[type, str, str]] = [
    (IndexMissingError, "索引がまだありません。ナレッジ管理で「索引を再構築」を実行してください。",
     "There is no index yet; rebuild it under Knowledge."),
    (IndexCorruptError, "索引が壊れています。ナレッジ管理で「索引を再構築」を実行してください。",
     "The index is damaged; rebuild it under Knowledge."),
    (UnknownBackendError, "設定された回答エンジンが見つかりません。管理者に設定を確認してもらってください。",
     "The configured answering backend does not exist; ask the administrator."),
    (BackendUnavailableError, "回答エンジンに接続できません。管理者に設定を確認してもらうか、時間をおいてお試しください。",
     "The answering backend cannot be reached; ask the administrator or try again later."),
    (BadInputError, "入力内容を確認して、もう一度お試しください。", "Please check what you entered and try again."),
    (AnpoError, "処理を完了できませんでした。もう一度お試しください。解決しない場合は管理者にご連絡ください。",
     "This could not be completed. Please try again; if it persists, contact the administrator."),
]
GENERIC = ("予期しないエラーが発生しました。もう一度お試しください。解決しない場合は管理者にご連絡ください。",
           "Something unexpected went wrong. Please try again; if it persists, contact the administrator.")


def _pick(ja: str, en: str, lang: str) -> str:
    return en if lang == "en" else ja


def file_reason(reason: str, lang: str = "ja", limit_mb: int = 50) -> str:
    """Why a file was refused, in `lang`."""
    for pattern, ja, en in REASONS:
        if re.search(pattern, reason or "", re.IGNORECASE):
            return _pick(ja, en, lang).format(limit=limit_mb)
    return _pick("このファイルは読み取れませんでした。", "the file could not be read.", lang)


def _bad_input(msg: str, lang: str) -> str | None:
    for pattern, ja, en in BAD_INPUT:
        m = re.search(pattern, msg or "", re.IGNORECASE)
        if m:
            field = m.groupdict().get("field") or ""
            return _pick(ja, en, lang).format(field=FIELDS_JA.get(field, field) if lang != "en" else field)
    return None


def user_message(exc: BaseException, lang: str = "ja", limit_mb: int = 50) -> str:
    """One sentence for the person in front of the app; never a class name, and in the
    Japanese UI never the core's English text."""
    if isinstance(exc, SourceUnreadableError):
        return file_reason(exc.reason, lang, limit_mb)
    if isinstance(exc, BadInputError):
        found = _bad_input(str(exc), lang)
        if found:
            return found
    for kind, ja, en in BY_TYPE:
        if isinstance(exc, kind):
            return _pick(ja, en, lang)
    return _pick(*GENERIC, lang)
