/*
 * 养老政策助手 · portal chat widget. One tag, no dependencies:
 *
 *   <script src="https://BOT-HOST/static/widget.js" defer></script>
 *
 * Optional settings, either as data-* attributes on that tag (data-server, data-title, data-color) or as an
 * object defined before it:  window.YanglaoChatConfig = {server: "https://BOT-HOST", title: "…", color: "#a61b29"}
 * `server` defaults to the host the script was loaded from. The widget talks to the REST channel
 * (POST {server}/webhooks/rest/webhook {sender, message} -> [{text}]) and keeps the visitor's id, the
 * conversation and the display settings in localStorage, so a reload shows the same conversation.
 * Its markup lives in a shadow root: the portal's CSS and the widget's do not touch each other.
 */
(function () {
  "use strict";
  if (window.YanglaoChat && window.YanglaoChat.loaded) return;

  // ------------------------------------------------------------------ configuration
  var script = document.currentScript || (function () {
    var all = document.getElementsByTagName("script");
    for (var i = all.length - 1; i >= 0; i--) if (/widget\.js(\?|#|$)/.test(all[i].src)) return all[i];
    return null;
  })();
  var cfg = window.YanglaoChatConfig || {};
  var data = (script && script.dataset) || {};
  var scriptUrl = new URL(script && script.src ? script.src : "static/widget.js", location.href);
  var server = String(cfg.server || data.server || new URL("../", scriptUrl).href).replace(/\/+$/, "");
  var cssUrl = cfg.css || new URL("widget.css", scriptUrl).href;
  var title = String(cfg.title || data.title || "养老政策助手");
  var color = cssColor(cfg.color || data.color) || "#a61b29";
  var STORE_KEY = "yanglao-chat:v1:" + server;
  var MAX_MESSAGES = 200;
  var KEEP_DAYS = 30;
  var TIMEOUT_MS = 30000;
  var CITIES = ["济宁", "枣庄", "聊城"];
  var STARTERS = ["我父亲能领什么补贴？", "我母亲80岁，济宁的，能享受哪些服务？"];

  function cssColor(value) {
    if (!value) return null;
    var probe = document.createElement("span").style;
    probe.color = String(value);
    return probe.color ? String(value) : null;
  }

  // Black or white text on the accent colour, whichever contrasts more (WCAG relative luminance).
  function textOn(colour) {
    var probe = document.createElement("span");
    probe.style.color = colour;
    probe.style.display = "none";
    document.body.appendChild(probe);
    var rgb = (getComputedStyle(probe).color.match(/\d+(\.\d+)?/g) || [0, 0, 0]).slice(0, 3).map(Number);
    probe.parentNode.removeChild(probe);
    var lum = rgb.map(function (c) {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    var l = 0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2];
    return (1.05 / (l + 0.05)) >= ((l + 0.05) / 0.05) ? "#ffffff" : "#000000";
  }

  // ------------------------------------------------------------------ state (localStorage)
  var store = (function () {
    try {
      var k = "__yanglao_probe__";
      window.localStorage.setItem(k, "1");
      window.localStorage.removeItem(k);
      return window.localStorage;
    } catch (e) {
      var mem = {};
      return {
        getItem: function (key) { return Object.prototype.hasOwnProperty.call(mem, key) ? mem[key] : null; },
        setItem: function (key, value) { mem[key] = String(value); },
        removeItem: function (key) { delete mem[key]; }
      };
    }
  })();

  function newId() {
    var bytes = new Uint8Array(16);
    if (window.crypto && window.crypto.getRandomValues) window.crypto.getRandomValues(bytes);
    else for (var i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
    return "web-" + Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function fresh(old) {
    return { v: 1, sender: newId(), messages: [], open: false, large: !!(old && old.large),
             contrast: !!(old && old.contrast), updated: Date.now() };
  }

  function load() {
    var s = null;
    try { s = JSON.parse(store.getItem(STORE_KEY) || "null"); } catch (e) { s = null; }
    if (!s || s.v !== 1 || typeof s.sender !== "string" || !Array.isArray(s.messages)) return fresh(s);
    if (Date.now() - (s.updated || 0) > KEEP_DAYS * 864e5) return fresh(s);
    return s;
  }

  function save() {
    state.updated = Date.now();
    if (state.messages.length > MAX_MESSAGES) state.messages = state.messages.slice(-MAX_MESSAGES);
    try { store.setItem(STORE_KEY, JSON.stringify(state)); } catch (e) { /* full or blocked: keep in memory */ }
  }

  var state = load();

  // ID-card and mobile numbers never leave the browser or reach its storage (the server masks them too).
  // Also numbers in groups as people type them ("370481 1950 0223 8281", "137.7568.7122", "（138）12345678",
  // zero-width spaces between groups), as bot/nlu/normaliser.py does: consecutive groups whose digits together
  // are a mobile number or an ID number with a real birth date; ages, amounts and dates stay.
  var GROUP_RUN = /\(?[0-9]+(?:\)?[ .\-\u00b7_\u200b\u200c\u200d\u2060\ufeff\u3000]{0,3}\(?[0-9]+)*\)?[Xx]?/g;
  var WHOLE_PHONE = /^1[3-9][0-9]{9}$/;
  var WHOLE_ID = /^[1-9][0-9]{5}(?:(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx]|[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3})$/;

  function maskGrouped(text) {
    // a copy of the same length with full-width digits, brackets and dots as ASCII, so its spans are the text's
    var folded = text.replace(/[\uff10-\uff19\uff08\uff09\uff0e]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
    });
    var spans = [], run;
    GROUP_RUN.lastIndex = 0;
    while ((run = GROUP_RUN.exec(folded)) !== null) {
      if (run.index > 0 && /[0-9]/.test(folded[run.index - 1])) continue;
      var groups = [], g, re = /[0-9]+/g;
      while ((g = re.exec(run[0])) !== null) groups.push([run.index + g.index, run.index + g.index + g[0].length]);
      if (/[Xx]$/.test(run[0])) groups[groups.length - 1][1] = run.index + run[0].length;
      for (var i = 0; i < groups.length; i++) {
        var digits = "", found = null;
        for (var j = i; j < groups.length; j++) {
          digits += folded.slice(groups[j][0], groups[j][1]);
          if (digits.length > 18) break;
          if (WHOLE_PHONE.test(digits)) found = [j, "[手机号已隐去]"];
          else if (WHOLE_ID.test(digits)) found = [j, "[身份证号已隐去]"];
        }
        if (!found) continue;
        var start = groups[i][0], end = groups[found[0]][1];
        if (start > run.index && folded[start - 1] === "(") start -= 1;
        if (folded[end] === ")") end += 1;
        spans.push([start, end, found[1]]);
        i = found[0];
      }
    }
    for (var k = spans.length - 1; k >= 0; k--) text = text.slice(0, spans[k][0]) + spans[k][2] + text.slice(spans[k][1]);
    return text;
  }

  function maskPii(text) {
    return maskGrouped(text
      .replace(/(^|[^0-9])(\d{17}[0-9Xx]|[1-9]\d{14})(?![0-9Xx])/g, "$1[身份证号已隐去]")
      .replace(/(^|[^0-9])((?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2})(?![0-9])/g, "$1[手机号已隐去]"));
  }

  // ------------------------------------------------------------------ DOM helpers
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    attrs = attrs || {};
    Object.keys(attrs).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === "text") node.textContent = value;
      else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function chatIcon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "ylw-bubble-icon");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("fill", "currentColor");
    path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z");
    svg.appendChild(path);
    return svg;
  }

  function srOnly(text) { return el("span", { "class": "ylw-sr", text: text }); }

  // ------------------------------------------------------------------ reading the bot's answers
  // "12. 高龄津贴：30元/月；牵头部门：市卫生健康委〔proviso〕【办公室便函〔2023〕1号 附件2 第12项】"
  var ITEM_RE = /^(\d+)\.\s*(.+?)：(.*)；牵头部门：(.*?)(?:〔(.*)〕)?【(.*)】$/;

  function parseAnswer(text) {
    var lines = String(text).split("\n");
    if (lines.length < 2 || !/可享受：$/.test(lines[0])) return null;
    var answer = { head: lines[0], items: [], notes: [], total: null, hints: [], basis: null };
    var inHints = false;
    for (var i = 1; i < lines.length; i++) {
      var line = lines[i].trim();
      if (!line) continue;
      var m = ITEM_RE.exec(line);
      if (m && !inHints) {
        answer.items.push({ no: m[1], name: m[2], amount: m[3], agency: m[4], proviso: m[5] || "", source: m[6] });
      } else if (/^每月合计|^有明确金额的现金补贴/.test(line)) {
        answer.total = line;
      } else if (line === "还可能享受：") {
        inHints = true;
      } else if (inHints && line.charAt(0) === "·") {
        var body = line.replace(/^·\s*/, "");
        var cut = body.indexOf("：");
        answer.hints.push(cut > 0 ? { when: body.slice(0, cut), what: body.slice(cut + 1) } : { when: "", what: body });
      } else if (/^依据：/.test(line)) {
        answer.basis = line;
        inHints = false;
      } else {
        answer.notes.push(line);
      }
    }
    return answer.items.length || answer.hints.length || answer.notes.length ? answer : null;
  }

  function hasMoney(amount) { return /\d+(\.\d+)?元/.test(amount) && amount.indexOf("标准按当地规定") !== 0; }

  // ------------------------------------------------------------------ the widget's markup
  var host = el("div", { "data-yanglao-chat": "" });
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  var wrap = el("div", { "class": "ylw-root ylw-loading" });
  wrap.style.setProperty("--ylw-brand", color);

  var bubble = el("button", {
    type: "button", "class": "ylw-bubble", "aria-haspopup": "dialog", "aria-expanded": "false",
    "aria-controls": "ylw-panel", onclick: function () { setOpen(!state.open, true); }
  }, [chatIcon(), el("span", { "class": "ylw-bubble-text", text: "政策咨询" }), srOnly("：打开" + title)]);

  var largeBtn = el("button", { type: "button", "class": "ylw-tool", "aria-pressed": "false",
    title: "放大或还原字号", onclick: function () { state.large = !state.large; save(); applyDisplay(); } }, ["大字"]);
  var contrastBtn = el("button", { type: "button", "class": "ylw-tool", "aria-pressed": "false",
    title: "黑底白字高对比显示", onclick: function () { state.contrast = !state.contrast; save(); applyDisplay(); } }, ["高对比"]);
  var clearBtn = el("button", { type: "button", "class": "ylw-tool", "aria-label": "清空对话记录，重新开始",
    onclick: resetConversation }, ["清空"]);
  var closeBtn = el("button", { type: "button", "class": "ylw-tool ylw-close", "aria-label": "关闭对话窗口",
    onclick: function () { setOpen(false, true); } }, ["关闭"]);

  var log = el("div", { "class": "ylw-log", role: "log", "aria-live": "polite", "aria-label": "对话内容", tabindex: "0" });
  var status = el("div", { "class": "ylw-status", role: "status", "aria-live": "polite" });
  var quick = el("div", { "class": "ylw-quick", role: "group", "aria-label": "快捷回答" });
  var input = el("input", {
    id: "ylw-input", "class": "ylw-input", type: "text", autocomplete: "off", enterkeyhint: "send", maxlength: "500",
    placeholder: "请输入您的问题", "aria-describedby": "ylw-note"
  });
  var sendBtn = el("button", { type: "submit", "class": "ylw-send" }, ["发送"]);
  var form = el("form", { "class": "ylw-form", onsubmit: function (e) { e.preventDefault(); send(input.value); } },
    [el("label", { "for": "ylw-input", "class": "ylw-sr", text: "输入您的问题，按回车发送" }), input, sendBtn]);
  var panel = el("section", { id: "ylw-panel", "class": "ylw-panel", role: "dialog", "aria-labelledby": "ylw-title",
    hidden: true }, [
    el("header", { "class": "ylw-head" }, [
      el("h2", { id: "ylw-title", "class": "ylw-title", text: title }),
      el("div", { "class": "ylw-tools", role: "toolbar", "aria-label": "显示设置" }, [largeBtn, contrastBtn, clearBtn, closeBtn])
    ]),
    log, status, quick, form,
    el("p", { id: "ylw-note", "class": "ylw-note", text: "仅提供政策查询，请勿输入身份证号、手机号等个人信息。" })
  ]);
  panel.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { e.preventDefault(); setOpen(false, true); }
  });

  wrap.appendChild(bubble);
  wrap.appendChild(panel);
  var css = el("link", { rel: "stylesheet", href: cssUrl });
  function styled() {
    if (!wrap.classList.contains("ylw-loading")) return;
    wrap.classList.remove("ylw-loading");
    if (state.open) scrollToEnd();  // the layout is known only now
  }
  css.addEventListener("load", styled);
  css.addEventListener("error", styled);
  setTimeout(styled, 4000);
  root.appendChild(css);
  root.appendChild(wrap);

  function mount() {
    document.body.appendChild(host);
    wrap.style.setProperty("--ylw-on-brand", textOn(color));
    applyDisplay();
    if (state.open) setOpen(true, false);
  }

  function applyDisplay() {
    wrap.classList.toggle("ylw-large", !!state.large);
    wrap.classList.toggle("ylw-contrast", !!state.contrast);
    largeBtn.setAttribute("aria-pressed", String(!!state.large));
    contrastBtn.setAttribute("aria-pressed", String(!!state.contrast));
  }

  var rendered = false;
  function setOpen(open, moveFocus) {
    state.open = open;
    save();
    panel.hidden = !open;
    wrap.classList.toggle("ylw-open", open);
    bubble.setAttribute("aria-expanded", String(open));
    if (open) {
      if (!rendered) renderAll();
      scrollToEnd();
      if (moveFocus) input.focus();
    } else if (moveFocus) {
      bubble.focus();
    }
  }

  // ------------------------------------------------------------------ rendering messages
  function renderAll() {
    rendered = true;
    log.setAttribute("aria-busy", "true");
    log.textContent = "";
    log.appendChild(welcome());
    state.messages.forEach(function (m) { log.appendChild(renderMessage(m)); });
    log.setAttribute("aria-busy", "false");
    renderQuick();
  }

  function welcome() {
    return el("div", { "class": "ylw-msg ylw-bot ylw-welcome" }, [
      srOnly("助手说："),
      el("p", { text: "您好！我是" + title + "，可以查询济宁、枣庄、聊城的老年人能享受哪些补贴和服务、每月多少钱、找哪个部门办理。" }),
      el("p", { text: "请告诉我老人的户籍所在城市（或县区）、年龄，以及是否是低保或特困人员。" })
    ]);
  }

  function renderMessage(m) {
    if (m.who === "user") {
      return el("div", { "class": "ylw-msg ylw-user" }, [srOnly("您说："), el("p", { text: m.text })]);
    }
    var parsed = parseAnswer(m.text);
    var node = el("div", { "class": "ylw-msg ylw-bot" + (parsed ? " ylw-answer" : "") }, [srOnly("助手说：")]);
    if (parsed) node.appendChild(answerCard(parsed, m.text));
    else m.text.split("\n").forEach(function (line) { node.appendChild(el("p", { text: line })); });
    if (!m.ack) node.appendChild(feedbackBar(m));
    return node;
  }

  // 有用 / 没用 under each answer: sent as a message about that answer (its start goes along, so the server
  // finds it in the conversation); 没用 enters the review queue and the reply offers the hotline.
  var FEEDBACK_HEAD = 80;
  function feedbackBar(m) {
    var bar = el("div", { "class": "ylw-feedback" });
    if (m.rated) {
      bar.appendChild(el("span", { text: "已反馈：" + (m.rated === "up" ? "有用" : "没用") }));
      return bar;
    }
    [["up", "有用"], ["down", "没用"]].forEach(function (pair) {
      bar.appendChild(el("button", { type: "button", "class": "ylw-rate", "aria-label": "这条回答" + pair[1],
        onclick: function () {
          if (pending) return;
          m.rated = pair[0];
          save();
          bar.parentNode && bar.parentNode.replaceChild(feedbackBar(m), bar);
          send(pair[1], null, { answer: m.text.slice(0, FEEDBACK_HEAD) }, true);
        } }, [pair[1]]));
    });
    return bar;
  }

  // Items with a figure first (what the family asked: "能领什么"), then the services; each keeps its number in
  // the city's list, so the order of the documents stays traceable.
  function answerCard(a, text) {
    function table(items, caption) {
      return el("table", { "class": "ylw-table" }, [
        el("caption", { "class": "ylw-sr", text: caption + "：项目、标准、牵头部门、依据" }),
        el("thead", {}, [el("tr", {}, [
          el("th", { scope: "col", text: "项目" }), el("th", { scope: "col", text: "标准（每月）" }),
          el("th", { scope: "col", text: "牵头部门" }), el("th", { scope: "col", text: "依据" })
        ])]),
        el("tbody", {}, items.map(function (it) {
          return el("tr", { "class": hasMoney(it.amount) ? "ylw-money" : null }, [
            el("th", { scope: "row", "data-label": "项目" }, [
              el("span", { "class": "ylw-no", text: it.no + ". " }), it.name,
              it.proviso ? el("span", { "class": "ylw-proviso", text: "（" + it.proviso + "）" }) : null
            ]),
            el("td", { "data-label": "标准", "class": "ylw-amount", text: it.amount }),
            el("td", { "data-label": "牵头部门", text: it.agency }),
            el("td", { "data-label": "依据", "class": "ylw-source", text: it.source })
          ]);
        }))
      ]);
    }
    var money = a.items.filter(function (it) { return hasMoney(it.amount); });
    var other = a.items.filter(function (it) { return !hasMoney(it.amount); });
    var card = el("div", { "class": "ylw-card" }, [el("p", { "class": "ylw-answer-head", text: a.head })]);
    a.notes.forEach(function (n) { card.appendChild(el("p", { text: n })); });
    if (money.length) {
      card.appendChild(el("h3", { "class": "ylw-group", text: "有明确金额的补贴（" + money.length + "项）" }));
      card.appendChild(table(money, "有明确金额的补贴"));
    }
    if (a.total) card.appendChild(el("p", { "class": "ylw-total", text: a.total }));
    if (other.length) {
      card.appendChild(el("h3", { "class": "ylw-group", text: (money.length ? "其他服务和待遇" : "可享受的项目") + "（" + other.length + "项）" }));
      card.appendChild(table(other, money.length ? "其他服务和待遇" : "可享受的项目"));
    }
    if (a.hints.length) {
      card.appendChild(el("div", { "class": "ylw-hints" }, [
        el("h3", { text: "还可能享受" }),
        el("ul", {}, a.hints.map(function (h) {
          return el("li", {}, h.when ? [el("strong", { text: h.when + "：" }), h.what] : [h.what]);
        }))
      ]));
    }
    if (a.basis) card.appendChild(el("p", { "class": "ylw-basis", text: a.basis }));
    card.appendChild(el("div", { "class": "ylw-actions" }, [
      el("button", { type: "button", "class": "ylw-action", "aria-label": "复制这条答复",
        onclick: function () { copyText(text); } }, ["复制"]),
      el("button", { type: "button", "class": "ylw-action", "aria-label": "打印这条答复",
        onclick: function () { printCard(card); } }, ["打印"])
    ]));
    return card;
  }

  function append(m) {
    var node = renderMessage(m);
    log.appendChild(node);
    scrollToEnd();
    return node;
  }

  function scrollToEnd() { log.scrollTop = log.scrollHeight; }

  // ------------------------------------------------------------------ quick replies
  function lastBot() {
    var m = state.messages[state.messages.length - 1];
    return m && m.who === "bot" ? m : null;
  }

  function renderQuick() {
    quick.textContent = "";
    if (pending) return;
    var m = lastBot();
    if (!state.messages.length) return chips("您可以这样问：", STARTERS.map(function (s) { return { label: s, send: s }; }));
    if (!m) return;
    if (m.buttons && m.buttons.length) {
      return chips("请选择：", m.buttons.map(function (b) { return { label: b.title, send: b.payload || b.title, shown: b.title }; }));
    }
    if (/回复 同意 生成查询码/.test(m.text)) return chips("需要查询码吗？", [{ label: "同意", send: "同意" }]);
    if (/要转人工吗/.test(m.text)) return chips("需要人工帮助吗？", [{ label: "转人工", send: "转人工" }]);
    if (/哪个城市或县区/.test(m.text)) {
      return chips("请选择城市（也可以直接输入县区，如 滕州、曲阜、临清）：",
        CITIES.map(function (c) { return { label: c, send: c }; }));
    }
    if (/多少周岁/.test(m.text)) return agePad();
    if (/低保对象或特困人员/.test(m.text)) {
      return chips("请选择：", [{ label: "低保", send: "低保" }, { label: "特困", send: "特困" }, { label: "都不是", send: "都不是" },
        { label: "不清楚", send: "不清楚" }]);
    }
    if (/如能力评估为2—3级/.test(m.text)) {
      return chips("还想了解：", [{ label: "如果能力评估是2级呢？", send: "要是能力评估是2级呢" }]);
    }
  }

  function chips(label, options) {
    quick.appendChild(el("p", { "class": "ylw-quick-label", text: label }));
    quick.appendChild(el("div", { "class": "ylw-chips" }, options.map(function (o) {
      return el("button", { type: "button", "class": "ylw-chip", onclick: function () { send(o.send, o.shown); } }, [o.label]);
    })));
  }

  function agePad() {
    var digits = "";
    var shown = el("output", { "class": "ylw-age-value", "aria-live": "polite", text: "__ 周岁" });
    function update() { shown.textContent = (digits || "__") + " 周岁"; ok.disabled = !digits; }
    function press(d) { if (digits.length < 3) { digits = (digits + d).replace(/^0+/, ""); update(); } }
    var keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9"].map(function (d) {
      return el("button", { type: "button", "class": "ylw-key", onclick: function () { press(d); } }, [d]);
    });
    var del = el("button", { type: "button", "class": "ylw-key ylw-key-del", "aria-label": "删除一位",
      onclick: function () { digits = digits.slice(0, -1); update(); } }, ["删除"]);
    var zero = el("button", { type: "button", "class": "ylw-key", onclick: function () { press("0"); } }, ["0"]);
    var ok = el("button", { type: "button", "class": "ylw-key ylw-key-ok", "aria-label": "确定年龄",
      onclick: function () { if (digits) send(digits + "岁"); } }, ["确定"]);
    var pad = el("div", { "class": "ylw-agepad", role: "group", "aria-label": "输入老人年龄" }, [
      el("div", { "class": "ylw-age-row" }, [el("span", { text: "老人年龄：" }), shown]),
      el("div", { "class": "ylw-keys" }, keys.concat([del, zero, ok]))
    ]);
    pad.addEventListener("keydown", function (e) {
      if (/^[0-9]$/.test(e.key)) { press(e.key); e.preventDefault(); }
      else if (e.key === "Backspace") { digits = digits.slice(0, -1); update(); e.preventDefault(); }
    });
    update();
    quick.appendChild(el("p", { "class": "ylw-quick-label", text: "请点数字输入年龄（周岁），再点“确定”；也可以直接在下面输入：" }));
    quick.appendChild(pad);
  }

  // ------------------------------------------------------------------ talking to the server
  var pending = false;
  var thinking = null;

  function setPending(on) {
    pending = on;
    sendBtn.disabled = on;
    if (on) {
      thinking = el("div", { "class": "ylw-msg ylw-bot ylw-thinking" }, [el("p", { text: "正在查询，请稍候……" })]);
      log.appendChild(thinking);
      scrollToEnd();
      quick.textContent = "";
    } else if (thinking) {
      thinking.parentNode && thinking.parentNode.removeChild(thinking);
      thinking = null;
    }
  }

  function post(text, extra) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () { if (controller) controller.abort(); }, TIMEOUT_MS);
    // The widget shows every item as a card: it asks for the full per-item answer, not the short one.
    // "client" lets the review queue count the widget apart from other REST clients.
    var metadata = { detail: "full", client: "widget" };
    Object.keys(extra || {}).forEach(function (k) { metadata[k] = extra[k]; });
    return fetch(server + "/webhooks/rest/webhook", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: state.sender, message: text, metadata: metadata }),
      credentials: "omit",
      signal: controller ? controller.signal : undefined
    }).then(function (r) {
      clearTimeout(timer);
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }, function (err) { clearTimeout(timer); throw err; });
  }

  function send(raw, shownLabel, extra, isFeedback) {
    var text = maskPii(String(raw || "").trim());
    if (!text || pending) return;
    status.textContent = "";
    var msg = { who: "user", text: shownLabel || text, t: Date.now() };
    state.messages.push(msg);
    save();
    var node = append(msg);
    input.value = "";
    setPending(true);
    post(text, extra).then(function (replies) {
      var got = 0;
      (Array.isArray(replies) ? replies : []).forEach(function (r) {
        if (!r || (!r.text && !(r.buttons && r.buttons.length))) return;
        var bot = { who: "bot", text: String(r.text || ""), t: Date.now() };
        if (isFeedback) bot.ack = true;  // the thanks for feedback gets no buttons of its own
        if (r.buttons && r.buttons.length) {
          bot.buttons = r.buttons.map(function (b) { return { title: String(b.title || ""), payload: String(b.payload || b.title || "") }; });
        }
        state.messages.push(bot);
        got++;
      });
      if (!got) state.messages.push({ who: "bot", text: "抱歉，暂时没有答复，请换个说法再试。", t: Date.now() });
      save();
      setPending(false);
      var nodes = state.messages.slice(-Math.max(got, 1)).map(append);
      // A long answer is read from its first line: show its top, not its end.
      log.scrollTop = Math.max(0, nodes[0].offsetTop - 8);
    }).catch(function () {
      var i = state.messages.indexOf(msg);
      if (i >= 0) state.messages.splice(i, 1);
      save();
      setPending(false);
      if (node.parentNode) node.parentNode.removeChild(node);
      input.value = shownLabel ? "" : text;
      status.textContent = "网络连接失败，消息没有发出，请稍后再点“发送”。";
      status.classList.add("ylw-error");
    }).then(function () {
      renderQuick();
      // A quick reply that was clicked is gone: keep the keyboard in the conversation.
      var focused = root.activeElement !== undefined ? root.activeElement : document.activeElement;
      if (!panel.hidden && (!focused || focused === document.body)) input.focus();
    });
  }

  function resetConversation() {
    if (state.messages.length && !window.confirm("清空对话记录并重新开始吗？")) return;
    var old = state;
    state = fresh(old);
    state.open = true;
    save();
    status.textContent = "对话已清空。";
    renderAll();
    input.focus();
  }

  // ------------------------------------------------------------------ copy and print
  function copyText(text) {
    function done(ok) {
      status.classList.remove("ylw-error");
      status.textContent = ok ? "已复制，可以粘贴到短信或微信里。" : "复制失败，请长按文字手动复制。";
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(legacyCopy(text)); });
    } else {
      done(legacyCopy(text));
    }
  }

  function legacyCopy(text) {
    var area = el("textarea", { readonly: true, "aria-hidden": "true" });
    area.value = text;
    area.style.position = "fixed";
    area.style.opacity = "0";
    root.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    root.removeChild(area);
    return ok;
  }

  function printCard(card) {
    var frame = document.createElement("iframe");
    frame.setAttribute("aria-hidden", "true");
    frame.setAttribute("tabindex", "-1");
    frame.setAttribute("title", "打印");
    ["position:fixed", "right:0", "bottom:0", "width:0", "height:0", "border:0"].forEach(function (rule) {
      var kv = rule.split(":");
      frame.style.setProperty(kv[0], kv[1]);
    });
    document.body.appendChild(frame);
    var doc = frame.contentDocument;
    doc.open();
    doc.close();
    doc.title = title;
    var link = doc.createElement("link");
    link.rel = "stylesheet";
    link.href = cssUrl;
    doc.head.appendChild(link);
    var page = doc.createElement("div");
    page.className = "ylw-root ylw-print";
    var heading = doc.createElement("h1");
    heading.textContent = title + " · 查询结果（" + new Date().toLocaleDateString("zh-CN") + "）";
    page.appendChild(heading);
    page.appendChild(doc.importNode(card, true));
    doc.body.appendChild(page);
    var printed = false;
    function go() {
      if (printed) return;
      printed = true;
      try { frame.contentWindow.focus(); frame.contentWindow.print(); } catch (e) { /* printing unavailable */ }
      setTimeout(function () { if (frame.parentNode) frame.parentNode.removeChild(frame); }, 1000);
    }
    link.addEventListener("load", go);
    link.addEventListener("error", go);
    setTimeout(go, 1500);
  }

  // Another tab of the same portal changed the conversation.
  window.addEventListener("storage", function (e) {
    if (e.key !== STORE_KEY) return;
    state = load();
    applyDisplay();
    if (rendered) renderAll();
  });

  window.YanglaoChat = {
    loaded: true,
    open: function () { setOpen(true, true); },
    close: function () { setOpen(false, false); },
    reset: function () { state = fresh(state); save(); renderAll(); }
  };

  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
