// changju desk app: the little script of its pages (no framework, no build step, nothing from the
// network). Every request goes to this app's own origin; state changes are JSON POSTs.
"use strict";

function flash(text, bad) {
  const box = document.getElementById("flash");
  if (!box) return;
  box.textContent = text;
  box.className = "flash" + (bad ? " bad" : "");
  box.hidden = !text;
}

async function post(url, data) {
  const answer = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(data || {}),
    credentials: "same-origin",
  });
  return answer;
}

async function postJSON(url, data) {
  const answer = await post(url, data);
  let body = {};
  try { body = await answer.json(); } catch (e) { body = {}; }
  if (!answer.ok) throw new Error(body.error || ("出错了（" + answer.status + "）"));
  return body;
}

async function openFolder(path, fromSeason) {
  flash("正在打开并检查……");
  try {
    const body = await postJSON("/api/open", { path: path, from_season: !!fromSeason });
    location.href = body.next;
  } catch (e) { flash(e.message, true); }
}

// ---------------------------------------------------------------- ① folder
document.addEventListener("click", (ev) => {
  const opener = ev.target.closest("[data-open]");
  if (opener) { ev.preventDefault(); openFolder(opener.dataset.open); }
});
const pasteForm = document.querySelector('[data-form="open"]');
if (pasteForm) {
  pasteForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    openFolder(pasteForm.querySelector("input[name=path]").value);
  });
}

// ---------------------------------------------------------------- ② category
document.querySelectorAll("[data-category]").forEach((button) => {
  if (button.tagName !== "BUTTON") return;
  button.addEventListener("click", async () => {
    flash("正在按“" + button.querySelector("strong").textContent + "”检查……");
    try {
      const body = await postJSON("/api/category", { category: button.dataset.category });
      location.href = body.next;
    } catch (e) { flash(e.message, true); }
  });
});

// ---------------------------------------------------------------- ③ 基本情况
function countChars(text) {  // as the checker counts: every character but white space
  let n = 0;
  for (const ch of text.normalize("NFC")) if (!/\s/u.test(ch)) n += 1;
  return n;
}

function updateCounter(area) {
  const counter = document.querySelector('[data-counter="' + area.name + '"]');
  if (!counter) return;
  const n = countChars(area.value), min = +area.dataset.min, max = +area.dataset.max;
  counter.textContent = n + " 字（要求 " + min + "–" + max + " 字）" + (n < min ? "：还差 " + (min - n) + " 字" : n > max ? "：多了 " + (n - max) + " 字" : " ✓");
  counter.className = "counter " + (n >= min && n <= max ? "ok" : "bad");
}

const factsForm = document.querySelector('[data-form="facts"]');
if (factsForm) {
  factsForm.querySelectorAll("textarea[data-min]").forEach((area) => {
    updateCounter(area);
    area.addEventListener("input", () => updateCounter(area));
  });
  factsForm.addEventListener("click", (ev) => {
    const button = ev.target.closest("[data-fact]");
    if (!button) return;
    const field = button.closest(".field");
    if (button.dataset.fact === "confirm") {
      field.dataset.factState = "confirmed";
    } else {
      field.dataset.factState = "edited";
      const input = field.querySelector("input:not([type=radio]), select, textarea");
      if (input) { input.readOnly = false; input.focus(); }
    }
  });
  factsForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const open = factsForm.querySelectorAll('[data-fact-state="unconfirmed"]');
    if (open.length) {
      flash("还有 " + open.length + " 项从页面读到的内容没有确认：请点“确认”或“修改”。", true);
      open[0].scrollIntoView({ block: "center" });
      return;
    }
    const values = {};
    factsForm.querySelectorAll(".field").forEach((field) => {
      const key = field.dataset.key;
      const radio = field.querySelector("input[type=radio]:checked");
      const input = field.querySelector("input:not([type=radio]), select, textarea");
      values[key] = radio ? radio.value : input ? input.value : null;
    });
    // the answers she confirmed as read from a page: written with the page they were read from
    const confirmed = Array.from(factsForm.querySelectorAll('[data-fact-state="confirmed"]')).map((f) => f.dataset.key);
    flash("正在保存……");
    try {
      let answer = await post("/api/manifest", { values: values, confirmed: confirmed });
      let body = {};
      try { body = await answer.json(); } catch (e) { body = {}; }
      if (answer.status === 409 && body.unreadable) {  // the file there cannot be read: replace it only if she says so
        if (!confirm(body.error + "\n\n仍要保存吗？")) { flash(body.error, true); return; }
        answer = await post("/api/manifest", { values: values, confirmed: confirmed, replace: true });
        try { body = await answer.json(); } catch (e) { body = {}; }
      }
      if (!answer.ok) throw new Error(body.error || ("出错了（" + answer.status + "）"));
      if (body.note) {  // comments could not be kept: she reads why before going on
        flash("已保存：" + body.written + "。" + body.note);
        const go = document.createElement("a");
        go.href = body.next;
        go.className = "button";
        go.dataset.action = "saved-next";
        go.textContent = "查看检查结果";
        document.getElementById("flash").append(" ", go);
        return;
      }
      flash("已保存：" + body.written);
      location.href = body.next;
    } catch (e) { flash(e.message, true); }
  });
}

// ---------------------------------------------------------------- ④ 检查结果, live
let shown = null;
async function refreshChecklist() {
  const holder = document.getElementById("checklist");
  if (!holder) return;
  const answer = await fetch("/check/list", { credentials: "same-origin" });
  if (answer.status !== 200) return;
  const html = await answer.text();
  const open = new Set(Array.from(holder.querySelectorAll("details[open]")).map((d) => d.closest("[data-material]")?.dataset.material));
  holder.innerHTML = html;  // the server's own template, autoescaped
  holder.querySelectorAll("[data-material] details").forEach((d) => { if (open.has(d.closest("[data-material]").dataset.material)) d.open = true; });
  const v = holder.querySelector("[data-version]");
  if (v) holder.dataset.version = v.dataset.version;
}

function listen() {
  if (!window.EventSource) return;
  const events = new EventSource("/api/events");
  events.addEventListener("state", (ev) => {
    const state = JSON.parse(ev.data);
    document.body.classList.toggle("busy", !!state.busy);
    const holder = document.getElementById("checklist");
    if (holder && String(state.version) !== holder.dataset.version && shown !== state.version) {
      shown = state.version;
      refreshChecklist();
    }
  });
  events.addEventListener("quit", () => { events.close(); ended(); });
}

function ended() {
  document.body.innerHTML = '<main class="ended"><h1>changju 已退出</h1><p>可以关闭这个页面了。再次使用请重新打开 changju。</p></main>';
}

document.addEventListener("click", async (ev) => {
  const action = ev.target.closest("[data-action]");
  if (!action) return;
  const what = action.dataset.action;
  if (what === "quit") {
    try { await post("/api/quit", {}); } catch (e) { /* already gone */ }
    ended();
  } else if (what === "bundle") {
    makeBook(action, null);
  } else if (what === "bundle-save") {
    openSaveTo();
  } else if (what === "bundle-here") {
    if (saveTo.dir) makeBook(action, saveTo.dir);
  } else if (what === "bundle-cancel") {
    document.getElementById("save-to").close();
  }
});

// the book: downloaded (dest null) or saved into a folder she chose
async function makeBook(button, dest) {
  button.disabled = true;
  const dialog = document.getElementById("save-to");
  const problem = dialog && dialog.querySelector("[data-problem]");
  if (problem) problem.hidden = true;
  flash("正在生成装订本……");
  try {
    const answer = await post("/api/bundle", dest ? { dest: dest } : {});
    if (!answer.ok) {
      let body = {}; try { body = await answer.json(); } catch (e) { body = {}; }
      throw new Error(body.error || "生成失败");
    }
    if (dest) {
      const body = await answer.json();
      dialog.close();
      flash("已保存装订本：" + body.output + (body.pages ? "（共 " + body.pages + " 页）" : ""));
    } else {
      const blob = await answer.blob();
      const disposition = answer.headers.get("content-disposition") || "";
      const m = /filename\*=UTF-8''([^;]+)/.exec(disposition);
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = m ? decodeURIComponent(m[1]) : "装订本.pdf";
      document.body.appendChild(link);
      link.click();
      setTimeout(() => { URL.revokeObjectURL(link.href); link.remove(); }, 60000);
      flash("装订本已生成，请在浏览器的下载中查看。");
    }
  } catch (e) {
    flash(e.message, true);
    if (dest && problem) { problem.textContent = e.message; problem.hidden = false; }
  }
  button.disabled = false;
}

// ---------------------------------------------------------------- 另存到: the app's own folder browser
const saveTo = { dir: null, parent: null };

function saveToButton(text, dir, cls) {
  const b = document.createElement("button");
  b.type = "button";
  if (cls) b.className = cls;
  b.textContent = text;
  b.title = dir;
  b.addEventListener("click", () => browseSaveTo(dir));
  return b;
}

async function browseSaveTo(dir) {
  const dialog = document.getElementById("save-to");
  const problem = dialog.querySelector("[data-problem]");
  problem.hidden = true;
  const answer = await fetch("/api/browse?dir=" + encodeURIComponent(dir), { credentials: "same-origin" });
  let body = {}; try { body = await answer.json(); } catch (e) { body = {}; }
  if (!answer.ok) { problem.textContent = body.error || "无法打开这个文件夹"; problem.hidden = false; return; }
  saveTo.dir = body.path;
  saveTo.parent = body.parent;
  dialog.querySelector("[data-path]").textContent = body.path;
  dialog.querySelector("[data-browse-up]").hidden = !body.parent;
  dialog.querySelector('[data-action="bundle-here"]').disabled = false;
  const list = dialog.querySelector("[data-entries]");
  list.replaceChildren();
  const folders = (body.entries || []).filter((e) => e.kind === "folder");
  folders.forEach((e) => {
    const li = document.createElement("li");
    li.className = "folder";
    li.append(saveToButton("▸ " + e.name, e.path, "into"));
    list.append(li);
  });
  if (!folders.length) {
    const li = document.createElement("li");
    li.className = "empty";
    li.textContent = "（没有子文件夹）";
    list.append(li);
  }
}

async function openSaveTo() {
  const dialog = document.getElementById("save-to");
  if (!dialog) return;
  const holder = dialog.querySelector("[data-places]");
  if (!holder.children.length) {
    try {
      const answer = await fetch("/api/browse", { credentials: "same-origin" });
      const body = await answer.json();
      (body.places || []).forEach((p) => {
        const li = document.createElement("li");
        li.append(saveToButton(p.name, p.path, "place " + p.kind));
        if (p.note) { const small = document.createElement("small"); small.textContent = " " + p.note; li.append(small); }
        holder.append(li);
      });
    } catch (e) { /* the pasted path still works */ }
  }
  dialog.showModal();
}

const saveToDialog = document.getElementById("save-to");
if (saveToDialog) {
  saveToDialog.querySelector("[data-browse-up]").addEventListener("click", () => { if (saveTo.parent) browseSaveTo(saveTo.parent); });
  saveToDialog.querySelector('[data-form="save-to"]').addEventListener("submit", (ev) => {
    ev.preventDefault();
    const value = ev.target.querySelector("input[name=path]").value.trim();
    if (value) browseSaveTo(value);
  });
}

// ---------------------------------------------------------------- agency table
const table = document.querySelector('[data-table="batch"]');
if (table) {
  const body = table.tBodies[0];
  const filterBox = document.querySelector('[data-filter="batch"]');
  const onlyProblems = document.querySelector("[data-filter-problems]");
  const filter = () => {
    const q = (filterBox.value || "").trim().toLowerCase();
    Array.from(body.rows).forEach((row) => {
      const hit = !q || row.textContent.toLowerCase().includes(q);
      const problem = row.dataset.verdict !== "pass";
      row.hidden = !hit || (onlyProblems.checked && !problem);
    });
  };
  filterBox.addEventListener("input", filter);
  onlyProblems.addEventListener("change", filter);
  table.querySelectorAll("th[data-sort]").forEach((th, index) => {
    th.addEventListener("click", () => {
      const down = th.dataset.dir !== "asc";
      table.querySelectorAll("th").forEach((h) => delete h.dataset.dir);
      th.dataset.dir = down ? "asc" : "desc";
      const numeric = th.dataset.sort === "number";
      const rows = Array.from(body.rows).sort((a, b) => {
        const x = a.cells[index].textContent.trim(), y = b.cells[index].textContent.trim();
        const c = numeric ? (+x) - (+y) : x.localeCompare(y, "zh-CN");
        return down ? c : -c;
      });
      rows.forEach((r) => body.appendChild(r));
    });
  });
  body.addEventListener("click", (ev) => {
    const row = ev.target.closest("tr[data-packet]");
    if (row) openFolder(row.dataset.packet, true);
  });
  body.addEventListener("keydown", (ev) => {
    const row = ev.target.closest("tr[data-packet]");
    if (row && ev.key === "Enter") openFolder(row.dataset.packet, true);
  });
}

listen();
