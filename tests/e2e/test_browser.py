"""The portal chat widget and the operator console in a real headless Chromium (Debian's /usr/bin/chromium driven
by Playwright; scripts/install-browser.sh installs it with a CJK font), against real servers.

Screenshots go to tests/artifacts/ (git-ignored). UPDATE_SCREENSHOTS=1 also refreshes docs/screenshots/."""

import os
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.support.servers import ROOT

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "tests" / "artifacts"
DOCS = ROOT / "docs" / "screenshots"
HEADLINE = "我父亲85岁，枣庄的低保户，能领什么？"
ANSWER_TIMEOUT = 30_000
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
STORED_SENDER = """Object.entries(localStorage).filter(([k]) => k.startsWith("yanglao-chat"))
                   .map(([, v]) => JSON.parse(v).sender)[0]"""


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} missing: run scripts/install-browser.sh (as root)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Page:
    """A fresh browser context (its own localStorage and cookies) that fails the test on any script error or
    console error, except the failed requests a test provokes on purpose (`expected_errors`, regexes)."""

    def __init__(self, browser, viewport=DESKTOP, expected_errors=(), **options):
        self.context = browser.new_context(viewport=viewport, locale="zh-CN", **options)
        self.page = self.context.new_page()
        self.expected = [re.compile(p) for p in expected_errors]
        self.errors = []
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("console", self._console)

    def _console(self, message):
        if message.type == "error" and not any(p.search(message.text) for p in self.expected):
            self.errors.append(f"console: {message.text}")

    def close(self):
        self.context.close()
        assert not self.errors, self.errors


@pytest.fixture
def new_page(browser, web_servers):
    pages = []

    def make(**options):
        pages.append(Page(browser, **options))
        return pages[-1].page

    yield make
    for p in pages:
        p.close()


def shot(page, name, docs_name=None, full_page=False):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    if docs_name and os.environ.get("UPDATE_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOCS / docs_name)


# ------------------------------------------------------------------------------------------------ portal widget


def open_widget(page, base):
    page.goto(base + "/portal")
    bubble = page.get_by_role("button", name=re.compile("政策咨询"))
    expect(bubble).to_have_attribute("aria-expanded", "false")
    bubble.click()
    expect(page.locator(".ylw-bubble")).to_have_attribute("aria-expanded", "true")  # hidden under the panel on a phone
    expect(page.get_by_role("dialog", name="养老政策助手")).to_be_visible()
    return page.get_by_label("输入您的问题，按回车发送")


def item_row(answer, name):
    return answer.locator("tbody tr").filter(has=answer.page.locator("th", has_text=name))


def expect_headline_answer(answer):
    row = item_row(answer, "高龄津贴")
    expect(row.locator("td").nth(0)).to_have_text("30元/月")
    expect(row.locator("td").nth(1)).to_have_text("市卫生健康委")
    expect(row.locator("td").nth(2)).to_contain_text("办公室便函〔2023〕1号 附件2 第12项")
    row = item_row(answer, "经济困难老年人补贴")
    expect(row.locator("td").nth(0)).to_have_text("生活补贴100元/月")
    expect(row.locator("td").nth(1)).to_have_text("市民政局")
    expect(answer.locator(".ylw-total")).to_contain_text("每月合计（有明确金额的部分）：130元")
    expect(answer.locator(".ylw-hints")).to_contain_text("护理补贴（80元/月，市民政局）")
    expect(answer.locator(".ylw-basis")).to_have_text("依据：办公室便函〔2023〕1号，2023年2月印发")


def test_headline_question_typed_into_the_widget(new_page, web_servers):
    page = new_page(viewport=DESKTOP)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=web_servers.url)
    box = open_widget(page, web_servers.url)
    expect(box).to_be_focused()
    box.fill(HEADLINE)
    box.press("Enter")
    expect(page.locator(".ylw-user").last).to_have_text(re.compile(HEADLINE))
    answer = page.locator(".ylw-answer").last
    expect(answer).to_be_visible(timeout=ANSWER_TIMEOUT)
    expect(answer.locator(".ylw-answer-head")).to_have_text(
        "您父亲（枣庄，85周岁，低保）按枣庄市基本养老服务政策可享受："
    )
    expect_headline_answer(answer)
    money, other = answer.locator("table").nth(0), answer.locator("table").nth(1)
    expect(money.get_by_role("columnheader")).to_have_text(["项目", "标准（每月）", "牵头部门", "依据"])
    expect(money.locator("tbody th")).to_have_text(["12. 高龄津贴", "15. 经济困难老年人补贴"])  # figures first
    expect(answer.get_by_role("heading", name="其他服务和待遇（14项）")).to_be_visible()
    expect(other.locator("tbody th").first).to_have_text(re.compile("^1. 职工基本养老保险"))
    shot(page, "portal-desktop", "portal.png")

    answer.get_by_role("button", name="复制这条答复").click()
    expect(page.get_by_role("status")).to_have_text(re.compile("已复制"))
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "12. 高龄津贴：30元/月；牵头部门：市卫生健康委" in copied and "每月合计（有明确金额的部分）：130元" in copied

    answer.get_by_role("button", name="打印这条答复").click()  # prints through a frame holding just this answer
    expect(page.locator("iframe")).to_have_count(0, timeout=5000)  # and removes it afterwards


def test_quick_replies_on_a_phone_and_reload_keeps_the_conversation(new_page, web_servers):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    open_widget(page, web_servers.url)
    dialog = page.get_by_role("dialog", name="养老政策助手")
    assert dialog.bounding_box()["width"] == PHONE["width"]  # full screen on a phone

    page.get_by_role("button", name="我父亲能领什么补贴？").click()
    page.get_by_role("button", name="枣庄", exact=True).click()
    pad = page.get_by_role("group", name="输入老人年龄")
    pad.get_by_role("button", name="8", exact=True).click()
    pad.get_by_role("button", name="5", exact=True).click()
    expect(pad.locator("output")).to_have_text("85 周岁")
    pad.get_by_role("button", name="确定年龄").click()
    page.get_by_role("button", name="低保", exact=True).click()
    answer = page.locator(".ylw-answer").last
    expect(answer).to_be_visible(timeout=ANSWER_TIMEOUT)
    expect_headline_answer(answer)
    said = ["我父亲能领什么补贴？", "枣庄", "85岁", "低保"]
    expect(page.locator(".ylw-user")).to_have_text([re.compile(s) for s in said])
    shot(page, "portal-phone")

    sender = page.evaluate(STORED_SENDER)
    assert re.fullmatch(r"web-[0-9a-f]{32}", sender)
    page.reload()
    expect(page.get_by_role("dialog", name="养老政策助手")).to_be_visible()  # still open
    expect(page.locator(".ylw-user")).to_have_text([re.compile(s) for s in said])
    expect_headline_answer(page.locator(".ylw-answer").last)
    assert page.evaluate(STORED_SENDER) == sender

    # the server continues the same conversation: a correction re-runs the answer for the same person
    box = page.get_by_label("输入您的问题，按回车发送")
    answers = page.locator(".ylw-answer").count()  # every reply that answered so far has its card
    box.fill("说错了，是济宁的")
    box.press("Enter")
    expect(page.locator(".ylw-answer")).to_have_count(answers + 1, timeout=ANSWER_TIMEOUT)
    jining = page.locator(".ylw-answer").last
    expect(jining.locator(".ylw-answer-head")).to_contain_text("济宁，85周岁，低保")
    expect(item_row(jining, "高龄津贴").locator("td").nth(0)).to_contain_text("标准按当地规定")
    expect(jining.locator(".ylw-hints")).to_contain_text("护理补贴（85元/月，市民政局）")
    shot(page, "portal-phone-reloaded")

    # 清空 (after a confirmation) forgets the conversation here and starts a new one under a new id
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="清空对话记录，重新开始").click()
    expect(page.locator(".ylw-user")).to_have_count(0)
    expect(page.get_by_role("button", name="我父亲能领什么补贴？")).to_be_visible()
    assert page.evaluate(STORED_SENDER) not in (sender, None)


def test_widget_keyboard_focus_order_and_display_settings(new_page, web_servers):
    page = new_page(viewport=DESKTOP)
    page.goto(web_servers.url + "/portal")
    bubble = page.get_by_role("button", name=re.compile("政策咨询"))
    bubble.focus()
    page.keyboard.press("Enter")
    box = page.get_by_label("输入您的问题，按回车发送")
    expect(box).to_be_focused()

    def focused():
        return page.evaluate("""() => {
            const a = document.querySelector('[data-yanglao-chat]').shadowRoot.activeElement;
            return a ? (a.getAttribute('aria-label') || a.textContent.trim() || a.id) : null; }""")

    page.get_by_role("button", name="大字").focus()
    order = []
    for _ in range(7):
        page.keyboard.press("Tab")
        order.append(focused())
    assert order == [
        "高对比",
        "清空对话记录，重新开始",
        "关闭对话窗口",
        "对话内容",
        "我父亲能领什么补贴？",
        "我母亲80岁，济宁的，能享受哪些服务？",
        "ylw-input",
    ]

    large = page.get_by_role("button", name="大字")
    size = lambda: page.locator(".ylw-root").evaluate("e => getComputedStyle(e).fontSize")  # noqa: E731
    assert size() == "19px"
    large.click()
    expect(large).to_have_attribute("aria-pressed", "true")
    assert size() == "24px"
    contrast = page.get_by_role("button", name="高对比")
    contrast.click()
    expect(contrast).to_have_attribute("aria-pressed", "true")
    assert page.locator(".ylw-panel").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(0, 0, 0)"
    shot(page, "portal-large-contrast")

    box.focus()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog", name="养老政策助手")).to_be_hidden()
    expect(bubble).to_be_focused()
    expect(bubble).to_have_attribute("aria-expanded", "false")
    page.reload()  # display settings are remembered, the closed panel stays closed
    expect(page.get_by_role("dialog", name="养老政策助手")).to_be_hidden()
    page.get_by_role("button", name=re.compile("政策咨询")).click()
    expect(page.get_by_role("button", name="大字")).to_have_attribute("aria-pressed", "true")
    assert size() == "24px"


def test_a_failed_send_keeps_the_text_and_stores_nothing(new_page, web_servers):
    page = new_page(viewport=DESKTOP, expected_errors=[r"ERR_FAILED"])
    box = open_widget(page, web_servers.url)
    page.route("**/webhooks/rest/webhook", lambda route: route.abort())
    box.fill("我母亲身份证370402195001011234，80岁，济宁的")
    box.press("Enter")
    expect(page.get_by_role("status")).to_have_text(re.compile("网络连接失败"))
    expect(box).to_have_value("我母亲身份证[身份证号已隐去]，80岁，济宁的")  # never kept or sent in clear
    expect(page.locator(".ylw-user")).to_have_count(0)
    stored = page.evaluate("JSON.stringify(localStorage)")
    assert "370402195001011234" not in stored and "80岁" not in stored
    # numbers grouped as people type them (issue 20), masked in the browser too; the age and the year stay
    box.fill("我妈80岁 2025年 身份证370481 1950 0223 8281 电话（138）1234 5678 或 137.7568.7122")
    box.press("Enter")
    expect(box).to_have_value("我妈80岁 2025年 身份证[身份证号已隐去] 电话[手机号已隐去] 或 [手机号已隐去]")


# ------------------------------------------------------------------------------------------------ operator console


def test_console_login_lookup_three_cities_and_facts(new_page, web_servers):
    page = new_page(viewport={"width": 1440, "height": 1000}, expected_errors=[r"status of (401|400)"])
    page.goto(web_servers.url + "/console")
    expect(page).to_have_url(re.compile(r"/console/login$"))
    page.get_by_label("用户名").fill(web_servers.admin_user)
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_have_text("用户名或密码不正确，请重新输入。")
    page.get_by_label("用户名").fill(web_servers.admin_user)
    page.get_by_label("密码").fill(web_servers.admin_password)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/console$"))
    expect(page.locator("#user")).to_have_text(f"{web_servers.admin_user}（管理员）")
    cookie = next(c for c in page.context.cookies() if c["name"] == "yanglao_console")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and web_servers.admin_password not in cookie["value"]

    page.get_by_label("城市或县区").fill("枣庄")
    page.get_by_label("年龄（周岁）").fill("85")
    page.get_by_label("低保", exact=True).check()
    expect(page.locator("#summary")).to_have_text("（枣庄，85周岁，低保）按枣庄市基本养老服务政策可享受 16 项")
    table = page.locator("#items")
    expect(table.get_by_role("columnheader")).to_have_text(
        ["序号", "项目", "每月金额 / 标准", "牵头部门", "依据（文件及条目）", "适用原因"]
    )
    row = table.locator("tbody tr").filter(has=page.locator("th", has_text="高龄津贴"))
    expect(row.locator("td")).to_have_text(
        [
            "12",
            "30元/月",
            "市卫生健康委",
            "办公室便函〔2023〕1号 附件2 第12项；办公室便函〔2023〕1号 附件1 第4项",
            re.compile("年满80周岁"),
        ]
    )
    row = table.locator("tbody tr").filter(has=page.locator("th", has_text="经济困难老年人补贴"))
    expect(row.locator("td").nth(1)).to_have_text("生活补贴100元/月")
    expect(page.locator("#total")).to_have_text(
        "每月合计（有明确金额的部分）：130元（高龄津贴30元、经济困难老年人补贴100元）"
    )
    expect(page.locator("#hints")).to_contain_text("经济困难老年人补贴中的护理补贴（80元/月，市民政局）")

    compare = page.locator("#compare")
    expect(compare.get_by_role("columnheader")).to_have_text(["项目", "济宁", "枣庄（本人户籍）", "聊城"])
    gaoling = compare.locator("tbody tr").filter(has=page.locator("th", has_text=re.compile("^高龄津贴$")))
    expect(gaoling.locator('td[data-city="济宁"]')).to_contain_text("标准按当地规定")
    expect(gaoling.locator('td[data-city="枣庄"]')).to_contain_text("30元/月")
    expect(gaoling.locator('td[data-city="聊城"]')).to_contain_text("标准按当地规定")
    totals = compare.locator("tr.total-row td")
    expect(totals).to_have_text(["100元", "130元", "无明确金额"])
    expect(compare.locator('tr.hint-row td[data-city="济宁"]')).to_contain_text("护理补贴（85元/月，市民政局）")
    page.get_by_label("关键词").fill("长期护理保险")
    page.get_by_label("城市", exact=True).select_option("济宁")
    expect(page.locator("#facts li").first).to_contain_text("济宁")
    expect(page.locator("#facts-status")).to_have_text(re.compile(r"找到 \d+ 条"))

    shot(page, "console")
    shot(page, "console-full", full_page=True)

    page.get_by_label("只看补贴类（现金）项目").check()
    expect(compare.locator("tbody tr").filter(has=page.locator("th", has_text="就医便利服务"))).to_have_count(0)
    expect(gaoling).to_have_count(1)
    shot(page, "console-cash-only", "console.png", full_page=True)

    # the table follows the operator's typing
    page.get_by_label("年龄（周岁）").fill("102")
    expect(page.locator("#summary")).to_contain_text("102周岁")
    row = table.locator("tbody tr").filter(has=page.locator("th", has_text="高龄津贴"))
    expect(row.locator("td").nth(1)).to_contain_text("不低于520元/月")
    page.get_by_label("城市或县区").fill("北京")
    expect(page.get_by_role("alert")).to_contain_text("未知的城市或县区：北京")
    page.get_by_label("城市或县区").fill("滕州")
    expect(page.get_by_role("alert")).to_be_hidden()
    expect(page.locator("#summary")).to_contain_text("（滕州市，102周岁，低保）按枣庄市")

    page.emulate_media(media="print")  # print-friendly: the table stays, the form and search go
    expect(page.locator("#items")).to_be_visible()
    expect(page.locator("#profile")).to_be_hidden()
    expect(page.locator("#facts-form")).to_be_hidden()
    page.emulate_media(media="screen")

    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(re.compile(r"/console/login$"))
    status = page.evaluate("fetch('/api/meta').then(r => r.status)")
    assert status == 401
    page.goto(web_servers.url + "/console")
    expect(page).to_have_url(re.compile(r"/console/login$"))


# ------------------------------------------------------------------------------------------------ console


def console_login(page, web_servers, username=None, password=None):
    page.goto(web_servers.url + "/console")
    page.get_by_label("用户名").fill(username or web_servers.admin_user)
    page.get_by_label("密码").fill(password or web_servers.admin_password)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/console$"))


def test_console_banner_warns_of_the_plan_ending_for_a_pinned_day(new_page, web_servers):
    """The banner shows /api/kb/status for the day in the form: 济政办字〔2024〕42号 (the 2024—2026 plan) ends on
    2026-12-31, so 30 days before it is warned of, and after it is listed as ended; the days are pinned here,
    never today's. The lookup and the policy search answer for the same day."""
    page = new_page(viewport={"width": 1440, "height": 1000})
    console_login(page, web_servers)
    banner = page.locator("#kb-banner")
    page.get_by_label("按哪一天的规定答复").fill("2026-12-01")
    expect(banner).to_be_visible()
    expect(banner.locator("#kb-banner-title")).to_have_text("知识库到期提示（按2026-12-01，提前60天）：")
    plan = banner.locator("li").filter(has_text="济政办字〔2024〕42号（")
    expect(plan).to_have_count(1)
    expect(plan).to_contain_text("有效期至2026年12月31日（还有30天）")
    shot(page, "console-lapse-banner")

    page.get_by_label("按哪一天的规定答复").fill("2027-01-05")
    expect(plan).to_contain_text("已于2026年12月31日到期（5天前）")
    page.get_by_label("按哪一天的规定答复").fill("2026-06-01")
    expect(banner.locator("#kb-banner-title")).to_contain_text("按2026-06-01")
    expect(plan).to_have_count(0)  # 213 days ahead: not yet worth a warning

    page.get_by_label("按哪一天的规定答复").fill("2025-12-31")  # 第10条's own period: 2024年至2025年
    page.get_by_label("关键词").fill("示范性老年友好型社区")
    page.get_by_label("城市", exact=True).select_option("济宁")
    expect(page.locator("#facts li").first).to_contain_text("示范性老年友好型社区")
    expect(page.locator("#facts li").first).not_to_contain_text("到期")
    page.get_by_label("按哪一天的规定答复").fill("2026-01-01")
    expect(page.locator("#facts li").first.locator(".lapsed")).to_have_text("（已于2025年12月31日到期，不是现行规定）")

    page.get_by_label("城市或县区").fill("枣庄")
    page.get_by_label("年龄（周岁）").fill("85")
    page.get_by_label("低保", exact=True).check()
    expect(page.locator("#summary")).to_contain_text("可享受 16 项")
    expect(page.locator("#documents")).to_have_text("依据：办公室便函〔2023〕1号，2023年2月印发")
    page.get_by_label("按哪一天的规定答复").fill("2023-02-24")  # the day before the list was issued
    expect(page.locator("#summary")).to_contain_text("可享受 0 项")


def test_widget_feedback_handoff_code_and_the_console_pages(new_page, web_servers):
    page = new_page(viewport=DESKTOP)
    box = open_widget(page, web_servers.url)
    box.fill("枣庄高龄津贴多少钱")
    box.press("Enter")
    answer = page.locator(".ylw-bot").filter(has_text="80—89周岁").first
    expect(answer).to_contain_text("高龄津贴", timeout=ANSWER_TIMEOUT)
    answer.get_by_role("button", name="这条回答没用").click()
    thanks = page.locator(".ylw-bot").last
    expect(thanks).to_contain_text("谢谢，已记下，我们会改进。要转人工吗？", timeout=ANSWER_TIMEOUT)
    expect(answer.locator(".ylw-feedback")).to_have_text("已反馈：没用")
    expect(thanks.locator(".ylw-rate")).to_have_count(0)  # no buttons under the thanks itself
    page.get_by_role("button", name="转人工").click()
    expect(page.locator(".ylw-bot").last).to_contain_text("回复 同意 生成查询码", timeout=ANSWER_TIMEOUT)
    page.get_by_role("button", name="同意", exact=True).click()
    done = page.locator(".ylw-bot").last
    expect(done).to_contain_text("您的查询码", timeout=ANSWER_TIMEOUT)
    code = re.search(r"[2-9A-Z]{5}-[2-9A-Z]{5}", done.inner_text()).group(0)

    console = new_page(viewport={"width": 1440, "height": 1000}, expected_errors=[r"status of 404"])
    console_login(console, web_servers)
    console.get_by_role("link", name="查询码").click()
    expect(console).to_have_url(re.compile(r"/console/case$"))
    console.get_by_role("textbox", name=re.compile("来电人报出的查询码")).fill("ZZZZZ-ZZZZZ")
    console.get_by_role("button", name="查看").click()
    expect(console.locator("#case-status")).to_have_text("查询码不存在或已过期")
    console.get_by_role("textbox", name=re.compile("来电人报出的查询码")).fill(code.lower())
    console.get_by_role("button", name="查看").click()
    profile = console.locator("#case-profile")
    expect(profile).to_contain_text("城市枣庄")
    turns = console.locator("#case-turns li")
    expect(turns).to_have_count(4)
    expect(turns.nth(0)).to_contain_text("问：枣庄高龄津贴多少钱")
    expect(turns.nth(1)).to_contain_text("问：没用")
    expect(console.locator("#case-meta")).to_contain_text("渠道：网站聊天窗口")
    shot(console, "console-case", "console-case.png", full_page=True)

    console.get_by_role("link", name="复核队列").click()
    expect(console).to_have_url(re.compile(r"/console/review$"))
    row = (
        console.locator("#entries tbody tr").filter(has_text="用户反馈没用：没用").filter(has_text="枣庄高龄津贴多少钱")
    )
    expect(row).to_have_count(1)
    expect(row).to_contain_text("网站聊天窗口")
    expect(console.locator("#by-channel")).to_contain_text("网站聊天窗口")
    expect(console.locator("#by-reason")).to_contain_text("转人工")
    row.locator(".pick").check()
    row.locator("select").select_option("ask_item")
    shot(console, "console-review", "review.png", full_page=False)
    console.get_by_role("button", name="导出所选为训练数据（NLU YAML）").click()
    expect(console.locator("#export-text")).to_have_text(
        'version: "3.1"\nnlu:\n- intent: ask_item\n  examples: |\n    - 枣庄高龄津贴多少钱\n'
    )
    row.get_by_label(re.compile("处理备注")).fill("已加入训练数据")
    row.get_by_role("button", name="标记已处理").click()
    expect(
        console.locator("#entries tbody tr").filter(has_text="枣庄高龄津贴多少钱").filter(has_text="用户反馈没用")
    ).to_have_count(0)
    console.get_by_label("显示").select_option("resolved")
    expect(console.locator("#entries tbody tr").filter(has_text="已处理：已加入训练数据")).to_have_count(1)


def test_admin_page_makes_an_operator_who_cannot_open_it(new_page, web_servers):
    admin = new_page(viewport={"width": 1440, "height": 1000})
    console_login(admin, web_servers)
    admin.get_by_role("link", name="账号与审计").click()
    expect(admin).to_have_url(re.compile(r"/console/admin$"))
    expect(admin.locator("#accounts tbody")).to_contain_text(web_servers.admin_user)
    admin.get_by_label("用户名", exact=True).fill("zhang.san")
    admin.get_by_label("初始密码（至少10个字符）").fill("zhangsan-password-1")
    admin.get_by_label("角色", exact=True).select_option("operator")
    admin.get_by_role("button", name="新建").click()
    expect(admin.locator("#accounts-status")).to_have_text("已新建账号：zhang.san（坐席）")
    expect(admin.locator("#accounts tbody tr").filter(has_text="zhang.san")).to_have_count(1)
    expect(admin.locator("#audit tbody")).to_contain_text("新建账号")
    shot(admin, "console-admin", full_page=True)

    operator = new_page(viewport=DESKTOP, expected_errors=[r"status of 403"])
    console_login(operator, web_servers, "zhang.san", "zhangsan-password-1")
    expect(operator.locator("#user")).to_have_text("zhang.san（坐席）")
    operator.get_by_role("link", name="账号与审计").click()
    expect(operator.get_by_role("alert")).to_contain_text("此页面需要管理员或以上角色")
