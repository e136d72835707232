/* 养老政策运营控制台: the profile form re-queries /api/lookup (with the three-city comparison) as the operator
   types; a search box queries /api/facts; a banner shows /api/kb/status (sources ending soon or ended). All three
   answer for the day in the form's date field (empty: today). Same-origin requests carry the login cookie.
   No dependencies. */
(function () {
  "use strict";

  var $ = function (id) { return document.getElementById(id); };
  var form = $("profile");
  var statusLine = $("status");
  var errorLine = $("error");
  var meta = null;
  var seq = 0;
  var timer = null;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === "text") node.textContent = v;
      else node.setAttribute(k, v === true ? "" : v);
    });
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function api(method, url, body) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined
    }).then(function (r) {
      if (r.status === 401) { location.href = "/console/login"; throw new Error("login"); }
      return r.json().then(function (data) {
        if (!r.ok) { var e = new Error(data.error || ("HTTP " + r.status)); e.api = true; throw e; }
        return data;
      });
    });
  }

  // ------------------------------------------------------------------ the form
  function profile() {
    var statuses = Array.prototype.filter.call(document.querySelectorAll("#statuses input"), function (c) {
      return c.checked;
    }).map(function (c) { return c.value; });
    var age = $("age").value.trim();
    return {
      place: $("place").value.trim(),
      age: age === "" ? null : Number(age),
      statuses: statuses,
      ability_grade: $("ability").value === "" ? null : Number($("ability").value),
      disability_grade: $("disability").value === "" ? null : Number($("disability").value),
      unknown_is_no: $("unknown_is_no").checked,
      compare: true,
      on: day()
    };
  }

  function day() { return $("on").value; }  // "YYYY-MM-DD" or "" (the server's today)

  // ------------------------------------------------------------------ the KB's lapse warnings
  function loadStatus() {
    var url = "/api/kb/status" + (day() ? "?on=" + encodeURIComponent(day()) : "");
    api("GET", url).then(function (data) {
      var banner = $("kb-banner");
      var ul = banner.querySelector("ul");
      ul.textContent = "";
      data.warnings.forEach(function (w) { ul.appendChild(el("li", { "class": w.kind, text: w.text })); });
      // The facts' own warnings (python -m rules_kb check): one folded group per kind, its count in the summary.
      var groups = $("kb-fact-warnings");
      groups.textContent = "";
      Object.keys(data.fact_warning_headings).forEach(function (kind) {
        var found = data.fact_warnings.filter(function (w) { return w.kind === kind; });
        if (!found.length) return;
        groups.appendChild(el("details", { "class": kind }, [
          el("summary", { text: data.fact_warning_headings[kind] + "（" + found.length + "条）" }),
          el("ul", {}, found.map(function (w) { return el("li", { text: w.text }); }))
        ]));
      });
      $("kb-banner-title").textContent = "知识库到期提示（按" + data.on + "，提前" + data.within + "天）：";
      banner.hidden = !data.warnings.length && !data.fact_warnings.length;
    }, function (err) {
      if (err.message !== "login") showError(err.api ? err.message : "无法连接服务器，请稍后再试。");
    });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(lookup, 200);
  }

  function showError(message) {
    errorLine.textContent = message || "";
    errorLine.hidden = !message;
  }

  function lookup() {
    var p = profile();
    if (!p.place) {
      showError("");
      statusLine.textContent = "请输入城市或县区和年龄。";
      return;
    }
    if (p.age !== null && (!Number.isInteger(p.age))) {
      showError("年龄请填写整数周岁。");
      return;
    }
    var mine = ++seq;
    api("POST", "/api/lookup", p).then(function (data) {
      if (mine !== seq) return;
      showError("");
      renderAnswer(data);
      renderCompare(data.compare);
    }, function (err) {
      if (mine !== seq || err.message === "login") return;
      showError(err.api ? err.message : "无法连接服务器，请稍后再试。");
      statusLine.textContent = "查询未完成。";
    });
  }

  // ------------------------------------------------------------------ one city: the table
  function fmtYuan(x) { return (Math.round(x * 100) / 100) + "元"; }

  function renderAnswer(a) {
    var p = a.profile;
    var facts = [p.county || p.city, p.age === null ? "年龄未知" : p.age + "周岁"].concat(p.statuses);
    if (p.ability_grade !== null) facts.push("能力评估" + p.ability_grade + "级");
    if (p.disability_grade !== null) facts.push("残疾" + p.disability_grade + "级");
    $("summary").textContent = "（" + facts.join("，") + "）按" + p.city + "市基本养老服务政策可享受 " + a.items.length + " 项";
    var tbody = $("items").querySelector("tbody");
    tbody.textContent = "";
    a.items.forEach(function (it, i) {
      var money = it.amount_yuan_per_month !== null;
      tbody.appendChild(el("tr", { "class": money ? "money" : null }, [
        el("td", { text: String(i + 1) }),
        el("th", { scope: "row" }, [it.name, it.proviso ? el("span", { "class": "proviso", text: "〔" + it.proviso + "〕" }) : null]),
        el("td", { "class": "amount", text: it.amount_text }),
        el("td", { text: it.agency }),
        el("td", { "class": "source", text: it.citations.join("；") }),
        el("td", { "class": "reason", text: it.reason })
      ]));
    });
    $("items").hidden = !a.items.length;
    $("total").textContent = a.total_text || "暂无符合条件的项目。";
    $("total").hidden = false;
    var ul = $("hints").querySelector("ul");
    ul.textContent = "";
    a.hint_lines.forEach(function (line) {
      var cut = line.indexOf("：");
      ul.appendChild(el("li", {}, cut > 0 ? [el("strong", { text: line.slice(0, cut + 1) }), line.slice(cut + 1)] : [line]));
    });
    $("hints").hidden = !a.hint_lines.length;
    $("documents").textContent = a.basis.length ? "依据：" + a.basis.map(function (b) { return b.text; }).join("；") : "";
    $("documents").hidden = !a.documents.length;
    statusLine.textContent = "已更新：" + a.items.length + " 项，" +
      (a.monthly_total_yuan ? "每月合计" + (a.total_is_minimum ? "不低于" : "") + fmtYuan(a.monthly_total_yuan) : "无明确金额的现金补贴") +
      (a.hint_lines.length ? "，另有 " + a.hint_lines.length + " 条“还可能享受”提示。" : "。");
  }

  // ------------------------------------------------------------------ three cities side by side
  var lastCompare = null;
  function renderCompare(c) {
    lastCompare = c;
    var table = $("compare");
    if (!c) { table.hidden = true; return; }
    var thead = table.querySelector("thead");
    var tbody = table.querySelector("tbody");
    thead.textContent = "";
    tbody.textContent = "";
    thead.appendChild(el("tr", {}, [el("th", { scope: "col", text: "项目" })].concat(c.cities.map(function (city) {
      return el("th", { scope: "col", "class": city === c.home ? "home" : null, "data-city": city,
        text: city + (city === c.home ? "（本人户籍）" : "") });
    }))));
    var cashOnly = $("cash-only").checked;
    c.rows.filter(function (row) { return !cashOnly || row.kind === "cash"; }).forEach(function (row) {
      tbody.appendChild(el("tr", {}, [el("th", { scope: "row", text: row.name })].concat(c.cities.map(function (city) {
        var cell = row.cells[city];
        if (!cell) return el("td", { "class": "none" + (city === c.home ? " home" : ""), "data-city": city, text: "—" });
        return el("td", { "class": (cell.amount_yuan_per_month !== null ? "money" : "") + (city === c.home ? " home" : ""),
          "data-city": city, title: cell.agency + "【" + cell.source + "】" }, [
          el("span", { "class": "amount", text: cell.amount_text }),
          el("span", { "class": "cell-source", text: cell.agency + "【" + cell.source + "】" })
        ]);
      }))));
    });
    tbody.appendChild(el("tr", { "class": "total-row" }, [el("th", { scope: "row", text: "每月合计" })].concat(c.cities.map(function (city) {
      var t = c.totals[city];
      return el("td", { "data-city": city, "class": city === c.home ? "home" : null,
        text: t.monthly_total_yuan ? (t.total_is_minimum ? "不低于" : "") + fmtYuan(t.monthly_total_yuan) : "无明确金额" });
    }))));
    tbody.appendChild(el("tr", { "class": "hint-row" }, [el("th", { scope: "row", text: "还可能享受" })].concat(c.cities.map(function (city) {
      return el("td", { "data-city": city, "class": city === c.home ? "home" : null }, [
        el("ul", {}, c.hint_lines[city].map(function (line) { return el("li", { text: line }); }))
      ]);
    }))));
    table.hidden = false;
  }

  // ------------------------------------------------------------------ policy facts
  function searchFacts(e) {
    if (e) e.preventDefault();
    var q = $("q").value.trim();
    var list = $("facts");
    if (!q) { list.textContent = ""; $("facts-status").textContent = ""; return; }
    var url = "/api/facts?q=" + encodeURIComponent(q) + ($("facts-city").value ? "&city=" + encodeURIComponent($("facts-city").value) : "") +
      (day() ? "&on=" + encodeURIComponent(day()) : "");
    api("GET", url).then(function (data) {
      list.textContent = "";
      $("facts-status").textContent = data.count ? "找到 " + data.count + " 条：" : "未找到与“" + q + "”有关的政策内容。";
      data.facts.forEach(function (f) {
        var extra = [f.figure, f.due].filter(function (x) { return x && f.statement.indexOf(x) < 0; }).join("；");
        list.appendChild(el("li", {}, [
          el("span", { "class": "tag", text: f.city }),
          f.note ? el("span", { "class": "lapsed", text: "（" + f.note + "）" }) : null,
          el("strong", { text: f.title + "：" }), f.statement,
          extra ? el("span", { "class": "extra", text: "〔" + extra + "〕" }) : null,
          el("span", { "class": "cite", text: "牵头：" + f.agency + "【" + f.citation + "，" + f.source.date + "】" +
            (f.current ? "" : "（历史文件）") })
        ]));
      });
    }, function (err) {
      if (err.message === "login") return;
      $("facts-status").textContent = err.api ? err.message : "无法连接服务器，请稍后再试。";
    });
  }

  // ------------------------------------------------------------------ start
  function start(m) {
    meta = m;
    var datalist = $("places");
    m.cities.forEach(function (city) {
      datalist.appendChild(el("option", { value: city }));
      m.counties[city].forEach(function (county) { datalist.appendChild(el("option", { value: county, label: city })); });
      $("facts-city").appendChild(el("option", { value: city, text: city }));
    });
    var box = $("statuses");
    m.statuses.forEach(function (s, i) {
      box.appendChild(el("label", { "class": "check" }, [el("input", { type: "checkbox", value: s, id: "status-" + i }), " " + s]));
    });
    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
    form.addEventListener("submit", function (e) { e.preventDefault(); lookup(); });
    form.addEventListener("reset", function () { setTimeout(function () { lookup(); loadStatus(); }, 0); });
    $("on").addEventListener("change", function () { loadStatus(); searchFacts(); });
    $("facts-form").addEventListener("submit", searchFacts);
    $("q").addEventListener("input", function () { clearTimeout(searchFacts.t); searchFacts.t = setTimeout(searchFacts, 300); });
    $("facts-city").addEventListener("change", function () { searchFacts(); });
    $("print").addEventListener("click", function () { window.print(); });
    $("cash-only").addEventListener("change", function () { renderCompare(lastCompare); });
    loadStatus();
    document.body.classList.add("ready");
    if ($("place").value) lookup();
  }

  api("GET", "/api/meta").then(start, function (err) {
    if (err.message !== "login") showError(err.api ? err.message : "无法连接服务器，请刷新页面。");
  });
})();
