"""A family conversation over HTTP against the real Rasa server (issue 18), as the widget sends it (and as WeChat
does: tests/e2e/test_wechat.py runs the same family): a second person, the sum, a what-if beside the facts, a
correction that says what changed. Figures read from 办公室便函〔2023〕1号 附件1 第4项 and 附件2 第17项 (枣庄)."""

import uuid

FAMILY = [
    "俺爹八十六了，住薛城，吃低保，一个月能领多少？",
    "那俺娘呢，她78岁，也是低保",
    "老两口加一块一个月多少？",
    "要是俺爹评上能力评估二级呢？",
    "那俺爹现在一个月多少",
]


def check_family(replies):
    dad, mum, total, what_if, now = replies
    assert "每月合计：130元" in dad
    assert "您母亲" in mum and "每月合计：80元" in mum and "130元" not in mum
    assert "合计210元" in total and "您父亲：130元" in total and "您母亲：80元" in total
    assert "护理补贴）80元/月（市民政局）" in what_if and "210元" in what_if and "现在130元" in what_if
    assert "130元" in now and "210元" not in now, "the what-if did not become a fact"


def test_a_family_over_rest(servers):
    sender = uuid.uuid4().hex
    check_family([servers.send(sender, text) for text in FAMILY])


def test_a_correction_over_rest_says_what_changed(servers):
    sender = uuid.uuid4().hex
    servers.send(sender, "俺娘79岁了 滕州的 不是低保 能领啥")
    corrected = servers.send(sender, "说错了 她81岁了")
    assert corrected.startswith("您母亲按81周岁更新：新增高龄津贴30元/月（市卫生健康委）")
    assert "乘坐城市公共交通工具" not in corrected
