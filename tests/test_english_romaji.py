"""Japanese export-control terms typed in Latin letters by foreign staff (data/english.yaml, glossary
`romaji`) reach the pack's own words, however the long vowel is written (gaitou, gaitō, gaitoo, gaito),
and the English names of the bulk licences and of filing ("where do we apply") reach theirs."""

from __future__ import annotations

import pytest

from anpo.analysis import analyse
from retrieval.textnorm import normalize

CASES = {
    "非該当": ["Our engineer rated the sensor 'hi-gaitou'. Can we ship it to Malaysia?",
               "The part came out hi-gaitō in our check; is anything else needed?",
               "Our QA team says it's higaitoo, so no licence, right?"],
    "非該当証明書": ["The buyer asked for a hi-gaitou shoumeisho. Who issues it?",
                 "Do we have to send a higaito shomeisho to METI?",
                 "Is there a fixed form for the hi-gaitō shōmei sho?"],
    "一般包括許可": ["We'd like to apply for ippan hokatsu. Where do we apply?",
                 "Is ippan houkatsu kyoka valid for three years?",
                 "Can we use ippan hōkatsu for Group A countries?"],
    "特別一般包括許可": ["What do we need for tokubetsu ippan hokatsu?",
                   "Is a CP required for a special general bulk licence?",
                   "How long is a tokubetsu ippan houkatsu kyoka valid?"],
    "キャッチオール": ["Does kyatchi-ōru apply to Group A?",
                 "Is our non-listed pump under kyatchi ouru?",
                 "What is kyatchi-ooru in simple words?"],
    "少額特例": ["What is the shougaku tokurei limit?",
             "Can we use shōgaku tokurei for Iran?",
             "Does shogaku tokurei cover catch-all?"],
    "申請": ["We'd like a bulk licence. Where do we apply, and how long does it take?",
           "How should we apply, on paper or through NACCS?",
           "Could you tell me where to apply for it?"],
}


@pytest.mark.parametrize("ja,q", [(ja, q) for ja, qs in CASES.items() for q in qs])
def test_romaji_and_english_names_reach_the_packs_word(ja, q):
    assert normalize(ja) in normalize(analyse(q).topic)


@pytest.mark.parametrize("q", ["Which rules apply when we hand-carry a sample?", "Does catch-all apply to Group A?",
                               "Does the small-value exemption apply even for Iran?"])
def test_a_rule_that_applies_is_still_applied_not_filed(q):
    topic = normalize(analyse(q).topic)
    assert "適用" in topic and "申請" not in topic


@pytest.mark.parametrize("q", ["Our pump was judged non-applicable. Is catch-all still a concern?",
                               "The supplier rated the module non-applicable; can we skip the end-user check?",
                               "If a product is nonapplicable, does it need any licence?"])
def test_non_applicable_goods_are_not_listed_goods(q):
    assert "非該当" in normalize(analyse(q).topic)
