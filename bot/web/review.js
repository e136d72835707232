/* 复核队列 page: counts by day, channel, topic and reason; the entries with a note to resolve each; the selected
   ones exported as Rasa NLU YAML under the intent chosen for each. Text is set with textContent only. */
(function () {
  "use strict";

  var $ = function (id) { return document.getElementById(id); };
  var REASONS = { not_understood: "没听懂", out_of_scope: "超出范围", low_confidence: "意图置信度低",
    feedback: "用户反馈没用", handoff: "转人工" };
  var CHANNELS = { rest: "网页接口", widget: "网站聊天窗口", wechat: "微信公众号" };
  var intents = [];

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function request(method, url, body) {
    return fetch(url, { method: method, credentials: "same-origin",
      headers: body ? { "Content-Type": "application/json" } : {}, body: body ? JSON.stringify(body) : undefined })
      .then(function (r) {
        if (r.status === 401) { location.href = "/console/login"; throw new Error("login"); }
        return r;
      });
  }

  function fill(id, counts, names) {
    var body = document.querySelector("#" + id + " tbody");
    body.textContent = "";
    var keys = Object.keys(counts);
    if (!keys.length) { var tr0 = el("tr"); tr0.appendChild(el("td", "（无）")); body.appendChild(tr0); }
    keys.forEach(function (k) {
      var tr = el("tr");
      tr.appendChild(el("th", (names && names[k]) || k));
      tr.appendChild(el("td", String(counts[k])));
      body.appendChild(tr);
    });
  }

  function intentSelect(entry) {
    var select = el("select");
    select.setAttribute("aria-label", "训练意图（条目 " + entry.id + "）");
    intents.forEach(function (name) {
      var o = el("option", name);
      o.value = name;
      if (name === entry.intent) o.selected = true;
      select.appendChild(o);
    });
    return select;
  }

  function row(e) {
    var tr = el("tr");
    tr.dataset.id = e.id;
    var pick = el("input");
    pick.type = "checkbox"; pick.className = "pick"; pick.setAttribute("aria-label", "选择条目 " + e.id);
    var cell = el("td"); cell.appendChild(pick); tr.appendChild(cell);
    tr.appendChild(el("td", new Date(e.at * 1000).toLocaleString("zh-CN", { hour12: false, timeZone: "Asia/Shanghai" })));
    tr.appendChild(el("td", CHANNELS[e.channel] || e.channel));
    tr.appendChild(el("td", (REASONS[e.reason] || e.reason) + (e.detail && e.reason === "feedback" ? "：" + e.detail : "")));
    tr.appendChild(el("td", e.text, "text"));
    tr.appendChild(el("td", (e.intent || "—") + (e.confidence === null ? "" : " / " + e.confidence.toFixed(2))));
    tr.appendChild(el("td", e.topic));
    var reply = el("td"); reply.appendChild(el("div", e.reply_text, "reply")); tr.appendChild(reply);
    cell = el("td"); cell.appendChild(intentSelect(e)); tr.appendChild(cell);
    cell = el("td");
    if (e.resolved) {
      cell.appendChild(el("span", "已处理" + (e.note ? "：" + e.note : "")));
    } else {
      var note = el("input"); note.className = "note"; note.placeholder = "处理备注";
      note.setAttribute("aria-label", "处理备注（条目 " + e.id + "）");
      var done = el("button", "标记已处理"); done.type = "button"; done.className = "resolve";
      done.addEventListener("click", function () {
        request("POST", "/api/review/resolve", { id: e.id, note: note.value }).then(function () { load(); });
      });
      cell.appendChild(note); cell.appendChild(done);
    }
    tr.appendChild(cell);
    return tr;
  }

  function load() {
    var status = $("review-status");
    request("GET", "/api/review?status=" + encodeURIComponent($("filter").value))
      .then(function (r) { return r.json(); })
      .then(function (data) {
        intents = data.intents;
        fill("by-day", data.counts.by_day);
        fill("by-channel", data.counts.by_channel, CHANNELS);
        fill("by-topic", data.counts.by_topic);
        fill("by-reason", data.counts.by_reason, REASONS);
        status.textContent = "待处理 " + data.counts.open + " 条，已处理 " + data.counts.resolved + " 条。";
        var body = document.querySelector("#entries tbody");
        body.textContent = "";
        data.entries.forEach(function (e) { body.appendChild(row(e)); });
        if (!data.entries.length) { var tr = el("tr"); var td = el("td", "没有条目"); td.colSpan = 10; tr.appendChild(td); body.appendChild(tr); }
      })
      .catch(function (err) { if (err.message !== "login") status.textContent = "加载失败，请刷新"; });
  }

  $("filter").addEventListener("change", load);
  $("export").addEventListener("click", function () {
    var chosen = Array.prototype.filter.call(document.querySelectorAll("#entries tbody tr"), function (tr) {
      var box = tr.querySelector(".pick"); return box && box.checked;
    }).map(function (tr) { return { id: Number(tr.dataset.id), intent: tr.querySelector("select").value }; });
    var status = $("export-status");
    if (!chosen.length) { status.textContent = "请先勾选要导出的条目"; return; }
    request("POST", "/api/review/export", { entries: chosen }).then(function (r) {
      return r.text().then(function (text) {
        if (!r.ok) { status.textContent = JSON.parse(text).error || "导出失败"; return; }
        $("export-text").textContent = text;
        $("export-text").hidden = false;
        var link = el("a", "下载 review-nlu.yml");
        link.href = URL.createObjectURL(new Blob([text], { type: "application/x-yaml" }));
        link.download = "review-nlu.yml";
        status.textContent = "已导出 " + chosen.length + " 条：";
        status.appendChild(link);
      });
    });
  });
  load();
})();
