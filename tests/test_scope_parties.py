"""The party abroad that goods are sent or sold to is told, not asked (anpo/grounding.py `_parties_abroad`):
「ベトナムの造船所にエンジン部品を出す」「インドの製薬会社にポンプを送る」 weighed the customer's trade (造船所, 製薬会社)
as an unknown topic word (8) and sank deal questions to a refusal.  Between a named country's の and a sending
verb (data/intents.yaml actions 送る, 出す, 納品) or an order (注文, 引き合い), in a question about goods, the word
now weighs like a party named by the asker's own word.  Services asked of a party abroad (a lawyer, a bank,
an accountant, an insurer) are no goods sent and stay refused.

The questions were written for this test in owners' words (none is copied from an eval set)."""

from __future__ import annotations

import pytest

from anpo import grounding
from scope_checks import assert_carried_by, assert_refused

CARRIED = [
    "船のエンジン部品を作ってる会社です。ベトナムの造船所に出すとき、何から確認すれば？",
    "インドの製薬会社にポンプを送るんですが、何に気をつければいい？",
    "マレーシアの養殖場に水中ポンプを納品するとき、確認することは？",
    "タイの縫製工場から部品の注文が来た。何を確かめる？",
]


@pytest.mark.parametrize("q", CARRIED)
def test_the_party_goods_go_to_weighs_little(pack, monkeypatch, q):
    assert_carried_by(pack, monkeypatch, q, grounding, "_parties_abroad", lambda _a: set())


@pytest.mark.parametrize("q", [
    "アメリカの弁護士に契約書のチェックを依頼するといくらかかる？",
    "タイの物流会社に配送を依頼するときの運賃相場は？",
    "中国の会計事務所に決算を依頼したい。注意点は？",
    "ドイツの保険会社に見積もりを依頼したい",
    "シンガポールの銀行に送る書類の書き方は？",
])
def test_a_service_asked_abroad_stays_refused(pack, q):
    assert_refused(pack, q)
