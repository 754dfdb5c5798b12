"""Both directions of the scope gate over the shipped pack, on questions worded the way owners,
seminar attendees and foreign staff ask them (long, with incidental details, some in English).
Near-domain questions of other fields (duty rates, stamp duty, customs brokers, imports, quarantine,
packing, collecting payment, visas, overtime …) are refused, and the ones a row of
anpo/data/out_of_scope.tsv covers name that row's desk; in-scope questions full of details about
the asker (dates, people, company history, feelings) are answered."""

from __future__ import annotations

import pytest
from scope_checks import assert_answered, assert_carried_by, assert_refused

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
    ("What is the HS code for a stainless steel valve?", "customs tariff classification"),
    ("アメリカのITARの対象になる部品を日本から再輸出するとき、向こうの許可はどうすればいい？", "外国の輸出管理制度"),
    ("韓国の戦略物資輸出入告示で、うちの製品は何に当たりますか？", "外国の輸出管理制度"),
    ("シンガポールの戦略物資規制法で必要な許可は？", "外国の輸出管理制度"),
    ("Do we need a UK export licence to ship from our London office to India?", "other countries' export control systems"),
    ("骨董品の掛け軸を海外のオークションに出したい。文化財の輸出規制は？", ""),
    ("日本酒を中国に輸出したいのですが、酒類の輸出免許はいりますか？", "酒類の輸出手続"),
    ("医薬品を海外の知人に送るのは薬機法で問題ありますか？", ""),
    ("中古車をロシア以外の国に輸出するとき、抹消登録の手続きは？", "自動車の輸出手続（登録）"),
    ("廃プラスチックをマレーシアに輸出したい。バーゼル条約の手続きは？", ""),
    ("EUのCBAM（炭素国境調整措置）の報告は何をすればいい？", ""),
    ("ドイツのサプライチェーン法で取引先から人権デューデリの質問票が来ました。どう答えればいい？", ""),
    ("Hi, I just started in the export team last month and my manager asked me what the import duty on our valves will be in Mexico. Where can I find it?", "customs duty rates"),
    ("We're a 30-person company in Osaka. How do we get our products certified for the Korean KC mark?", ""),
    ("My Indonesian colleague's visa is about to expire and he's worried. Who should he contact?", "immigration and visas"),
    ("We export to Thailand a lot and want to reduce costs. Which Incoterm is cheapest for us?", "trade terms (Incoterms)"),
    ("Our accountant says we can get the consumption tax back on exported goods. How long does the refund take?", "consumption tax (export exemption etc.)"),
    ("Can you explain how the Japan-EU EPA certificate of origin self-certification works? My boss wants a memo by Friday.", "certificates of origin and EPAs"),
    ("I'm new here. What is the typical profit margin for exporters of machine parts?", "pricing and profitability"),
    ("We'd like to hire an intern from Vietnam next spring. How much should we pay him per hour?", ""),
    ("Our German customer complained about a late delivery and wants compensation. Do we have to pay?", ""),
    ("How do we protect our design from being copied by a Chinese competitor?", ""),
    ("We're thinking of moving production to Vietnam. What are the labour costs there?", ""),
    ("Is there a good freight insurance provider for shipments to Africa?", ""),
    ("What's the best shipping route from Nagoya to Rotterdam?", ""),
    ("Our sales rep wants to take a client golfing in Thailand. Is that allowed under our compliance rules?", "bribery and hospitality (including bribery of foreign public officials)"),
    ("My company wants to register a trademark in the US before the trade show in Las Vegas. How long does it take?", "trademark and patent applications"),
    ("貿易実務検定って受けたほうがいい？輸出担当になったので。", ""),
    ("輸出先の国の祝日を知りたい。来月ベトナムに出荷するので。", ""),
    ("海外の取引先との英語のメールの書き方のコツは？", ""),
    ("輸出書類を保管する倉庫を借りたいのですが、どこがいい？", ""),
    ("展示会で知り合った中国の会社の信用度を調べる方法は？", "取引先の与信・信用調査"),
    ("輸出が増えて人手が足りません。派遣社員を入れてもいい？", "人事・採用"),
    ("海外のお客さんに製品を説明する動画を作りたい。どうすればいい？", "海外販路開拓・販売促進"),
    ("タイの取引先の担当者が日本に来ます。おすすめの観光地は？", ""),
    ("What is the best way to learn Japanese for foreign staff?", "Japanese-language training for foreign staff"),
    ("We need a quote for shipping a container to Brazil. Who can give us one?", "transport and freight costs"),
    ("How do we open a bank account in Thailand for our subsidiary?", "trade settlement"),
    ("Our Vietnamese trainee wants to bring his family to Japan. What is the procedure?", "immigration and visas"),
    ("What is the exchange rate for baht today?", "foreign exchange rates"),
    ("海外子会社の決算はどうやって連結すればいい？", ""),
    ("輸出で儲かった分の税金はどう計算する？", ""),
    ("中国の取引先から食事に誘われましたが、接待を受けてもいい？コンプライアンスが心配です。", "贈収賄・接待（外国公務員贈賄の防止など）"),
    ("外国人社員の宗教に配慮して社食のメニューを変えるべき？", ""),
    ("ベトナムにポンプを10台出すんですが、船で何日かかる？", "輸送・運賃"),           # told deals, asked beside them
    ("We ship sensors to Germany next month. How long does sea freight take?", "transport and freight costs"),
    ("炭素繊維をフランスに送る予定。パレットのサイズの決まりは？", "輸出梱包"),
    ("シンガポールの展示会にロボットを出展したい。ブースの申し込みはどうする？", "海外販路開拓・販売促進"),
    ("台湾の会社にモーターを売りたいので、英語の会社案内を作りたい。何を書けばいい？", "海外販路開拓・販売促進"),
    ("アメリカにドローンを売りたい。現地の販売代理店はどう探す？", "海外販路開拓・販売促進"),
    ("We want to sell pumps to Thailand. How do we find a local distributor?", "finding customers abroad"),
    ("うちは従業員40人の金属加工の会社で、来年からタイに工場を作る予定です。タイで会社を作るときの手続きはどうなっていますか？", "会社の設立・登記"),
    ("アメリカの客先から、製品の保証期間を3年にしてほしいと言われました。普通は何年にするものですか？", "製造物責任（PL）"),
    ("海外の展示会に出展する費用を補助してもらえる制度はありますか？社長が調べておけと。", "補助金・助成金"),
    ("中国向けの輸出で、相手先の与信調査はどこに頼めばいい？初めての取引で不安です。", ""),
    ("We are thinking about opening a sales office in Singapore next year. What are the tax rules there?", ""),
    ("How much is the corporate income tax in Vietnam for a small subsidiary?", "taxation"),
    ("We received a claim from a German customer about defective parts. How should we respond legally?", ""),
    ("ドイツの客先から英語の契約書が送られてきました。翻訳はどこに頼めばいいですか？", ""),
    ("海外出張の日当の相場ってどれくらい？", ""),
    ("香港の取引先に送る見積書の有効期限は何日にするのが一般的ですか？", ""),
    ("ベトナム人社員の日本語研修にかかる費用は経費で落とせますか？", ""),
    ("社長に言われて調べているのですが、海外の代理店との独占販売契約で気をつけることは？", ""),
    ("輸出した製品が現地でリコールになったら、どう対応すればいい？", "製造物責任（PL）"),
    ("韓国の会社と共同開発した特許の持ち分はどう決める？", ""),
    ("インドの客先への請求書は円建てとドル建てどっちがいい？", ""),
    ("タイの子会社に出向する社員の健康診断は必要ですか？", ""),
    ("What is the statute of limitations for unpaid invoices in China?", "trade settlement"),
    ("中国の工場の従業員が辞めてしまいます。引き留める方法は？", "人事・採用"),
    ("展示会で配るノベルティは何がいい？海外のお客さん向けです。", "海外販路開拓・販売促進"),
    ("海外向けのホームページを作りたいのですが、どこに頼めばいいですか？", "海外販路開拓・販売促進"),
    ("アメリカの展示会のブース代はいくらくらい？", "海外販路開拓・販売促進"),
    ("上司との関係が不安です。相談できる窓口は？", "職場の人間関係・ハラスメント"),     # asides around an uncovered topic
    ("職場の人間関係で悩んでいます。どこに相談すればいい？", "職場の人間関係・ハラスメント"),
    ("Which tax rate applies when we export machines to Thailand?", "customs duty rates"),
    ("タイに機械を輸出すると税率はどれくらい？", "関税（税率）"),
    ("海外で電圧の違いで使えないことある？", "電気製品の安全規格（電圧・プラグ・PSE）"),
    ("プラグの形は国によって違う？", "電気製品の安全規格（電圧・プラグ・PSE）"),
    ("Does our machine need a different plug type for the UK?", "electrical product standards"),
    ("海外出張の航空券を安く取る方法は？", "出張・旅行の手配（航空券・宿泊・旅券）"),
    ("Can you recommend a hotel near the Hannover trade fair?", "travel arrangements"),
    ("How do we translate our catalogue into Spanish?", "translation and interpreting"),
    ("ハラール認証はどこで取る？", "食品・農林水産物の輸出証明（衛生証明・ハラール等）"),
    ("外国人社員の住民税はどうなる？", "地方税（住民税など）"),
    ("輸出管理の担当者に資格手当を出すべき？", "労働・賃金"),
    # known words around an unknown one (外国人社員, 子会社, 取引先) outweighed it: answered with a stray sentence
    ("外国人社員のための社宅を探しています。どこに相談すればいい？", "人事・採用"),
    ("外国人社員の年末調整はどうやる？", "会計・監査"),
    ("海外子会社の監査法人はどう選ぶ？", "会計・監査"),
    ("アメリカの子会社の401kの手続きは？", "労働・社会保険"),
    ("国際郵便のEMSで送れる重さの上限は？", "輸送・運賃"),
    ("海外の取引先から届いたメールがウイルスかもしれません。どうすればいい？", "情報セキュリティ（ウイルス・サイバー攻撃）"),
    ("中国の取引先にお中元を送るのはマナー違反？", ""),
    ("海外の取引先に年賀状を送るべき？", ""),
    ("How much does it cost to rent an office in Bangkok?", "finding office space abroad"),
    ("Which insurance covers our exhibition booth against theft?", "cargo insurance"),
    ("How do we set up a Shopify store for overseas customers?", "finding customers abroad"),
    ("Will our 100V equipment work with 220V in Thailand?", "electrical product standards"),
    ("Our factory needs a new boiler. Which brand is good?", ""),
    ("Which courier is cheapest for sending documents to Germany?", "transport and freight costs"),
    ("Can you recommend a good accountant for our Vietnam subsidiary?", "accounting and audits"),
    ("What vaccines do I need before a business trip to India?", "travel health"),
    ("How do we register our company for e-invoicing in Thailand?", "invoice system"),
    ("What documents does the bank need for a letter of guarantee?", "trade settlement"),
    ("How do we write a product catalogue that sells well in Europe?", "finding customers abroad"),
    ("Do our employees need a driving licence to drive in Thailand?", "driving licences"),
    ("How should we price spare parts for after-sales service abroad?", "pricing and profitability"),
    ("海外の客先からのクレーム対応はどうすればいい？", "国際取引の契約・紛争"),
    ("輸出品のバーコードはどうやって取る？", "商品コード（JAN・バーコード）"),
    ("海外の展示会で商品を売ったお金を持ち帰るとき、申告は要る？", "現金等の携帯輸出入の届出（支払手段）"),   # answered at threshold 0.38
    ("Do we need a cash declaration when leaving Japan with sales money?", "declaring cash"),
]


@pytest.mark.parametrize("q,field", OUT_OF_SCOPE, ids=[q[:30] for q, _ in OUT_OF_SCOPE])
def test_a_near_domain_question_is_refused_naming_its_desk(pack, q, field):
    assert_refused(pack, q, field)


# -- in scope: details about the asker never make a question "not covered" ---------------------

from anpo import grounding  # noqa: E402

ASIDE_EXAMPLES = [(r.name, q) for r in grounding.asides() for q in r.examples]


def test_every_aside_row_serves_three_questions():
    for r in grounding.asides():
        assert len(set(r.examples)) >= 3, r.name


@pytest.mark.parametrize("name,q", ASIDE_EXAMPLES, ids=[f"{n}:{q[:24]}" for n, q in ASIDE_EXAMPLES])
def test_an_aside_weighs_little_and_the_question_is_answered(pack, monkeypatch, name, q):
    # the row is what carries it: without it the aside outweighs the subject and the question is refused
    assert_carried_by(pack, monkeypatch, q, grounding, "asides", lambda: tuple(r for r in ASIDES_ALL if r.name != name))


ASIDES_ALL = grounding.asides()


@pytest.mark.parametrize("q", [
    "家族の介護で休みたいのですが、どうすればいいですか？",
    "創業50年の記念品は何がいい？",
    "妻の実家に帰省するときのお土産は何がいい？",
    "部下のやる気がなくて心配です。どう接すればいい？",
    "父の会社を継ぐことになりました。事業承継の手続きは？",
    "My boss is worried about his health. What should he do?",
])
def test_a_question_made_of_asides_stays_refused(pack, q):
    assert_refused(pack, q)


IN_SCOPE = [
    "来月、創業40年で初めてタイの会社にポンプを10台輸出します。該非判定って誰がやるものなんでしょうか？",
    "うちは従業員30人の町工場で、先代の頃から国内向けばかりでした。今回ベトナムの商社から引き合いが来たんですが、キャッチオール規制って気にしたほうがいい？",
    "去年入ったベトナム人の技術者（日本に住んで2年）に設計図を見せるのは、みなし輸出になりますか？",
    "先週展示会でドイツのお客さんにサンプルを手渡しで渡しちゃったんですが、これも輸出になるんでしょうか？すごく心配です。",
    "取引先の部長さんから「非該当証明書を出して」と言われたのですが、どういう書類を作ればいいんですか？",
    "3月に中国の大学と共同研究を始める予定で、実験データをメールで送ることになりそうです。許可は必要ですか？",
    "今年の4月に輸出管理の担当になったばかりで、前任者も退職していて誰にも聞けません。包括許可って何ですか？",
    "海外子会社（タイ、従業員200人）に技術資料を送るのにも許可がいるって本当ですか？",
    "展示会が2週間後に迫っていて焦っています。シンガポールに持っていく測定器のデモ機は許可がいる？",
    "私は経理担当なんですが、急に輸出管理も見ることになりました。外為法違反の罰則ってどのくらい重いんですか？",
    "知り合いの社長から、イランの会社に工作機械を売れないかと相談されました。どう答えればいいでしょう？",
    "We are a family-run company of 25 people and my father asked me to handle exports. What is a catch-all control?",
    "Our sales manager got an email from a new customer in Pakistan asking for 5 CNC machines. Is there anything we need to check?",
    "My boss is worried because we shipped sensors to Hong Kong last year without checking anything. What should we do now?",
    "Sorry, I'm new. What is the difference between list control and catch-all control?",
    "去年から輸出を始めたばかりの小さな商社です。輸出許可の申請はどこに出せばいいですか？",
    "営業の田中が、ロシアの会社に半導体を売りたいと言っています。今は大丈夫なんでしょうか？",
    "初めての海外出張で、ノートパソコンに技術資料を入れて持っていきます。何か手続きは要りますか？",
    "うちのベテラン社員が退職して中国の会社に転職するそうです。ノウハウを持ち出されるのは規制されますか？",
    "該非判定書の保存期間って何年でしたっけ？監査で聞かれて焦っています。",
    "外国人の留学生をインターンで受け入れることになりました。会社として気をつけることはありますか？",
    "輸出管理の社内規程（CP）を作るように親会社から言われました。何を書けばいいですか？",
    "中国の取引先に修理のために部品を送り返すだけでも、許可は必要ですか？",
    "課長に頼まれたんですが、うちの部下がタイにサンプルを送ったのは問題ある？",
    "上司と同僚が海外出張で技術資料を持っていきます。許可は要りますか？",
    "先輩から引き継いだ仕事です。該非判定書の作り方を知りたい。",
    "友人が経営するタイの会社に中古の工作機械を売りたいのですが、何を確認すればいい？",
    "二代目社長です。先代の頃から海外に部品を出していますが、該非判定は今からでも必要？",
    "設立3年の会社で、初めて海外の展示会に出ます。持っていくサンプルに許可はいる？",
    "創業70年の町工場で、これまで一度も輸出したことがありません。輸出管理で最初にやることは？",
    "上司が不安がっています。輸出許可が要るのはどんな場合？",
    "関税法で書類は何年保存？",                                     # 関税法 is the pack's word, 関税 is not
    "ロシア向けの禁止品目は関税率表の番号で決まるの？",
    "通関の時、税関に関税を払うけど、輸出許可証も見せるの？",
    "来週の月曜に社長と一緒にタイの取引先を訪問するのですが、新製品の図面を見せながら説明しても大丈夫でしょうか？",
    "私の前の担当者が作った該非判定書が5年前のものなのですが、今もそのまま使えますか？",
    "実は昨日、取引先から急ぎで頼まれて、マレーシアに試作品の基板を送ってしまいました。まずかったでしょうか。",
    "入社3年目の営業です。韓国の代理店から「非該当証明書をください」と言われたのですが、誰が書くものなんでしょう？",
    "私たちは従業員12人の小さな会社で、専任の担当者を置く余裕がありません。それでも輸出管理の体制は必要ですか？",
    "うちの工場長がベトナム人の実習生にCNCの操作を教えているんですが、これって技術提供になりますか？",
    "金曜までに客先に回答しないといけなくて焦っています。インドネシア向けのポンプは許可がいりますか？",
    "先日の説明会で「明らかガイドライン」という言葉を聞いたのですが、どういう意味ですか？",
    "主人が経営する小さな貿易会社を手伝っています。中国の会社から半導体の検査装置の注文が来たのですが、注意することは？",
    "去年の監査で指摘されたのですが、取引審査の記録はどのくらい保存すればいいですか？",
    "大学時代の友人がUAEで商社をやっていて、うちの測定器を買いたいと言っています。何を確認すればいい？",
    "新しく入ったフランス人の社員が来月帰省するときに、社内資料をパソコンに入れて持って帰りたいと言っています。大丈夫でしょうか？",
    "We've been exporting to Taiwan for 20 years without any problem. Do we really need to check the End User List every time?",
    "My father started this company in 1985. Now I run it and want to know: what is a bulk licence and can small firms get one?",
    "フィラメントワインディング装置を韓国に売りたい。許可は？",      # ワイン is not the drinks row
    "日本酒をロシアに送ってもいい？",                                 # the luxury-goods ban is ours
    "ペットボトルのリサイクル装置を中国に輸出したい",
    "Hi, I joined the export team last month and I'm a bit nervous. What does catch-all control mean?",
    "My boss asked me to check: do we need a licence to send a sample sensor to a trade fair in Singapore next month?",
    "We're a 30-person company and have never exported before. What should we check before our first shipment to Vietnam?",
    "Our new Indian engineer has lived in Japan for three months. Can we show him controlled design drawings?",
    "I'm worried because we already shipped some parts to Hong Kong without checking. What should we do now?",
    "My manager says Korea is in Group A now. Is that right?",
    "We make carbon fibre tubes in a small factory. Are they on the control list?",
    "A customer in Dubai wants 10 machine tools but won't tell us who the end user is. Can we go ahead?",
    "Our company is 50 years old but we never wrote an internal compliance program. Do we need one?",
    "Sorry for the basic question: who decides whether our product is controlled, us or METI?",
    # in-scope twins of the rows above: the pack's own word (高電圧用コンデンサ) or the export-control act
    # told beside the neighbouring word (the technology shown through an interpreter, the laptop in a hotel)
    "高電圧用コンデンサは輸出規制の対象？",
    "Is a high-voltage capacitor on the control list?",
    "通訳を通して外国人の研修生に技術を教えるのはみなし輸出？",
    "出張先のホテルでノートパソコンの技術資料を見るのは輸出になる？",
    "Can I take my laptop with design data to the hotel on a business trip to China?",
    "関税率表の番号で決まる禁止品目は？",
    "社宅に住む外国人研修生に図面を見せるのはみなし輸出？",          # 社宅 beside a deemed export
    "ウイルス対策ソフトを海外に輸出するのに許可はいる？",            # software exported, not a virus asked about
    "サイバー攻撃で技術が流出したら外為法違反？",
    "海外向けのネットショップで部品を売るのも輸出になる？",          # the online shop is the setting of an export
    "Does selling parts through our online store to foreign buyers count as an export?",
    "バーコードリーダーを中国に輸出するのに許可はいる？",                # the goods are a barcode reader
    "バーコードリーダーってリスト規制に載ってる？",
    "カタログに載っている技術は公知の技術？",                          # the catalogue is the pack's 公知
    "客先からのクレームで不良品を送り返すのも輸出？",                  # a complaint told beside a return
    # 派遣社員 (an HR word) beside design data or a licence: the question is a deemed export
    "派遣社員に設計図を渡すときも許可の確認がいる？",
    "派遣社員が設計データを家に持ち帰るのは輸出管理上まずい？",
    "Do we need a licence before temporary staff from abroad see our design files?",
    "輸出の仕事に就きたいのですが、どんな資格を取ればいいですか？",     # the pack now has CISTEC's STC exam
]


@pytest.mark.parametrize("q", IN_SCOPE, ids=[q[:30] for q in IN_SCOPE])
def test_a_long_in_scope_question_with_incidental_details_is_answered(pack, q):
    assert_answered(pack, q)


# -- a told deal is not a licence to answer anything asked beside it ---------------------------

@pytest.mark.parametrize("q", [
    "中国にセンサーを売りたい。値段はいくらにすればいい？",
    "ドイツに測定器を送るんですが、送り状の宛名の書き方は？",
    "インドにバルブを輸出したい。現地で売れる値段の相場は？",
    "メキシコの工場向けに金型を輸出します。金型の寿命ってどれくらい？",
])
def test_a_question_asked_beside_a_told_deal_is_refused_not_checklisted(pack, q):
    # the deal is the setting; the asked piece (price, address label, market price, tool life)
    # is a word the pack never uses and is not covered: no screening checklist
    assert_refused(pack, q)


@pytest.mark.parametrize("q", [
    "ドイツに測定器を送るんですが、該非判定はどうすれば？",
    "中国にセンサーを売りたい。キャッチオールの確認は何をすればいい？",
    "インドにバルブを輸出したい。相手の用途はどう確かめる？",
    "ドバイのバイヤーが旋盤をまとめ買いしたいと。転売先は教えてくれない。",
    "メキシコの工場向けに金型を輸出します。必要な書類は何？",
    "ベトナムの会社にポンプを出したい。許可申請はどこに出す？",
])
def test_a_question_about_the_told_deal_still_gets_its_answer(pack, q):
    assert_answered(pack, q)


@pytest.mark.parametrize("q,piece", [
    ("中国にセンサーを売りたい。値段はいくらにすればいい？", "値段はいくらにすればいい"),
    ("ドイツに測定器を送るんですが、送り状の宛名の書き方は？", "送り状の宛名の書き方は"),
    ("印紙税はかかりますか？海外の会社との契約です。", ""),
    ("該非判定って何？", ""),
])
def test_the_asked_piece(q, piece):
    from anpo.scope import asked_piece
    from retrieval.textnorm import normalize
    assert asked_piece(normalize(q)) == normalize(piece)


# -- the reason a premise gives is told, not asked ----------------------------------------------

@pytest.mark.parametrize("q", [
    "消耗品だから該非判定はいらないですよね？",
    "見本品なので該非判定は不要ですよね？",
    "在庫品だから該非判定はいらないですよね？",      # (試作品 now reaches サンプル: retrieval/data/synonyms.tsv)
    "趣味で使う物なので輸出許可はいらないですよね？",
])
def test_a_premise_reason_weighs_like_the_situation(pack, monkeypatch, q):
    # 「消耗品だから」 gives the reason; what is asked is whether 該非判定 is needed
    assert_carried_by(pack, monkeypatch, q, grounding, "_reason_words", lambda *args: [])


# -- English: what is told before the asking sentence is the situation ---------------------------

@pytest.mark.parametrize("q", [
    "Hi, I joined the export team last month and I'm a bit nervous. What does catch-all control mean?",
    "I joined the sales department in April. What is a deemed export?",
    "We're a small family business making valves and we've only ever sold in Japan. A distributor in Malaysia contacted us last week. What should we check first?",
])
def test_english_words_told_before_the_asking_sentence_weigh_like_the_situation(pack, monkeypatch, q):
    # 'joined', 'team', 'department', 'April', 'valves', 'sold' tell who asks and why; what is asked
    # is the last sentence (grounding._told_before_english_ask)
    assert_carried_by(pack, monkeypatch, q, grounding, "_told_before_english_ask", lambda *args: "")
