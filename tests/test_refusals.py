"""Both directions of the scope gate over the shipped pack, on questions worded the way owners,
seminar attendees and foreign staff ask them (long, with incidental details, some in English).
Near-domain questions of other fields (duty rates, stamp duty, customs brokers, imports, quarantine,
packing, collecting payment, visas, overtime …) are refused, and the ones a row of
anpo/data/out_of_scope.tsv covers name that row's desk; in-scope questions full of details about
the asker (dates, people, company history, feelings) are answered."""

from __future__ import annotations

import pytest

# (question, the field the refusal names; "" = refused as not covered, no desk row)
OUT_OF_SCOPE = [
    ("来月ベトナムに工作機械の部品を200個ほど送るんですが、向こうの関税率ってどれくらいかかるんでしょうか？", "関税（税率）"),
    ("社長に言われて調べてるんですが、アメリカ向けのセンサーに追加関税がかかるって本当ですか？税率はいくら？", "関税（税率）"),
    ("この部品をアメリカに送ると関税率は何%？", "関税（税率）"),     # the pack's 関税率表 is another word
    ("アメリカの関税が上がるって聞いたけど、うちの部品にも影響ある？", "関税（税率）"),
    ("初めての輸出で不安なんですが、インボイスに貼る収入印紙はいくら分必要ですか？", "印紙税"),
    ("取引先との売買契約書に印紙税はかかりますか？海外の会社との契約です。", "印紙税"),   # a remark after the ？
    ("タイの客先からFORM Dの原産地証明を出してほしいと言われたんですが、どこで申請するんですか？", "原産地証明・EPA"),
    ("輸出した分の消費税って還付されるって聞いたんですけど、どういう手続きですか？", "消費税（輸出免税など）"),
    ("通関業者を変えようと思っているのですが、良い通関業者の選び方を教えてください", "通関手続"),
    ("輸出の際、通関業者に払う手数料の相場はいくら？", "通関手続"),
    ("Which customs broker should a small company like ours choose for the first export?", "customs clearance"),
    ("中国から原材料を輸入したいんですが、輸入の規制や手続きはどうなっていますか？", "輸入規制・輸入手続"),
    ("アメリカに食品（お菓子）を輸出したいのですが、FDAの登録は必要ですか？", "外国の製品規制"),
    ("EUに機械を輸出するときにCEマーキングは必要ですか？初めての欧州向けで不安です。", "外国の製品規制"),
    ("植物の苗を台湾に送りたいんですが、植物検疫の証明書はどこでもらえますか？", "検疫（植物・動物）・木材梱包の燻蒸"),
    ("Do we need a phytosanitary certificate to ship plant seeds to Australia?", "plant and animal quarantine"),
    ("輸出用の段ボールの梱包の仕方で気をつけることは？木箱の燻蒸は必要？", "輸出梱包"),
    ("ベトナムに工作機械を3台送るんですが、輸出用の梱包方法は？", "輸出梱包"),
    ("インボイス（商業送り状）のひな形がほしいです。どんな項目を書けばいいですか？", "貿易書類の作り方"),
    ("海外の取引先への代金の回収方法、前払いと後払いどっちが安全？", "貿易決済"),
    ("アメリカの取引先から売掛金が回収できません。どうすればいいですか？", "貿易決済"),
    ("中国の取引先との契約で紛争になった場合の裁判管轄はどう決めればいい？", "国際取引の契約・紛争"),
    ("コンテナの船便の予約はどうやって取るの？", "輸送・運賃"),
    ("Can you recommend a good freight forwarder for sending samples to Germany?", "transport and freight costs"),
    ("ベトナムから来た技能実習生の在留資格の更新手続きはどうすればいいですか", "出入国管理"),
    ("タイの子会社の社員の就労ビザはどこで取ればいいの？", "出入国管理"),
    ("Our Filipino engineer's work visa expires in March. How do we extend it?", "immigration and visas"),
    ("外国人の社員を雇うときの在留カードの確認方法を教えて", "出入国管理"),
    ("インドネシア人の社員が残業を月50時間してるんですが、法律的に問題ありますか？", "労働法"),
    ("How much overtime can our factory workers legally do per month?", "labour law"),
    ("海外の展示会で商品名を使う前に、商標登録はしておいたほうがいいですか？", "商標・特許の出願"),
    ("海外子会社に従業員の個人情報を送るとき、本人の同意は要りますか？", "個人情報保護"),
    ("We are shipping 300 pumps to Vietnam next month. What import duty will our customer pay there?", "customs duty"),
    ("My boss asked me to find out how to get a certificate of origin for our shipment to Thailand.", "certificates of origin"),
    ("How do we claim back consumption tax on goods we exported last year?", "consumption tax"),
    ("What documents do we need to import food products into Japan from Korea?", ""),
    ("海上輸送中に貨物が壊れた場合の保険はどうなりますか？", ""),
    ("What is the HS code for a stainless steel valve?", ""),
]


@pytest.mark.parametrize("q,field", OUT_OF_SCOPE, ids=[q[:30] for q, _ in OUT_OF_SCOPE])
def test_a_near_domain_question_is_refused_naming_its_desk(pack, q, field):
    a = pack.ask(q)
    assert not a.grounded, a.answer
    assert not a.citations
    assert field in a.answer, a.answer
