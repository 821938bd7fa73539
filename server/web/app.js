// app.js — the page of `kofu serve`. The form is built from GET /api/v1/schema
// (no measure is named here); every change is sent as a case file to
// POST /api/v1/calculate and the answer is drawn: headline amounts, each
// measure's amounts, warnings and findings, the trace. Text from the server is
// only ever set with textContent.
"use strict";

const UI = {
  ja: {
    title: "kofu — 交付税措置・交付金の計算", open: "INI・表を開く", pick: "表のケース", dl_ini: "ケースを INI で保存",
    dl_json: "結果を JSON で保存", dl_csv: "CSV で保存", dl_xlsx: "Excel (xlsx) で保存", lang: "English", add: "行を追加", remove: "削除", id: "ID",
    extra: "そのほかのセクション（[claim] など、そのまま送ります）", calculating: "計算中…",
    invalid: "ケースに問題があります", totals: "合計", amounts: "措置ごとの金額（だれが何を負担するか）",
    warnings: "注意", findings: "指摘", trace: "計算の過程（各ステップの規則と根拠）", rule: "規則",
    source: "根拠", provisional: "【暫定】", sweep: "感度分析（スイープ）", sweep_key: "変える項目",
    sweep_from: "から", sweep_to: "まで", sweep_step: "刻み", sweep_run: "計算する",
    sweep_xlsx: "Excel (xlsx) で保存", yen: "円",
    yen_per_hour: "円/時間", no_measure: "措置の欄に金額を入れると計算します", error: "エラー",
    sweep_none: "数値の項目がありません", item: "項目", value: "値", version: "kofu",
    empty: "（未入力）",
  },
  en: {
    title: "kofu — grants and special tax grants, exactly", open: "Open INI or table", pick: "Case of the table", dl_ini: "Save case as INI",
    dl_json: "Save result as JSON", dl_csv: "Save as CSV", dl_xlsx: "Save as Excel (xlsx)", lang: "日本語", add: "Add row", remove: "Remove", id: "ID",
    extra: "Other sections ([claim] ..., sent as they are)", calculating: "Computing…",
    invalid: "The case has problems", totals: "Totals", amounts: "Amounts by measure (who pays what)",
    warnings: "Warnings", findings: "Findings", trace: "How it was computed (each step's rule and source)",
    rule: "rule", source: "source", provisional: "[provisional]", sweep: "Sweep", sweep_key: "Vary",
    sweep_from: "from", sweep_to: "to", sweep_step: "step", sweep_run: "Run",
    sweep_xlsx: "Save as Excel (xlsx)", yen: "yen",
    yen_per_hour: "yen/hour", no_measure: "Enter amounts in a measure to compute", error: "Error",
    sweep_none: "no numeric key", item: "item", value: "value", version: "kofu", empty: "(empty)",
  },
};

const S = {
  lang: "ja",
  schema: null,
  single: {},   // section → {key: value}
  rows: {},     // section → [{id, vals: {key: value}}]
  extra: "",    // sections the schema does not describe ([claim]), as INI text
  table: [],    // the cases of the last case table opened (POST /api/v1/table)
  result: null,
  seq: 0,
  timer: null,
  waiting: false,
  inflight: 0,
  chart: null,
};

const $ = (id) => document.getElementById(id);
const t = (k) => UI[S.lang][k];
const lbl = (o) => (S.lang === "en" ? o.label_en : o.label_ja) || o.name || o.key || o.path;

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "text") e.textContent = v;
    else if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of kids) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function yen(v) {
  if (typeof v !== "number") return String(v);
  const s = Math.abs(v).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return (v < 0 ? "-" : "") + s + (S.lang === "en" ? " yen" : "円");
}

// ---- the case as INI ------------------------------------------------------

function iniValue(v) {
  v = String(v).trim();
  return /[;#]/.test(v) ? '"' + v + '"' : v;
}

function sectionLines(name, vals) {
  const lines = [];
  for (const [k, v] of Object.entries(vals)) if (String(v).trim() !== "") lines.push(k + " = " + iniValue(v));
  return lines.length || name === "case" ? ["[" + name + "]", ...lines, ""] : [];
}

function caseIni() {
  const out = [];
  for (const sec of S.schema.sections) {
    if (sec.ids === "none") out.push(...sectionLines(sec.section, S.single[sec.section] || {}));
    else for (const row of S.rows[sec.section] || []) {
      const name = row.id.trim() ? sec.section + "." + row.id.trim() : sec.section;
      const lines = sectionLines(name, row.vals);
      if (lines.length) out.push(...lines);
      else if (row.id.trim()) out.push("[" + name + "]", "");
    }
  }
  if (S.extra.trim()) out.push(S.extra.trim(), "");
  return out.join("\n");
}

// A case file read into the form: sections the schema knows go to their
// fields, the rest stays as text.
function openIni(text) {
  S.single = {}; S.rows = {}; const extra = [];
  let cur = null;
  for (let line of text.replace(/^\uFEFF/, "").split(/\r?\n/)) {
    const trimmed = line.trim();
    if (!trimmed || trimmed[0] === ";" || trimmed[0] === "#") continue;
    const m = /^\[([^\]]+)\]/.exec(trimmed);
    if (m) { cur = place(m[1].trim().toLowerCase(), extra, trimmed); continue; }
    if (!cur) continue;
    if (cur.extra) { extra.push(trimmed); continue; }
    const eq = trimmed.indexOf("=");
    if (eq < 0) continue;
    const key = trimmed.slice(0, eq).trim().toLowerCase();
    let v = trimmed.slice(eq + 1).trim();
    if (v[0] === '"') { const end = v.indexOf('"', 1); v = end > 0 ? v.slice(1, end) : v.slice(1); }
    else v = v.replace(/\s[;#].*$/, "").trim();
    cur.vals[key] = v;
  }
  S.extra = extra.join("\n");
  buildForm();
  schedule();
}

// A JSON case object (as POST /api/v1/table gives it) into the form, as openIni does.
function openCase(obj) {
  S.single = {}; S.rows = {}; const extra = [];
  for (const [sec, vals] of Object.entries(obj)) {
    const cur = place(sec.toLowerCase(), extra, "[" + sec + "]");
    for (const [k, v] of Object.entries(vals)) {
      if (cur.extra) extra.push(k + " = " + iniValue(v));
      else cur.vals[k.toLowerCase()] = String(v);
    }
  }
  S.extra = extra.join("\n");
  buildForm();
  schedule();
}

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// A CSV or xlsx case table: the server reads it from the bytes (nothing is
// written to disk) and answers its cases; several → a select to pick one.
async function openTable(f) {
  const named = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/.test(f.name) ? "?name=" + encodeURIComponent(f.name) : "";
  let r, j;
  try {
    r = await fetch("/api/v1/table" + named, {
      method: "POST", body: await f.arrayBuffer(),
      headers: { "Content-Type": /\.csv$/i.test(f.name) ? "text/csv" : XLSX_TYPE, "Accept-Language": S.lang },
    });
    j = await r.json();
  } catch (e) {
    showError([String(e)]);
    return;
  }
  const err = r.ok ? null : j.error || {};
  S.table = r.ok ? j.cases : err.cases || [];
  const sel = $("table-case");
  sel.replaceChildren(...S.table.map((c, i) => el("option", { value: String(i),
    text: c.id + (c.name ? " — " + c.name : "") + "（" + c.where + "）" + (c.valid ? "" : " ⚠ " + t("error")) })));
  sel.hidden = S.table.length < 2;
  if (!S.table.length) {
    showError(err && err.diagnostics ? err.diagnostics.map((d) => d.text) : [err ? err.message : ""]);
    return;
  }
  openCase(S.table[0].case);
}

function place(name, extra, header) {
  for (const sec of S.schema.sections) {
    if (sec.ids === "none" && name === sec.section) return { vals: (S.single[name] = S.single[name] || {}) };
    if (sec.ids !== "none" && (name === sec.section && sec.ids === "optional" || name.startsWith(sec.section + "."))) {
      const id = name === sec.section ? "" : name.slice(sec.section.length + 1);
      if (id.includes(".")) continue;
      const row = { id, vals: {} };
      (S.rows[sec.section] = S.rows[sec.section] || []).push(row);
      return { vals: row.vals };
    }
  }
  extra.push(header);
  return { extra: true };
}

// ---- the form ---------------------------------------------------------------

function placeholder(key) {
  return { amount: "1,200,000", ratio: "70%", integer: "12", decimal: "0", fiscal_year: "R7", id: "my-case" }[key.type] || "";
}

function field(key, vals, attrs) {
  const unit = S.lang === "en" ? key.unit_en : key.unit_ja;
  const id = "f-" + attrs["data-sec"] + "-" + (attrs["data-row"] ?? "") + "-" + key.key;
  let input;
  const set = (e) => { vals[key.key] = e.target.value; schedule(); };
  if (key.type === "boolean" || key.type === "entity") {
    const opts = key.type === "boolean" ? ["", "yes", "no"] : ["", "municipality", "prefecture"];
    input = el("select", { id, oninput: set });
    for (const o of opts) input.append(el("option", { value: o, text: o === "" ? t("empty") : o }));
  } else {
    input = el("input", { id, type: "text", placeholder: placeholder(key), oninput: set });
  }
  for (const [k, v] of Object.entries(attrs)) input.setAttribute(k, v);
  input.setAttribute("data-key", key.key);
  input.value = vals[key.key] || "";
  const cls = "field" + (key.required ? " required" : "");
  return el("div", { class: cls, "data-field": attrs["data-sec"] + "." + key.key },
    el("label", { for: id, text: lbl(key), title: key.key }), input, el("span", { class: "unit", text: unit }));
}

function singleSection(sec) {
  const vals = (S.single[sec.section] = S.single[sec.section] || {});
  const fs = el("fieldset", { "data-section": sec.section }, el("legend", { text: lbl(sec) + " [" + sec.section + "]" }));
  for (const key of sec.keys) fs.append(field(key, vals, { "data-sec": sec.section }));
  return fs;
}

function rowSection(sec) {
  const rows = (S.rows[sec.section] = S.rows[sec.section] || []);
  const fs = el("fieldset", { "data-section": sec.section },
    el("legend", { text: lbl(sec) + " [" + sec.section + (sec.ids === "required" ? ".<id>]" : "[.<id>]]") }));
  rows.forEach((row, i) => {
    const idInput = el("input", { type: "text", value: row.id, "data-sec": sec.section, "data-row": String(i),
      "data-key": "__id", placeholder: sec.ids === "required" ? "a" : "", oninput: (e) => { row.id = e.target.value; schedule(); } });
    const box = el("div", { class: "row", "data-row": String(i) },
      el("div", { class: "row-head" }, el("label", { text: t("id") + " " }, idInput),
        el("button", { type: "button", class: "remove-row", text: t("remove"),
          onclick: () => { rows.splice(i, 1); buildForm(); schedule(); } })));
    for (const key of sec.keys) box.append(field(key, row.vals, { "data-sec": sec.section, "data-row": String(i) }));
    fs.append(box);
  });
  fs.append(el("button", { type: "button", class: "add-row", "data-sec": sec.section, text: "+ " + t("add"),
    onclick: () => {
      rows.push({ id: sec.ids === "required" ? nextId(rows) : (rows.length ? nextId(rows) : ""), vals: {} });
      buildForm();
      const boxes = document.querySelectorAll(`fieldset[data-section="${sec.section}"] .row`);
      if (boxes.length) boxes[boxes.length - 1].scrollIntoView({ block: "nearest" });
    } }));
  return fs;
}

function nextId(rows) {
  let n = rows.length + 1;
  while (rows.some((r) => r.id === "r" + n)) n++;
  return "r" + n;
}

function hasData(measure) {
  return S.schema.sections.filter((s) => s.measure === measure).some((s) =>
    s.ids === "none" ? Object.values(S.single[s.section] || {}).some((v) => String(v).trim())
      : (S.rows[s.section] || []).length > 0);
}

function buildForm() {
  const form = $("case-form");
  form.replaceChildren();
  const groups = new Map();
  for (const sec of S.schema.sections) {
    const m = sec.measure || "";
    if (!groups.has(m)) groups.set(m, []);
    groups.get(m).push(sec);
  }
  for (const [m, secs] of groups) {
    const parts = secs.map((s) => (s.ids === "none" ? singleSection(s) : rowSection(s)));
    if (!m) { form.append(...parts); continue; }
    const info = S.schema.measures.find((x) => x.name === m) || { name: m };
    const d = el("details", { class: "measure", "data-measure": m }, el("summary", { text: lbl(info) }), ...parts);
    if (hasData(m)) d.open = true;
    form.append(d);
  }
  const extra = el("textarea", { id: "extra", rows: "3", oninput: (e) => { S.extra = e.target.value; schedule(); } });
  extra.value = S.extra;
  form.append(el("fieldset", {}, el("legend", { text: t("extra") }), extra));
  fillSweepKeys();
}

// ---- calculating ----------------------------------------------------------------

function schedule() {
  clearTimeout(S.timer);
  S.waiting = true;
  S.timer = setTimeout(calculate, 300);
  fillSweepKeysSoon();
}

async function api(path, body, type) {
  const r = await fetch(path, {
    method: "POST", body, headers: { "Content-Type": type, "Accept-Language": S.lang },
  });
  return { status: r.status, json: await r.json() };
}

// true when no edit waits for its computation (for people: the status line;
// for the browser test: this function)
window.kofuIdle = () => !S.waiting && S.inflight === 0;

async function calculate() {
  S.waiting = false;
  S.inflight++;
  try {
    await calculateNow();
  } finally {
    S.inflight--;
  }
}

async function calculateNow() {
  const seq = ++S.seq;
  const ini = caseIni();
  $("status").textContent = t("calculating");
  $("status").className = "busy";
  let ans;
  try {
    ans = await api("/api/v1/calculate", ini, "text/plain; charset=utf-8");
  } catch (e) {
    if (seq === S.seq) showError([String(e)]);
    return;
  }
  if (seq !== S.seq) return; // a newer edit is on its way
  document.querySelectorAll(".invalid").forEach((n) => n.classList.remove("invalid"));
  if (ans.status !== 200) {
    const err = ans.json.error || {};
    for (const d of err.diagnostics || []) markInvalid(d);
    showError((err.diagnostics || []).map((d) => d.text).concat(err.diagnostics ? [] : [err.message]));
    return;
  }
  S.result = ans.json;
  $("status").textContent = "";
  $("status").className = "ok";
  drawResult(ans.json);
}

function markInvalid(d) {
  const sec = d.section.split(".");
  for (const s of S.schema.sections) {
    if (d.section === s.section || d.section.startsWith(s.section + ".")) {
      const id = d.section === s.section ? "" : d.section.slice(s.section.length + 1);
      const rows = S.rows[s.section];
      const i = rows ? rows.findIndex((r) => r.id === id) : -1;
      const sel = `[data-sec="${s.section}"]` + (i >= 0 ? `[data-row="${i}"]` : "") + `[data-key="${d.key}"]`;
      document.querySelectorAll(sel).forEach((n) => n.parentElement.classList.add("invalid"));
    }
  }
  return sec;
}

function showError(lines) {
  const st = $("status");
  st.className = "error";
  st.replaceChildren(el("strong", { text: t("invalid") }), el("ul", {}, ...lines.map((l) => el("li", { text: l }))));
  for (const id of ["headline", "amounts", "warnings", "trace"]) $(id).replaceChildren();
}

// ---- the result ----------------------------------------------------------------------

function provisionalMeasures(res) {
  const p = new Set();
  for (const s of res.trace || []) if (s.status === "provisional") p.add(s.step.split(/[.[]/)[0]);
  return p;
}

function outputLabel(measure, name) {
  const o = S.schema.outputs.find((x) => x.measure === measure && x.name === name);
  return o ? lbl(o) : name;
}

function big(label, value, prov, path) {
  return el("div", { class: "big", "data-path": path },
    el("div", { class: "label", text: label }),
    el("div", { class: "value", "data-value": String(value) }, yen(value),
      prov ? el("span", { class: "provisional", text: " " + t("provisional") }) : null));
}

function drawResult(res) {
  const prov = provisionalMeasures(res);
  const anyProv = prov.size > 0;
  const head = el("div", { class: "headline" });
  for (const o of S.schema.totals) {
    const v = o.path.split(".").reduce((a, k) => (a ? a[k] : undefined), res);
    if (typeof v === "number") head.append(big(lbl(o), v, anyProv, o.path));
  }
  const per = el("div", { class: "headline per" });
  for (const o of S.schema.headlines) {
    const [, m, a] = o.path.split(".");
    const v = res.measures && res.measures[m] ? res.measures[m][a] : undefined;
    if (typeof v === "number") per.append(big(lbl(o), v, prov.has(m), o.path));
  }
  $("headline").replaceChildren(el("h2", { text: t("totals") }), head, per);
  if (!Object.keys(res.measures || {}).length) $("headline").append(el("p", { text: t("no_measure") }));

  const am = el("div", {}, el("h2", { text: t("amounts") }));
  const findings = [];
  for (const [m, obj] of Object.entries(res.measures || {})) {
    const info = S.schema.measures.find((x) => x.name === m) || { name: m };
    am.append(el("h3", { text: lbl(info) + (prov.has(m) ? " " + t("provisional") : "") }));
    am.append(amountTable(m, obj));
    for (const [k, v] of Object.entries(obj)) {
      if (!Array.isArray(v)) continue;
      // codes inside a measure (violations): findings, unless the result lists them itself
      if (v.length && v.every((x) => x && x.code)) { if (!res.findings) findings.push(...v); continue; }
      for (const item of v) {
        if (!item || typeof item !== "object") continue;
        am.append(el("h3", { class: "sub", text: lbl(info) + " / " + k + " " + (item.id || item.name || "") }));
        am.append(amountTable(m, item));
      }
    }
  }
  for (const f of res.findings || []) findings.push(f);
  $("amounts").replaceChildren(am);

  const w = el("div", {});
  if ((res.warnings || []).length) {
    w.append(el("h2", { text: t("warnings") }),
      el("ul", { class: "warnings" }, ...res.warnings.map((x) => el("li", { "data-code": x.code, text: (x.message || x.code) + " (" + x.code + ")" }))));
  }
  if (findings.length) {
    w.append(el("h2", { text: t("findings") }),
      el("ul", { class: "findings" }, ...findings.map((f) => el("li", { "data-code": f.code,
        text: f.message || Object.entries(f).map(([k, v]) => k + ": " + v).join(", ") }))));
  }
  $("warnings").replaceChildren(w);
  drawTrace(res);
  const meta = res.meta || {};
  $("meta").textContent = "kofu " + (meta.kofu_version || "") +
    (meta.rules && meta.rules.sha256 ? " · rules " + meta.rules.sha256.slice(0, 12) : "") +
    (meta.computed_at ? " · " + meta.computed_at : "");
}

function amountTable(m, obj) {
  const tb = el("table", { class: "amounts", "data-measure": m });
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v === "number") tb.append(el("tr", { "data-key": k }, el("td", { text: outputLabel(m, k) }), el("td", { class: "num", text: yen(v) })));
    else if (typeof v === "string" && k !== "id") tb.append(el("tr", { "data-key": k }, el("td", { text: outputLabel(m, k) }), el("td", { class: "num", text: v })));
  }
  return tb;
}

// The trace as a tree: measure → [id] → step, each step with its rule and source.
function drawTrace(res) {
  const root = el("details", { class: "trace-root" }, el("summary", { text: t("trace") + " (" + (res.trace || []).length + ")" }));
  const groups = new Map();
  for (const s of res.trace || []) {
    const m = s.step.split(/[.[]/)[0];
    const id = (/^[^[.]*\[([^\]]*)\]/.exec(s.step) || [])[1] || "";
    if (!groups.has(m)) groups.set(m, new Map());
    const g = groups.get(m);
    if (!g.has(id)) g.set(id, []);
    g.get(id).push(s);
  }
  for (const [m, ids] of groups) {
    const info = S.schema.measures.find((x) => x.name === m) || { name: m };
    const md = el("details", { "data-measure": m }, el("summary", { text: lbl(info) }));
    for (const [id, steps] of ids) {
      const holder = id ? el("details", {}, el("summary", { text: "[" + id + "]" })) : md;
      for (const s of steps) {
        holder.append(el("details", { class: "step-node" },
          el("summary", { class: "step", text: s.step + " = " + s.value + (s.status === "provisional" ? " " + t("provisional") : "") }),
          el("div", { class: "rule", text: t("rule") + ": " + s.rule }),
          el("div", { class: "source", text: t("source") + ": " + (s.source || "") })));
      }
      if (id) md.append(holder);
    }
    root.append(md);
  }
  $("trace").replaceChildren(root);
}

// ---- the sweep --------------------------------------------------------------------------

let sweepKeysTimer = null;
function fillSweepKeysSoon() {
  clearTimeout(sweepKeysTimer);
  sweepKeysTimer = setTimeout(fillSweepKeys, 400);
}

// The numeric keys of the sections the case has, rows by their ids.
function fillSweepKeys() {
  const sel = $("sweep-key");
  const keep = sel.value;
  sel.replaceChildren();
  const numeric = new Set(["amount", "ratio", "decimal", "integer"]);
  for (const sec of S.schema.sections) {
    if (!sec.measure) continue;
    const names = sec.ids === "none" ? (hasSectionData(sec) ? [sec.section] : [])
      : (S.rows[sec.section] || []).map((r) => (r.id.trim() ? sec.section + "." + r.id.trim() : sec.section));
    for (const name of names) for (const key of sec.keys) {
      if (!numeric.has(key.type)) continue;
      sel.append(el("option", { value: name + "." + key.key, text: lbl(key) + " — " + name + "." + key.key }));
    }
  }
  if (!sel.options.length) sel.append(el("option", { value: "", text: t("sweep_none") }));
  if ([...sel.options].some((o) => o.value === keep)) sel.value = keep;
}

function hasSectionData(sec) {
  return Object.values(S.single[sec.section] || {}).some((v) => String(v).trim());
}

// A first range for the key chosen, by its type (the user edits it).
function sweepDefaults() {
  const name = $("sweep-key").value;
  const keyName = name.slice(name.lastIndexOf(".") + 1);
  let type = "";
  for (const sec of S.schema.sections)
    if (name.startsWith(sec.section + ".")) for (const k of sec.keys) if (k.key === keyName) type = k.type;
  const d = { ratio: ["50%", "100%", "5%"], integer: ["1", "12", "1"] }[type];
  if (!d) return;
  ["sweep-from", "sweep-to", "sweep-step"].forEach((id, i) => { $(id).value = d[i]; });
}

// The sweep the controls describe, as POST /api/v1/sweep takes it.
function sweepBody() {
  const key = $("sweep-key").value;
  const range = [$("sweep-from").value, $("sweep-to").value, $("sweep-step").value].map((s) => s.trim()).join(":");
  return JSON.stringify({ case: caseIni(), vary: { key, range } });
}

function sweepError(json) {
  const err = (json && json.error) || {};
  $("sweep-status").textContent = t("error") + ": " +
    ((err.diagnostics || []).map((d) => d.text).join(" / ") || err.message || "");
}

async function runSweep() {
  $("sweep-status").textContent = t("calculating");
  window.kofuSweep = null;
  let ans;
  try {
    ans = await api("/api/v1/sweep", sweepBody(), "application/json");
  } catch (e) {
    $("sweep-status").textContent = String(e);
    return;
  }
  if (ans.status !== 200) {
    sweepError(ans.json);
    return;
  }
  $("sweep-status").textContent = "";
  drawSweep(ans.json);
}

const COLORS = ["#1f5fbf", "#c2410c", "#15803d", "#7c3aed", "#b91c1c", "#0e7490", "#a16207", "#be185d"];

function drawSweep(sw) {
  const key = sw.vary[0].key;
  const labels = sw.rows.map((r) => r.vary[key]);
  const cols = sw.columns.filter((c) => c.unit !== "number");
  const datasets = cols.map((c, i) => ({
    label: c.label + (c.unit === "yen_per_hour" ? " (" + t("yen_per_hour") + ")" : ""),
    kofuColumn: c.name,
    data: sw.rows.map((r) => (typeof r[c.name] === "number" ? r[c.name] : null)),
    yAxisID: c.unit === "yen_per_hour" ? "y2" : "y",
    borderColor: COLORS[i % COLORS.length],
    backgroundColor: COLORS[i % COLORS.length],
    borderDash: c.unit === "yen_per_hour" ? [6, 4] : [],
    tension: 0,
  }));
  const hasFee = cols.some((c) => c.unit === "yen_per_hour");
  const cfg = {
    type: "line",
    data: { labels, datasets },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      scales: {
        x: { title: { display: true, text: sw.vary[0].label } },
        y: { title: { display: true, text: t("yen") } },
        y2: { display: hasFee, position: "right", grid: { drawOnChartArea: false },
          title: { display: true, text: t("yen_per_hour") } },
      },
    },
  };
  if (S.chart) S.chart.destroy();
  S.chart = window.Chart ? new window.Chart($("sweep-chart"), cfg) : null;
  window.kofuSweep = { labels, datasets: datasets.map((d) => ({ column: d.kofuColumn, data: d.data })) };

  const table = $("sweep-table");
  table.replaceChildren();
  table.append(el("tr", {}, el("th", { text: sw.vary[0].label }), ...sw.columns.map((c) => el("th", { class: "num", text: c.label }))));
  for (const r of sw.rows) {
    const tr = el("tr", {}, el("td", { text: r.vary[key] }));
    if (r.error) tr.append(el("td", { colspan: String(sw.columns.length), text: r.error }));
    else for (const c of sw.columns) tr.append(el("td", { class: "num", "data-column": c.name,
      text: typeof r[c.name] === "number" ? yen(r[c.name]) : (r[c.name] ?? "") }));
    table.append(tr);
  }
}

// ---- downloads, opening, language ----------------------------------------------------------

function download(name, type, text) {
  const a = el("a", { href: URL.createObjectURL(new Blob([text], { type })), download: name });
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

function saveBlob(blob, name) {
  const a = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

// CSV and xlsx are made by the server's renderers (the ones of kofu calc).
async function downloadAs(format) {
  const r = await fetch("/api/v1/calculate?format=" + format, {
    method: "POST", body: caseIni(),
    headers: { "Content-Type": "text/plain; charset=utf-8", "Accept-Language": S.lang },
  });
  if (!r.ok) { calculate(); return; }
  saveBlob(await r.blob(), caseId() + "." + format);
}

// The sweep as a workbook: the renderer of kofu sweep --format xlsx (one row
// per point and a native chart of who pays what, the break-even fee on its
// own axis). A refused sweep says why beside the controls, as Run does.
async function downloadSweep() {
  $("sweep-status").textContent = t("calculating");
  let r;
  try {
    r = await fetch("/api/v1/sweep?format=xlsx", {
      method: "POST", body: sweepBody(),
      headers: { "Content-Type": "application/json", "Accept-Language": S.lang },
    });
  } catch (e) {
    $("sweep-status").textContent = String(e);
    return;
  }
  if (!r.ok) {
    sweepError(await r.json().catch(() => null));
    return;
  }
  $("sweep-status").textContent = "";
  saveBlob(await r.blob(), caseId() + "-sweep.xlsx");
}

function caseId() {
  return ((S.single.case || {}).id || "case").trim() || "case";
}

function setLang(lang) {
  S.lang = lang;
  document.documentElement.lang = lang;
  document.title = t("title");
  $("title").textContent = t("title");
  $("lang-toggle").textContent = t("lang");
  $("table-case").setAttribute("aria-label", t("pick"));
  document.querySelectorAll("[data-t]").forEach((n) => { n.textContent = t(n.getAttribute("data-t")); });
  buildForm();
  calculate();
}

async function start() {
  const r = await fetch("/api/v1/schema", { headers: { "Accept-Language": S.lang } });
  S.schema = await r.json();
  S.single.case = { id: "my-case", fiscal_year: "R7" };
  $("lang-toggle").addEventListener("click", () => setLang(S.lang === "ja" ? "en" : "ja"));
  $("dl-ini").addEventListener("click", () => download(caseId() + ".ini", "text/plain", caseIni()));
  $("dl-json").addEventListener("click", () => {
    if (S.result) download(caseId() + ".json", "application/json", JSON.stringify(S.result, null, 2));
  });
  $("dl-csv").addEventListener("click", () => downloadAs("csv"));
  $("dl-xlsx").addEventListener("click", () => downloadAs("xlsx"));
  $("open-ini").addEventListener("change", (e) => {
    const f = e.target.files[0];
    if (f && /\.(csv|xlsx|xlsm|xls)$/i.test(f.name)) openTable(f);
    else if (f) f.text().then(openIni);
    e.target.value = "";
  });
  $("table-case").addEventListener("change", (e) => {
    const c = S.table[Number(e.target.value)];
    if (c) openCase(c.case);
  });
  $("sweep-run").addEventListener("click", runSweep);
  $("sweep-xlsx").addEventListener("click", downloadSweep);
  $("sweep-key").addEventListener("change", sweepDefaults);
  setLang(new URLSearchParams(location.search).get("lang") === "en" ? "en" : "ja");
  document.body.setAttribute("data-ready", "1");
}

window.addEventListener("DOMContentLoaded", start);
