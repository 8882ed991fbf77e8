"""Extraction scope on real unseen text (issue 13): work-conference task lists, frames, vocabulary, news of issued documents."""

from __future__ import annotations

import datetime as dt

import pytest

from policy_tracker.extraction.extract import extract_all
from policy_tracker.models import Document


def doc(text: str, held: dt.date | None = dt.date(2024, 7, 19)) -> Document:
    return Document(id="t", text=text, held=held, kind="press_conference", briefing_id="b")


def quotes(text: str, held: dt.date | None = dt.date(2024, 7, 19)) -> list[str]:
    return [m.text for m in extract_all(doc(text, held))[0]]


def evidence(text: str, held: dt.date | None = dt.date(2024, 7, 19)) -> list[str]:
    return [e.text for e in extract_all(doc(text, held))[1]]


def test_jiu_shi_yao_is_an_exhortation_not_a_copula() -> None:
    """"X，就是要补短板、锻长板" states the plan: the clause is kept (not dropped as a copula) without 就是要."""
    got = quotes("部长说，筑牢根基，就是要补短板、锻长板、抢先机，着力稳定制造业比重。")
    assert "补短板、锻长板、抢先机" in got and "着力稳定制造业比重" in got


@pytest.mark.parametrize(
    ("text", "pledge"),
    [
        ("下一步，要围绕重点产业链，找准关键技术薄弱环节。", "围绕重点产业链，找准关键技术薄弱环节"),
        ("下一步，重点是集中力量解决芯片短缺问题。", "重点是集中力量解决芯片短缺问题"),
        ("下一步，将继续维持纺织行业稳健发展。", "继续维持纺织行业稳健发展"),
        ("下一步，将严格电池生产准入管理。", "严格电池生产准入管理"),
        ("下一步，将一手抓技术供给，一手抓赋能应用。", "一手抓技术供给"),
        ("下一步，工信部将把稳增长放在更加突出的位置。", "把稳增长放在更加突出的位置"),
    ],
)
def test_action_vocabulary_of_real_reports(text: str, pledge: str) -> None:
    """找准, 解决, 维持, 严格, 一手抓 and 把X放在/摆在…位置 are actions in forward context."""
    assert pledge in quotes(text)


def test_meeting_requirements_are_a_task_list() -> None:
    """"会议还提出，强化…监管，抓好…。加大…。": the meeting's requirements are pledges even without 将/要."""
    got = quotes("会议还提出，强化电信行业监管，抓好骚扰电话综合整治等重点工作。加大无线电管理力度。", held=dt.date(2019, 12, 23))
    assert got == ["强化电信行业监管", "抓好骚扰电话综合整治等重点工作", "加大无线电管理力度"]


def test_meeting_review_is_not_a_task_list() -> None:
    """"会议指出，…" reviews: no cue of its own, and a 会议提出 clause with 了 reports the past."""
    assert quotes("会议指出，推进制造业数字化转型。") == []
    assert quotes("会议提出了推进制造业数字化转型的思路，取得积极成效。") == []


def test_first_task_is_a_cue() -> None:
    """"首要任务是全力促进工业经济平稳增长" names a task: a pledge."""
    assert quotes("据工信部消息，首要任务是全力促进工业经济平稳增长。", held=dt.date(2023, 1, 11)) == ["首要任务是全力促进工业经济平稳增长"]


def test_past_marker_in_a_speech_frame_dates_the_speaking() -> None:
    """"部长近日受访时说，工信部未来重点就是加强…": 近日 dates the interview; what he said stays a pledge."""
    got = quotes("部长近日受访时说，工信部未来重点就是加强前瞻性研究。第二个是支持地方先行先试。")
    assert any("加强前瞻性研究" in q for q in got) and "第二个是支持地方先行先试" in got


def test_period_after_an_action_is_its_aim() -> None:
    """"全力以赴实现一季度平稳接续" aims at the first quarter; "一季度，…增长5%" still reports it."""
    assert "全力以赴实现一季度平稳接续" in quotes("下一步，要打好稳增长组合拳，全力以赴实现一季度平稳接续。", held=dt.date(2022, 1, 20))
    assert quotes("下一步，将加快数字化转型。一季度，规模以上工业增加值增长5%。") == ["加快数字化转型"]


def test_news_of_an_issued_document_is_evidence() -> None:
    """"工信部发布《…方案》，要求到2028年，…超过450家": the issue is news, the dated target a pledge; 将发布《…》 a pledge."""
    text = "下一步，要加快平台建设。\n此外，工信部发布《工业互联网平台行动方案》，要求到2028年，具有影响力的工业互联网平台超过450家。"
    got = quotes(text, held=dt.date(2026, 1, 13))
    assert "要求到2028年，具有影响力的工业互联网平台超过450家" in got
    assert not any("发布" in q for q in got)
    assert "工信部发布《工业互联网平台行动方案》" in evidence(text, held=dt.date(2026, 1, 13))
    assert quotes("下一步，工信部将发布《工业互联网平台行动方案》。") == ["发布《工业互联网平台行动方案》"]


def test_progress_report_ends_the_forward_context() -> None:
    """A paragraph opening "今年…取得扎实进展。" reports progress: its actions after it are not pledges."""
    text = "会议要求，2020年，将优化网络供给质量。\n会议称，今年网络强国建设取得扎实进展。正式启动5G商用，全国开通5G基站12.6万个。"
    assert quotes(text, held=dt.date(2019, 12, 23)) == ["优化网络供给质量"]


def test_photo_caption_with_credit_is_not_a_pledge() -> None:
    """"新闻发布会现场 图据视觉中国" is a caption: transparent, not a headline mention."""
    text = "下一步，将加快6G技术研究。\n新闻发布会现场 图据视觉中国\n一是加快5G规模化应用。"
    assert quotes(text) == ["加快6G技术研究", "加快5G规模化应用"]


def test_zhuli_opening_a_sentence_is_its_action() -> None:
    """"同时，助力…办好…活动" opens a sentence: a pledge; "…，助力…" after an action stays a purpose tail."""
    got = quotes("下一步，将支持工业大省勇挑大梁。同时，助力东北省份办好产业转移对接活动，促进区域协调发展。")
    assert "助力东北省份办好产业转移对接活动" in got
    assert quotes("下一步，将支持工业大省勇挑大梁，助力区域协调发展。") == ["支持工业大省勇挑大梁"]


def test_means_frame_joins_its_action() -> None:
    """"依托…工程，继续推进…" — the means is part of the pledge it introduces."""
    assert quotes("下一步，将依托工业互联网创新发展工程，继续推进网络、平台、安全三大体系建设。") == [
        "依托工业互联网创新发展工程，继续推进网络、平台、安全三大体系建设"
    ]


def test_what_a_year_is_is_not_a_pledge() -> None:
    """"2022年是…加快发展的关键一年，要…" — the year's description is not a pledge; the 要 clause is."""
    got = quotes("会议强调，2022年是新能源汽车加快发展的关键一年，要稳定工业经济。", held=dt.date(2022, 1, 18))
    assert got == ["稳定工业经济"]


def test_bare_actions_before_a_cue_of_the_same_paragraph_are_pledges() -> None:
    """"部长：稳定重点行业的增长。我们将…": an opening bare action that a later 将 of the paragraph frames is a pledge."""
    got = quotes("工业和信息化部部长 李乐成：稳定重点行业和重点地区的增长。我们将深入实施十大重点行业稳增长工作方案。", held=dt.date(2026, 1, 12))
    assert got == ["稳定重点行业和重点地区的增长", "深入实施十大重点行业稳增长工作方案"]


def test_quoted_pledges_before_their_attribution_are_pledges() -> None:
    """"“实施…行动。”“鼓励…示范。”…工信部提出，今后，工信部将…": the quoted sentences are pledges (no stray ” in the quote)."""
    text = "“实施先进设备更新提升行动，淘汰低效老旧设备。”“鼓励开展关键共性技术研究。”7月5日，工信部提出，今后一段时期，工信部将实施大规模设备更新工程。"
    got = quotes(text)
    for q in ("实施先进设备更新提升行动", "淘汰低效老旧设备", "鼓励开展关键共性技术研究", "实施大规模设备更新工程"):
        assert q in got


@pytest.mark.parametrize(
    "text",
    [
        "加快制造业数字化转型是顺应新工业革命趋势的要求。下一步，工信部将加快制造业数字化转型。",  # a copula: a description
        "推进5G基站建设取得积极进展。下一步，工信部将加快5G建设。",  # a past/progress report
        "5G基站建设稳步推进。下一步，工信部将加快5G建设。",  # a subject before its progress phrase
        "加速实施重点任务。近期，各地纷纷召开会议，研究部署2024年重点任务。",  # news of a deployment frames nothing
    ],
)
def test_sentences_a_later_cue_does_not_frame(text: str) -> None:
    """Descriptions, progress reports and a deployment's news before a cue stay out of the plan."""
    got = quotes(text, held=dt.date(2024, 1, 5))
    assert not any(q.startswith(("加快制造业数字化转型是", "推进5G基站建设", "5G基站建设", "加速实施重点任务", "各地")) for q in got)


def test_same_speakers_next_turn_keeps_the_plan_going() -> None:
    """"部长介绍，…2025年，要…" then "部长 金壮龙：实施…。研究制定…。": the same speaker's caption turn goes on with the plan."""
    text = "工业和信息化部部长金壮龙介绍，2025年，要全力促进工业经济平稳增长。\n工业和信息化部部长 金壮龙：实施新一轮十大重点行业稳增长工作方案。研究制定制造业合理比重投入机制方案。"
    got = quotes(text, held=dt.date(2024, 12, 26))
    assert "实施新一轮十大重点行业稳增长工作方案" in got and "研究制定制造业合理比重投入机制方案" in got


def test_another_speakers_turn_starts_afresh() -> None:
    """A turn by another speaker after a plan does not inherit it: 王江平：加快… reports nothing forward on its own."""
    text = "金壮龙介绍，2025年，要全力促进工业经济平稳增长。\n王江平：加快发展新能源汽车。"
    assert "加快发展新能源汽车" not in quotes(text, held=dt.date(2024, 12, 26))


def test_namely_list_splits_into_its_actions() -> None:
    """"…4方面工作，也就是稳定…、挖潜扩大…、促进…、进一步增强…": one pledge per action, without 也就是."""
    got = quotes("中国今年将着重抓好4方面工作，也就是稳定重点行业增长、挖潜扩大有效需求、促进价值创造以质取胜、进一步增强经营主体动力活力。")
    assert got[-4:] == ["稳定重点行业增长", "挖潜扩大有效需求", "促进价值创造以质取胜", "进一步增强经营主体动力活力"]


def test_headline_verb_chain_with_a_ladder_verb_is_a_pledge() -> None:
    """A subheading "前瞻布局和培育面向6G的应用产业生态": the chain 前瞻·布局·培育 holds a ladder verb."""
    assert quotes("前瞻布局和培育面向6G的应用产业生态\n工信部副部长介绍，一批创新成果竞相涌现。") == ["前瞻布局和培育面向6G的应用产业生态"]


def test_answer_to_a_progress_question_reviews_before_its_cue() -> None:
    """"记者：采取了哪些措施？" then "部长：持续推动5G应用。下一步，将…": the opening actions review, only the 下一步 part is a plan."""
    got = quotes("记者：今年采取了哪些措施？\n赵志国：持续推动5G应用。下一步，将开展“信号升格”行动。")
    assert got == ["开展“信号升格”行动"]


def test_json_escaped_html_becomes_paragraphs() -> None:
    """A page stored as a JSON string (\\u003cp\\u003e…, \\n, \\") reads as paragraphs; quotes stay verbatim."""
    from policy_tracker.extraction.normalize import normalize

    raw = '\\u003cdiv class=\\"c\\"\\u003e\\n\\u003cp\\u003e下一步，工信部将加快5G建设。\\u003c/p\\u003e\\n\\u003cp\\u003e推进北斗规模应用。\\u003c/p\\u003e'
    assert [line for line in normalize(raw).text.split("\n") if line] == ["下一步，工信部将加快5G建设。", "推进北斗规模应用。"]
    d = doc(raw)
    assert [m.quote for m in extract_all(d)[0]] == ["加快5G建设", "推进北斗规模应用"]


def test_backslash_words_are_not_line_breaks() -> None:
    """Only a JSON \\n that does not start a word is a line break (\\new stays)."""
    from policy_tracker.extraction.normalize import normalize

    assert normalize("路径C:\\new下一步").text.count("\n") == 0


def test_line_opening_with_a_frame_is_not_a_heading() -> None:
    """"在高端化方面，一手抓基础支撑，一手抓高端装备引领，即一个" (cut short by the page) is a sentence in the list, not a title."""
    text = "下一步重点在以下三个方面发力。\n在高端化方面，一手抓基础支撑，一手抓高端装备引领，即一个"
    got = quotes(text)
    assert got[-2:] == ["在高端化方面，一手抓基础支撑", "一手抓高端装备引领"]


@pytest.mark.parametrize(("taiwan", "mainland"), [("專案行動", "专项行动"), ("腦機介面", "脑机接口"), ("專案組", "专案组")])
def test_taiwan_programme_and_interface_terms(taiwan: str, mainland: str) -> None:
    """Taiwan 專案行動 reads 专项行动 and 腦機介面 脑机接口 (a 專案組 stays a task force)."""
    from policy_tracker.extraction.normalize import fold

    assert fold(f"將深入實施{taiwan}。") == f"将深入实施{mainland}。"


@pytest.mark.parametrize(
    ("text", "pledge"),
    [
        ("下一步，要创办一批特色园区。", "创办一批特色园区"),
        ("下一步，将擦亮区域品牌的金字招牌。", "擦亮区域品牌的金字招牌"),
        ("下一步，将构筑开放合作的产业新生态。", "构筑开放合作的产业新生态"),
        ("下一步，要孕育更多科技型中小企业。", "孕育更多科技型中小企业"),
        ("下一步，将繁荣开源软件生态。", "繁荣开源软件生态"),
    ],
)
def test_more_action_verbs_of_real_reports(text: str, pledge: str) -> None:
    """创办, 擦亮, 构筑, 孕育 and 繁荣 are actions in forward context."""
    assert pledge in quotes(text)


def test_jian_is_a_verb_only_in_context() -> None:
    """建 alone is a verb after 再/要/将 or before a count (verb_patterns), never in 建议 or 建材."""
    from policy_tracker.extraction import facets

    assert facets.first_verb("再建一批创新中心").group(0) == "建"
    assert facets.first_verb("明年建20个产业园").group(0) == "建"
    assert facets.first_verb("要建设创新中心").group(0) == "建设"  # the listed compound wins
    assert facets.first_verb("再建议有关方面") is None
    assert facets.first_verb("将建材产品") is None
    assert "再建一批制造业创新中心" in quotes("下一步，我们还要再建一批制造业创新中心。")


def test_invalid_verb_pattern_is_a_clear_error(tmp_path, monkeypatch) -> None:
    """A verb_patterns entry that is not a regular expression names the file and the key."""
    from policy_tracker.errors import DataError
    from policy_tracker.extraction import facets

    (tmp_path / "stages.yaml").write_text("verb_patterns: ['建(']\n", encoding="utf-8")
    monkeypatch.setenv("POLICY_TRACKER_DATA", str(tmp_path))
    facets.ladder.cache_clear()
    try:
        with pytest.raises(DataError, match=r"stages\.yaml: verb_patterns"):
            facets.ladder()
    finally:
        monkeypatch.delenv("POLICY_TRACKER_DATA")
        facets.ladder.cache_clear()


def test_question_and_answer_in_one_paragraph() -> None:
    """"记者：…下一步有何考虑？张三：…": the answer after the question mark is read, not skipped with the question."""
    text = "记者：请问怎么看待当前形势？下一步有何考虑？张三：今年以来，产业稳定恢复。下一步，将加快培育先进制造业集群。"
    assert quotes(text) == ["加快培育先进制造业集群"]


def test_work_under_way_needs_an_object() -> None:
    """正在研究制定… is work under way (a cue); a subject's progress without an object (…正在加快构建，) is not."""
    assert quotes("我们看到，新的产业格局正在加快构建，产业链保持稳固。") == []
    assert "研究制定促进软件产业发展的指导意见" in quotes("工信部正在研究制定促进软件产业发展的指导意见。")


def test_dash_task_list_is_forward() -> None:
    """"给出任务清单——" then the tasks in the next paragraph: the tasks are pledges."""
    got = quotes("部长给出明确任务清单——\n稳定工业投资；扩大新能源汽车消费。")
    assert got == ["稳定工业投资", "扩大新能源汽车消费"]


def test_zhunbei_and_dasuan_with_an_action_are_cues() -> None:
    """准备/打算 + an action (准备再培育, 打算在年内出台) is a plan; the nouns (做好准备, 有何打算) are not."""
    assert [q for q in quotes("今年我们准备再培育一批专精特新企业。") if q.endswith("再培育一批专精特新企业")]
    assert quotes("我们打算在年内出台支持工业设计的政策。") == ["在年内出台支持工业设计的政策"]
    assert quotes("各地各部门推动工作，做好准备。") == []


def test_stated_need_is_a_plan() -> None:
    """"亟需…" states what the ministry means to do."""
    assert quotes("当前，亟需加快补齐产业链短板。") == ["加快补齐产业链短板"]


def test_plan_documents_tasks_are_pledges() -> None:
    """"方案还提出，…": the tasks a plan sets out are pledges, like a meeting's requirements."""
    assert quotes("方案还提出，优化产业空间布局，加快培育龙头企业。") == ["优化产业空间布局", "加快培育龙头企业"]


def test_yi_wei_zhuashou_is_a_means_frame() -> None:
    """"以X为抓手，实施…": the means joins its action instead of being dropped as a purpose tail."""
    assert quotes("下一步，将以数字化转型为抓手，实施智能制造工程。") == ["以数字化转型为抓手，实施智能制造工程"]


def test_aim_verb_opening_a_paragraph_is_an_action() -> None:
    """"促进重点行业稳步增长" opens a plan paragraph (its progress phrase is the aim), unlike "基站建设稳步推进"."""
    assert "促进重点行业稳步增长" in quotes("下一步，将抓好以下工作。\n促进重点行业稳步增长，扩大制造业有效投资。")
    assert quotes("下一步，将抓好以下工作。\n基站建设稳步推进，扩大制造业有效投资。") == []
    assert quotes("下一步，将抓好以下工作。\n推动数字化转型取得积极进展，培育一批示范工厂。") == []  # a result reported


def test_caption_naming_the_speaker_keeps_the_plan_going() -> None:
    """A caption line naming the speaker already talking (部长张三) does not end the forward context before his list."""
    text = "会上，张三表示，明年将在三方面推进产业发展。\n工业和信息化部部长张三\n工业和信息化部部长张三：一是推动制造业高质量发展。"
    assert "推动制造业高质量发展" in quotes(text)


def test_bare_name_after_a_place_and_time_frame_is_a_speaker() -> None:
    """"在昨天的发布会上，张三表示": the name after a 在…上， frame is the speaker."""
    from policy_tracker.extraction.speakers import reported_speaker

    assert reported_speaker("在昨天的发布会上，张三表示，将加快发展。")[0] == "张三"


def test_doubled_punctuation_of_broken_copies_is_dropped() -> None:
    """"表示，，明年将…，。" (a broken copy): the doubled comma goes from the normalised view, quotes stay verbatim."""
    from policy_tracker.extraction.normalize import normalize

    assert normalize("他表示，，明年将加快发展，。").text == "他表示，明年将加快发展。"
    got = extract_all(doc("会上，张三表示，，明年将加强企业与大学，、研究所之间的合作，。"))[0]
    assert [(m.text, m.quote, m.speaker) for m in got] == [("明年将加强企业与大学、研究所之间的合作", "明年将加强企业与大学，、研究所之间的合作", "张三")]


def test_yao_fazhan_is_an_action() -> None:
    """"要发展战略性新兴产业": 发展 after 要 is a verb (and keeps its 要); 重要发展机遇 is not."""
    assert quotes("同时，要发展战略性新兴产业，比如集成电路。") == ["要发展战略性新兴产业"]
    from policy_tracker.extraction import facets

    assert facets.first_verb("重要发展机遇") is None


def test_past_marker_in_the_object_is_not_the_past() -> None:
    """"把已经出台的各项政策落细落到位": 已经 qualifies the object; the clause is a pledge, not evidence."""
    text = "下一步，将重点做好以下工作。\n一是把中央已经出台的各项政策扎扎实实落到位。"
    assert quotes(text) == ["把中央已经出台的各项政策扎扎实实落到位"]
    assert evidence("下一步，将把中央已经出台的政策落到位。今年以来，已经出台各项政策。") == ["已经出台各项政策"]


def test_long_line_cut_short_is_not_a_heading() -> None:
    """A last line of three clauses or more without a full stop (text cut short) is read as a sentence, not a title."""
    from policy_tracker.extraction import segment

    assert not segment.is_heading("工信部表示，明年将推进新型工业化，以改革为动力，深入实施重点产")
    assert segment.is_heading("工信部：推进新型工业化，深入实施重点产业链行动")


def test_meeting_held_then_its_requirements_are_a_task_list() -> None:
    """"某部召开推进会，强调…。具体措施包括…": what the meeting asks for is a plan; the news of the meeting is not a pledge."""
    text = "5月8日消息，某部召开专题推进会，强调加快数据要素市场建设。具体措施包括开展数据标注基地试点，并完善公共数据授权机制。"
    got = quotes(text, held=dt.date(2031, 5, 8))
    assert got == ["强调加快数据要素市场建设", "开展数据标注基地试点", "完善公共数据授权机制"]
    assert quotes("某部召开了专题推进会，听取企业意见。") == []


def test_meeting_as_subject_is_not_trimmed_as_an_auxiliary() -> None:
    """The 会 of 会议 is not the auxiliary 会 (将会): "会议提出启动…" keeps its subject whole."""
    got = quotes("下一步，要抓好三件事。会议提出启动一批重大试点项目。")
    assert "会议提出启动一批重大试点项目" in got


def test_photo_credit_glued_to_a_list_heading_is_dropped() -> None:
    """"图自某某日报微信公众号一、…": the credit left by a removed picture no longer hides the list marker, so the plan goes on."""
    text = (
        "会议强调，2031年要抓好五个方面重点任务。\n"
        "图自某某日报微信公众号一、稳定工业增长\n"
        "稳住重点行业，支持中部地区承接产业梯度转移。"
    )
    got = quotes(text, held=dt.date(2030, 12, 20))
    assert "稳定工业增长" in got and any("支持中部地区承接产业梯度转移" in q for q in got)
    from policy_tracker.extraction.normalize import normalize

    assert normalize("图片来源：某某网站二、扩大内需").text == "二、扩大内需"
    assert normalize("图自某某网站稳定工业增长").text == "图自某某网站稳定工业增长"  # no list marker: a caption, kept


def test_numbered_list_announced_with_a_colon_is_forward() -> None:
    """"部长提出三点具体举措：一是…；二是…" announces a plan; its items are pledges."""
    text = "在产业创新方面，部长提出三点具体举措：一是培育一批中试验证平台；二是扩大首台套保险补偿范围；三是健全科技成果转化机制。"
    got = quotes(text)
    assert got == ["培育一批中试验证平台", "扩大首台套保险补偿范围", "健全科技成果转化机制"]


@pytest.mark.parametrize(
    ("text", "pledge"),
    [
        # 必须: a stronger 要
        ("部长表示，这是产业迈向中高端的关键一步，必须巩固现有领先优势。", "必须巩固现有领先优势"),
        # 当局 (Taiwan and Hong Kong reports' word for the mainland government), after a figure of the present
        ("部长指出，目前数字经济占比约四成，当局要统筹算力布局和能源保障。", "当局要统筹算力布局和能源保障"),
        # a subject + 要 + 超前/统筹
        ("部长表示，量子产业要超前布局。", "量子产业要超前布局"),
        # work under way: 正在加强…
        ("部长表示，工信部正在加强新材料产业统筹谋划，研究制定首批次应用的指导意见。", "研究制定首批次应用的指导意见"),
        # 发展 opening a clause before its object
        ("下一步，要深化卫星导航融合应用，发展基于北斗的位置服务产业。", "发展基于北斗的位置服务产业"),
    ],
)
def test_cues_and_verbs_of_the_seventh_corpus(text: str, pledge: str) -> None:
    """必须, 当局要, 要超前/要统筹, 正在加强 and clause-initial 发展 + object open or carry a plan."""
    assert pledge in quotes(text)


@pytest.mark.parametrize("text", ["发展的韧性持续增强，发展环境不断优化。", "部长表示，这不必须立即完成。"])
def test_development_as_subject_and_negated_must_are_not_cues(text: str) -> None:
    """发展 before what describes development is a subject, and 不必须 is not a cue: nothing is extracted."""
    assert quotes(text) == []


def test_ascii_comma_between_latin_names_lists_them() -> None:
    """"加快4K/8K,VR/AR等新技术应用": an ASCII comma between Latin tokens is a list comma (、), not a clause break; 1,000 stays."""
    from policy_tracker.extraction.characters import fold_chars

    assert fold_chars("加快4K/8K,VR/AR等应用,培育1,000家企业") == "加快4K/8K、VR/AR等应用，培育1,000家企业"
    assert "加快8K、VR等新技术应用" in quotes("下一步，要加快8K,VR等新技术应用。")


@pytest.mark.parametrize(("corpus", "floor"), [("corpus4", 0.98), ("corpus5", 0.98), ("corpus6", 0.96), ("corpus7", 0.98), ("corpus8", 0.97)])
def test_real_article_corpora_keep_their_extraction(corpus: str, floor: float) -> None:
    """The used real-article corpora (no manifest) keep extraction recall above their floor and no evidence extracted as a pledge."""
    import warnings
    from pathlib import Path

    from policy_tracker.evaluate import Prediction, read_gold, score
    from policy_tracker.sources.load import load_documents

    folder = Path(__file__).resolve().parent / corpus
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        docs = load_documents([folder], {}).documents
    gold = read_gold((folder / "gold.yaml").read_text(encoding="utf-8"), "gold.yaml")
    preds = [Prediction(m.source, m.start, m.end, f"{m.source}@{m.start}") for d in docs for m in extract_all(d)[0]]
    s = score(gold, {d.id: d.text for d in docs}, preds)
    assert s.extraction_recall >= floor, s.missed
    assert s.evidence_false_positives == 0, s.evidence_hits
