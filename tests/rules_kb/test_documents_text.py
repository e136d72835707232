"""A city's documents described from documents.yml: the list's size is counted from the items that cite it."""

from datetime import date

from rules_kb import default_kb
from rules_kb.documents_text import documents_text, list_size

KB = default_kb()


def test_each_citys_list_has_the_size_its_document_prints():
    # 济政办发〔2023〕2号 附件: 28 items; 办公室便函〔2023〕1号 附件2: 27 items (seeds README)
    assert list_size(KB, KB.documents["jn-2023"]) == 28
    assert list_size(KB, KB.documents["zz-2023"]) == 27


def test_a_plans_period_is_said_with_whether_it_still_runs():
    during = documents_text(KB, ["济宁"], "行动方案", date(2026, 11, 27))
    after = documents_text(KB, ["济宁"], "行动方案", date(2027, 1, 2))
    assert during is not None and "济政办字〔2024〕42号" in during and "今天仍在实施期内" in during
    assert after is not None and "实施期已过" in after


def test_a_city_without_a_list_says_so_and_names_its_document():
    text = documents_text(KB, ["聊城"], "list", date(2026, 11, 27))
    assert text is not None and "没有附基本养老服务清单" in text and "聊政办字〔2023〕19号" in text
