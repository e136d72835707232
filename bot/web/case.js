/* 查询码 page: the operator types the code a caller reads out; /api/case returns the masked case (profile,
   questions and answers). Text is set with textContent only: nothing from a conversation becomes markup. */
(function () {
  "use strict";

  var $ = function (id) { return document.getElementById(id); };
  var LABELS = { city: "城市", county: "县区", age: "年龄（周岁）", economic: "经济状况", statuses: "身份",
    not_statuses: "已说明不是", ability_grade: "能力评估等级", disability_grade: "残疾等级", relation: "与来电人关系" };
  var CHANNELS = { rest: "网页接口", widget: "网站聊天窗口", wechat: "微信公众号" };

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function when(seconds) { return new Date(seconds * 1000).toLocaleString("zh-CN", { hour12: false, timeZone: "Asia/Shanghai" }); }

  function show(data) {
    var c = data.case, dl = $("case-profile"), list = $("case-turns");
    dl.textContent = ""; list.textContent = "";
    var keys = Object.keys(c.profile || {});
    if (!keys.length) { dl.appendChild(el("dt", "—")); dl.appendChild(el("dd", "对话中还没有说明老人情况")); }
    keys.forEach(function (k) {
      var v = c.profile[k];
      dl.appendChild(el("dt", LABELS[k] || k));
      dl.appendChild(el("dd", Array.isArray(v) ? v.join("、") : String(v)));
    });
    $("case-meta").textContent = "渠道：" + (CHANNELS[c.channel] || c.channel) + "；生成于 " + when(data.created_at) +
      "；有效至 " + when(data.expires_at) + (c.turns_left_out ? "；较早的 " + c.turns_left_out + " 轮未显示" : "");
    (c.turns || []).forEach(function (t) {
      var li = el("li");
      li.appendChild(el("p", "问：" + t.q, "q"));
      li.appendChild(el("p", "答：" + (t.a || "（无回答）"), "a"));
      list.appendChild(li);
    });
    $("case").hidden = false;
  }

  $("case-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var status = $("case-status");
    $("case").hidden = true;
    status.textContent = "正在查询…";
    fetch("/api/case", { method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ code: $("code").value }) })
      .then(function (r) {
        if (r.status === 401) { location.href = "/console/login"; throw new Error("login"); }
        return r.json().then(function (data) { return { ok: r.ok, data: data }; });
      })
      .then(function (res) {
        if (!res.ok) { status.textContent = res.data.error || "查询失败"; return; }
        status.textContent = "";
        show(res.data);
      })
      .catch(function (err) { if (err.message !== "login") status.textContent = "网络错误，请重试"; });
  });
})();
