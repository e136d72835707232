/* 账号与审计 page (admins): accounts with their role and state, a new account, ending sessions, the audit log.
   Text is set with textContent only. */
(function () {
  "use strict";

  var $ = function (id) { return document.getElementById(id); };
  var ROLES = { operator: "坐席", reviewer: "复核员", admin: "管理员" };
  var ACTIONS = { login: "登录", login_failed: "登录失败", logout: "退出登录", case_lookup: "查看查询码",
    review_resolve: "处理复核条目", review_export: "导出训练数据", account_create: "新建账号",
    account_update: "修改账号", sessions_ended: "结束会话" };

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
        return r.json().then(function (data) {
          if (!r.ok) throw new Error(data.error || ("HTTP " + r.status));
          return data;
        });
      });
  }

  function status(text) { $("accounts-status").textContent = text; }

  function update(username, change, done) {
    var body = Object.assign({ username: username }, change);
    request("POST", "/api/accounts/update", body).then(function (r) {
      status(done + "：" + username + (r.sessions_ended ? "（已结束其 " + r.sessions_ended + " 个会话）" : ""));
      load();
    }).catch(function (e) { status(e.message); });
  }

  function accountRow(a) {
    var tr = el("tr");
    tr.appendChild(el("th", a.username));
    var role = el("select");
    role.setAttribute("aria-label", "角色（" + a.username + "）");
    Object.keys(ROLES).forEach(function (r) {
      var o = el("option", ROLES[r]); o.value = r; if (r === a.role) o.selected = true; role.appendChild(o);
    });
    role.addEventListener("change", function () { update(a.username, { role: role.value }, "已修改角色"); });
    var cell = el("td"); cell.appendChild(role); tr.appendChild(cell);
    tr.appendChild(el("td", a.active ? "启用" : "已停用"));
    var actions = el("td");
    var toggle = el("button", a.active ? "停用" : "启用");
    toggle.type = "button";
    toggle.addEventListener("click", function () {
      update(a.username, { active: !a.active }, a.active ? "已停用" : "已启用");
    });
    var reset = el("button", "重设密码");
    reset.type = "button";
    reset.addEventListener("click", function () {
      var pw = window.prompt("为 " + a.username + " 设置新密码（至少10个字符）：");
      if (pw) update(a.username, { password: pw }, "已重设密码");
    });
    var end = el("button", "结束其会话");
    end.type = "button";
    end.addEventListener("click", function () {
      request("POST", "/api/sessions/end", { username: a.username }).then(function (r) {
        status("已结束 " + a.username + " 的 " + r.ended + " 个会话"); load();
      }).catch(function (e) { status(e.message); });
    });
    actions.appendChild(toggle); actions.appendChild(reset); actions.appendChild(end);
    tr.appendChild(actions);
    return tr;
  }

  function auditRow(e) {
    var tr = el("tr");
    tr.appendChild(el("td", new Date(e.at * 1000).toLocaleString("zh-CN", { hour12: false, timeZone: "Asia/Shanghai" })));
    tr.appendChild(el("td", e.actor));
    tr.appendChild(el("td", ROLES[e.role] || e.role));
    tr.appendChild(el("td", e.address));
    tr.appendChild(el("td", ACTIONS[e.action] || e.action));
    tr.appendChild(el("td", e.case_digest ? e.case_digest.slice(0, 16) + "…" : (e.entries || []).join("、")));
    tr.appendChild(el("td", e.outcome));
    tr.appendChild(el("td", e.detail));
    return tr;
  }

  function load() {
    request("GET", "/api/accounts").then(function (data) {
      var body = document.querySelector("#accounts tbody");
      body.textContent = "";
      data.accounts.forEach(function (a) { body.appendChild(accountRow(a)); });
      $("session-count").textContent = String(data.sessions);
    }).catch(function (e) { status(e.message); });
    request("GET", "/api/audit?limit=200").then(function (data) {
      var body = document.querySelector("#audit tbody");
      body.textContent = "";
      data.entries.forEach(function (e) { body.appendChild(auditRow(e)); });
    }).catch(function (e) { status(e.message); });
  }

  $("new-account").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var body = { username: $("new-username").value.trim(), password: $("new-password").value, role: $("new-role").value };
    request("POST", "/api/accounts", body).then(function (a) {
      status("已新建账号：" + a.username + "（" + ROLES[a.role] + "）");
      $("new-account").reset();
      load();
    }).catch(function (e) { status(e.message); });
  });

  $("end-all").addEventListener("click", function () {
    if (!window.confirm("结束所有会话？所有人（包括您）都需要重新登录。")) return;
    request("POST", "/api/sessions/end", {}).then(function () { location.href = "/console/login"; })
      .catch(function (e) { status(e.message); });
  });

  load();
}());
