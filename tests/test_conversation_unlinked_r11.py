"""Round 11: a turn pointing at a matter told in another conversation (「先ほどの案件の補足です。」,
"Following up on what we talked about yesterday.") leaves nothing to point at, and a follow-up
pointing back at it (「その前提で…」, "are we good to send it out this week?") says it cannot
tell what is meant instead of answering a question nobody asked (`unmentioned`, `it` rows)."""

import pytest

from dialogue_checks import read


@pytest.mark.parametrize("turns", [
    ["先ほどの案件の補足です。", "その前提で、許可は必要になりますか。"],
    ["先程の件ですが、先方から追加の情報が来ました。", "その前提だと、届出はいる？"],
    ["さっきの案件、上司がOKって言ってます", "じゃあその前提で進めていい？"],
    ["Following up on what we talked about yesterday.", "Right, so are we good to send it out this week?"],
    ["Just circling back on what we discussed last week.", "Can we ship it now?"],
    ["About what I mentioned on the phone: the customer confirmed.", "So is it OK to export them next month?"],
    ["先日の件の補足です。", "この条件だと許可は要りますか。"],
    ["Following up on the matter from our call yesterday.", "So can we ship it this week?"],
])
def test_a_follow_up_to_a_matter_told_elsewhere_is_unlinked(tables, turns):
    assert read(turns, tables).kind == "unlinked"


@pytest.mark.parametrize("turns", [
    ["ベトナムの工場に真空ポンプを出したい", "その前提で、許可は必要になりますか。"],
    ["We sell a vacuum pump to a lab in Vietnam.", "Right, so are we good to send it out this week?"],
    ["We make a sensor and want to ship it to Korea.", "Do we need a licence?"],
    ["中国に工作機械を出したい", "この条件だと許可は要りますか。"],
])
def test_with_a_deal_told_the_same_words_follow_it(tables, turns):
    assert read(turns, tables).kind != "unlinked"
