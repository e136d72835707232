"""engine.unlisted_here: the cash items other cities list for a person's status that this city's list lacks.
聊城 聊政办字〔2023〕19号 第4条 names 特困老年人集中供养 and 分散供养特困老年人社会化照料服务: longer names for
济宁's and 枣庄's 集中供养 and 分散供养, so a 聊城 特困 elder is not told they are missing."""

from rules_kb import Profile, default_kb, evaluate

KB = default_kb()


def _unlisted(profile: Profile) -> set:
    return {name for name, _ in evaluate(KB, profile).unlisted}


def test_tekun_items_under_longer_names_are_not_called_absent_in_liaocheng():
    named = _unlisted(Profile("聊城", 79, statuses=frozenset({"特困"})))
    assert not named & {"分散供养", "集中供养"}


def test_an_item_liaocheng_truly_lacks_is_still_said():
    # 济宁 附件 第26项 and 枣庄 附件2 第25项 list 计划生育特别扶助金; 聊城's plan has no such item by any name
    assert "计划生育特别扶助金" in _unlisted(Profile("聊城", 79, statuses=frozenset({"失独"})))
    assert "计划生育特别扶助金" not in _unlisted(Profile("枣庄", 79, statuses=frozenset({"失独"})))
