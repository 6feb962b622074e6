/* The desk's form behaviour: collect values, live depends_on rules, Link autocomplete,
   child-table grids, save/submit/cancel/workflow through the REST API (one request each),
   field-level errors next to their fields and the "changed since you opened it" choice. */
(function () {
  "use strict";

  const csrf = () => (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  async function api(method, url, body, isForm) {
    const headers = { Accept: "application/json", "X-Frappe-CSRF-Token": csrf() };
    const init = { method, headers, credentials: "same-origin" };
    if (body !== undefined) {
      if (isForm) init.body = body;
      else { headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
    }
    const response = await fetch(url, init);
    let data = {};
    try { data = await response.json(); } catch (e) { data = {}; }
    return { ok: response.ok, status: response.status, data };
  }

  // -- safe expressions (depends_on): doc.x == 'y', and/or/not, &&/||/!, comparisons, in ---
  function tokenize(src) {
    const re = /\s*(===|!==|==|!=|>=|<=|&&|\|\||[()<>!,\[\]]|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|\d+(?:\.\d+)?|[A-Za-z_][\w.]*)/y;
    const out = [];
    let m;
    re.lastIndex = 0;
    while (re.lastIndex < src.length && (m = re.exec(src))) out.push(m[1]);
    if (src.slice(re.lastIndex).trim()) throw new Error("unsupported expression: " + src);
    return out;
  }

  function evaluate(src, doc) {
    const t = tokenize(src);
    let i = 0;
    const peek = () => t[i];
    const next = () => t[i++];
    const value = (name) => {
      const path = name.split(".");
      let v = path[0] === "doc" ? doc : path.length === 1 ? doc : undefined;
      for (const part of path[0] === "doc" ? path.slice(1) : path) v = v == null ? undefined : v[part];
      return v;
    };
    function primary() {
      const tok = next();
      if (tok === "(") { const v = or(); next(); return v; }
      if (tok === "[") {
        const items = [];
        while (peek() !== "]" && peek() !== undefined) { items.push(or()); if (peek() === ",") next(); }
        next();
        return items;
      }
      if (tok === "!" || tok === "not") return !cmp();
      if (/^['"]/.test(tok)) return tok.slice(1, -1).replace(/\\(.)/g, "$1");
      if (/^\d/.test(tok)) return parseFloat(tok);
      if (tok === "true" || tok === "True") return true;
      if (tok === "false" || tok === "False") return false;
      if (tok === "null" || tok === "None" || tok === "undefined") return null;
      return value(tok);
    }
    const num = (a) => (typeof a === "string" && a.trim() !== "" && !isNaN(a) ? parseFloat(a) : a);
    function cmp() {
      let left = primary();
      const op = peek();
      if (["==", "===", "!=", "!==", ">", "<", ">=", "<=", "in"].includes(op)) {
        next();
        const right = primary();
        const a = num(left), b = num(right);
        const blank = (x) => x === null || x === undefined || x === "";
        switch (op) {
          case "==": case "===": return (blank(a) && blank(b)) || a == b; // eslint-disable-line eqeqeq
          case "!=": case "!==": return !((blank(a) && blank(b)) || a == b); // eslint-disable-line eqeqeq
          case ">": return a > b;
          case "<": return a < b;
          case ">=": return a >= b;
          case "<=": return a <= b;
          case "in": return Array.isArray(b) ? b.includes(left) : String(b || "").includes(left);
        }
      }
      return left;
    }
    function not() { if (peek() === "!" || peek() === "not") { next(); return !not(); } return cmp(); }
    function and() { let v = not(); while (peek() === "&&" || peek() === "and") { next(); const r = not(); v = v && r; } return v; }
    function or() { let v = and(); while (peek() === "||" || peek() === "or") { next(); const r = and(); v = v || r; } return v; }
    return or();
  }

  function rule(expression, doc) {
    if (!expression) return true;
    const src = expression.startsWith("eval:") ? expression.slice(5) : expression;
    try {
      const v = evaluate(src, doc);
      return Array.isArray(v) ? v.length > 0 : Boolean(v) && v !== "0";
    } catch (e) {
      console.warn(e);
      return true;
    }
  }
  window.deskEvaluate = rule;

  // -- dates typed dd-mm-yyyy (also accepted: yyyy-mm-dd); sent to the server as ISO --------
  const pad = (n) => String(n).padStart(2, "0");
  function parseDate(text, kind) {
    const value = String(text || "").trim();
    if (!value) return null;
    let m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T](\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?$/.exec(value);
    let date, time;
    if (m) { date = m[3] + "-" + pad(m[2]) + "-" + pad(m[1]); time = m[4] ? pad(m[4]) + ":" + m[5] + ":" + (m[6] || "00") : "00:00:00"; }
    else {
      m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(value);
      if (!m) return value;  // the server answers with a field error
      date = m[1] + "-" + m[2] + "-" + m[3]; time = m[4] ? m[4] + ":" + m[5] + ":" + (m[6] || "00") : "00:00:00";
    }
    return kind === "datetime" ? date + " " + time : date;
  }
  function showDate(iso, kind) {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?/.exec(iso || "");
    if (!m) return "";
    return m[3] + "-" + m[2] + "-" + m[1] + (kind === "datetime" && m[4] ? " " + m[4] + ":" + m[5] : "");
  }
  window.deskParseDate = parseDate;

  // -- Link autocomplete ------------------------------------------------------------------
  function setupLink(box, onPick) {
    const input = box.querySelector("input");
    const list = box.querySelector(".link-results");
    if (!input || !list || input.readOnly) return;
    let timer = null, active = -1;
    const close = () => { list.hidden = true; input.setAttribute("aria-expanded", "false"); active = -1; };
    const pick = (value) => {
      close();
      if (onPick) { onPick(value); input.value = ""; }
      else { input.value = value; input.dispatchEvent(new Event("change", { bubbles: true })); }
    };
    const search = async () => {
      let target = box.dataset.link;
      if (box.dataset.linkFrom) {  // Dynamic Link: the DocType is another field's value
        const scope = box.closest("tr") || document;
        const source = scope.querySelector('[data-field="' + box.dataset.linkFrom + '"], [data-col-input="' + box.dataset.linkFrom + '"]');
        target = source ? source.value : "";
        if (!target) { list.hidden = true; return; }
      }
      const params = new URLSearchParams({ doctype: target, txt: input.value, page_length: "10" });
      const res = await api("GET", "/api/method/frappe.desk.search.search_link?" + params);
      const items = (res.data && res.data.message) || [];
      list.innerHTML = "";
      items.forEach((item, n) => {
        const li = document.createElement("li");
        li.setAttribute("role", "option");
        li.id = (input.id || "link") + "-opt-" + n;
        li.dataset.value = item.value;
        const strong = document.createElement("strong");
        strong.textContent = item.label || item.value;
        li.appendChild(strong);
        if (item.description || item.label) {
          const small = document.createElement("small");
          small.textContent = " " + [item.label ? item.value : "", item.description || ""].filter(Boolean).join(", ");
          li.appendChild(small);
        }
        li.addEventListener("mousedown", (e) => { e.preventDefault(); pick(item.value); });
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", String(items.length > 0));
    };
    input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(search, 200); });
    input.addEventListener("focus", () => { clearTimeout(timer); timer = setTimeout(search, 50); });
    input.addEventListener("blur", () => setTimeout(close, 150));
    input.addEventListener("keydown", (e) => {
      const options = [...list.querySelectorAll("li")];
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        if (!options.length) return;
        active = (active + (e.key === "ArrowDown" ? 1 : options.length - 1)) % options.length;
        options.forEach((o, n) => o.setAttribute("aria-selected", String(n === active)));
        input.setAttribute("aria-activedescendant", options[active].id);
      } else if (e.key === "Enter" && active >= 0 && options[active]) {
        e.preventDefault();
        pick(options[active].dataset.value);
      } else if (e.key === "Escape") close();
    });
  }

  // -- the form ---------------------------------------------------------------------------
  function initForm(root) {
    const original = JSON.parse(document.getElementById("desk-doc").textContent);
    const doctype = root.dataset.doctype;
    const route = root.dataset.route;
    const isNew = root.dataset.new === "1";
    let dirty = false;
    let pending = null;

    const fieldValue = (el, stored) => {
      if (el.matches(".rating")) return parseFloat(el.dataset.value || "0") || 0;
      if (el.dataset.date) {
        // untouched: the stored value as it was (the text shows minutes, the value has seconds)
        if (stored !== undefined && el.value === el.defaultValue) return stored;
        return parseDate(el.value, el.dataset.date);
      }
      if (el.type === "checkbox") return el.checked ? 1 : 0;
      if (el.type === "number") return el.value === "" ? null : Number(el.value);
      if (el.type === "datetime-local") return el.value ? el.value.replace("T", " ") : null;
      if (el.tagName === "OUTPUT") return el.textContent;
      return el.value === "" ? null : el.value;
    };

    function collect() {
      const doc = Object.assign({}, original);
      root.querySelectorAll("[data-field]").forEach((el) => {
        if (el.closest(".grid") || el.hasAttribute("data-readonly")) return;
        if (el.type === "password" && !el.value) return;
        doc[el.dataset.field] = fieldValue(el, original[el.dataset.field]);
      });
      root.querySelectorAll(".grid").forEach((grid) => {
        doc[grid.dataset.table] = [...grid.querySelectorAll("tbody tr")].map((tr) => {
          const row = JSON.parse(tr.dataset.row || "{}");
          tr.querySelectorAll("[data-col-input]").forEach((el) => { row[el.dataset.colInput] = fieldValue(el, row[el.dataset.colInput]); });
          return row;
        });
      });
      root.querySelectorAll(".multiselect").forEach((box) => {
        const link = box.dataset.linkField;
        doc[box.dataset.multi] = [...box.querySelectorAll(".chips li")].map((li) => ({ [link]: li.dataset.value }));
      });
      return doc;
    }

    function refresh() {
      const doc = collect();
      root.querySelectorAll("[data-depends-on]").forEach((el) => { el.hidden = !rule(el.dataset.dependsOn, doc); });
      root.querySelectorAll("[data-mandatory-depends-on]").forEach((el) => {
        const on = rule(el.dataset.mandatoryDependsOn, doc);
        el.classList.toggle("is-reqd", on);
        const mark = el.querySelector(".reqd");
        if (mark) mark.textContent = on || el.dataset.reqd ? " *" : "";
      });
      root.querySelectorAll("[data-read-only-depends-on]").forEach((el) => {
        const ro = rule(el.dataset.readOnlyDependsOn, doc);
        el.querySelectorAll("input, select, textarea").forEach((input) => {
          if (input.dataset.wasReadonly === undefined) input.dataset.wasReadonly = input.readOnly || input.disabled ? "1" : "0";
          if (input.dataset.wasReadonly === "1") return;
          if (input.tagName === "SELECT" || input.type === "checkbox") input.disabled = ro; else input.readOnly = ro;
        });
      });
    }

    function clearErrors() {
      root.querySelectorAll(".field-error").forEach((p) => { p.textContent = ""; });
      root.querySelectorAll(".has-error").forEach((el) => el.classList.remove("has-error"));
      const box = document.getElementById("form-error");
      box.hidden = true; box.textContent = "";
    }

    function showErrors(data) {
      const messages = [];
      (data._field_errors || []).forEach((item) => {
        let slot = null;
        if (item.row) {
          root.querySelectorAll(".grid").forEach((grid) => {
            const tr = grid.querySelectorAll("tbody tr")[Number(item.row) - 1];
            const cell = tr && tr.querySelector('[data-row-error="' + item.field + '"]');
            if (cell && !slot) slot = cell;
          });
        }
        slot = slot || document.getElementById("err-" + item.field);
        if (slot) {
          slot.textContent = item.message;
          const wrap = slot.closest(".field, td");
          if (wrap) wrap.classList.add("has-error");
        } else messages.push(item.message);
      });
      const general = data._error_message || (data.errors && data.errors[0] && data.errors[0].message) || "";
      if (!(data._field_errors || []).length || messages.length) {
        const box = document.getElementById("form-error");
        box.textContent = [general, ...messages].filter(Boolean).filter((v, n, a) => a.indexOf(v) === n).join(" ");
        box.hidden = !box.textContent;
      }
      const first = root.querySelector(".has-error input, .has-error select, .has-error textarea");
      if (first) first.focus();
    }

    const say = (text) => {
      const box = document.getElementById("form-message");
      box.textContent = text; box.hidden = !text;
    };

    async function save(body) {
      clearErrors();
      const doc = body || collect();
      const res = isNew
        ? await api("POST", "/api/resource/" + encodeURIComponent(doctype), doc)
        : await api("PUT", "/api/resource/" + encodeURIComponent(doctype) + "/" + encodeURIComponent(original.name), doc);
      if (res.ok) {
        dirty = false;
        const name = res.data.data.name;
        window.location.href = route + "/" + encodeURIComponent(name) + "?saved=1";
        return true;
      }
      if (res.data.exc_type === "TimestampMismatchError") {
        pending = doc;
        document.getElementById("conflict").hidden = false;
        document.getElementById("conflict").scrollIntoView({ block: "center" });
        return false;
      }
      showErrors(res.data);
      return false;
    }

    async function method(path, args) {
      clearErrors();
      const res = await api("POST", "/api/method/" + path, args);
      if (!res.ok) { showErrors(res.data); return null; }
      return res.data.message;
    }

    root.addEventListener("input", () => { dirty = true; refresh(); });
    root.addEventListener("change", () => { dirty = true; refresh(); });
    window.addEventListener("beforeunload", (e) => { if (dirty) { e.preventDefault(); e.returnValue = ""; } });

    root.querySelectorAll("[data-doc-action]").forEach((button) => button.addEventListener("click", async () => {
      const action = button.dataset.docAction;
      button.disabled = true;
      try {
        if (action === "save") await save();
        else if (action === "submit") {
          if (await method("frappe.client.submit", { doc: collect() })) { dirty = false; location.reload(); }
        } else if (action === "cancel") {
          if (await method("frappe.client.cancel", { doctype, name: original.name }) !== null) { dirty = false; location.reload(); }
        } else if (action === "delete") {
          if (!confirm(button.textContent + "?")) return;
          const res = await api("DELETE", "/api/resource/" + encodeURIComponent(doctype) + "/" + encodeURIComponent(original.name));
          if (res.ok) { dirty = false; location.href = route; } else showErrors(res.data);
        }
      } finally { button.disabled = false; }
    }));

    root.querySelectorAll("[data-workflow-action]").forEach((button) => button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        if (dirty) {
          // unsaved edits first (their own request); the action then runs on the stored document
          const doc = collect();
          const res = await api("PUT", "/api/resource/" + encodeURIComponent(doctype) + "/" + encodeURIComponent(original.name), doc);
          if (!res.ok) { showErrors(res.data); return; }
        }
        const result = await method("frappe.model.workflow.apply_workflow", {
          doc: { doctype, name: original.name }, action: button.dataset.workflowAction,
        });
        if (result) { dirty = false; location.reload(); }
      } finally { button.disabled = false; }
    }));

    // custom buttons from the DocType's `actions` (Server Action → whitelisted method with the
    // document name in `arg`, or Frappe's `doc`; Route → go there, "{name}" replaced)
    root.querySelectorAll("[data-form-action]").forEach((button) => button.addEventListener("click", async () => {
      const target = button.dataset.formAction;
      if (button.dataset.actionType === "Route") {
        location.href = target.replace("{name}", encodeURIComponent(original.name));
        return;
      }
      button.disabled = true;
      try {
        if (dirty) {
          const res = await api("PUT", "/api/resource/" + encodeURIComponent(doctype) + "/" + encodeURIComponent(original.name), collect());
          if (!res.ok) { showErrors(res.data); return; }
        }
        const arg = button.dataset.actionArg;
        const args = arg ? { [arg]: original.name } : { doc: Object.assign(collect(), { doctype }) };
        clearErrors();
        const res = await api("POST", "/api/method/" + target, args);
        if (!res.ok) showErrors(res.data);
        else { dirty = false; location.href = route + "/" + encodeURIComponent(original.name) + "?done=" + encodeURIComponent(button.textContent.trim()); }
      } finally { button.disabled = false; }
    }));

    // conflict: reload / overwrite with my changes / copy my changes — nothing lost
    root.querySelectorAll("[data-conflict]").forEach((button) => button.addEventListener("click", async () => {
      const choice = button.dataset.conflict;
      if (choice === "reload") { dirty = false; location.reload(); return; }
      if (choice === "copy") {
        const mine = {};
        Object.keys(pending || {}).forEach((k) => {
          if (JSON.stringify(pending[k]) !== JSON.stringify(original[k])) mine[k] = pending[k];
        });
        const area = document.getElementById("conflict-changes");
        area.value = JSON.stringify(mine, null, 2);
        area.hidden = false;
        area.select();
        try { await navigator.clipboard.writeText(area.value); } catch (e) { /* selection stays */ }
        say(document.body.dataset.lang === "en" ? "Copied." : "Disalin.");
        return;
      }
      const latest = await api("GET", "/api/resource/" + encodeURIComponent(doctype) + "/" + encodeURIComponent(original.name));
      if (!latest.ok) { showErrors(latest.data); return; }
      const body = Object.assign({}, pending, { modified: latest.data.data.modified });
      document.getElementById("conflict").hidden = true;
      await save(body);
    }));

    // grids
    root.querySelectorAll("[data-add-row]").forEach((button) => button.addEventListener("click", () => {
      const grid = button.closest(".grid");
      const tbody = grid.querySelector("tbody");
      const fragment = grid.querySelector("template").content.cloneNode(true);
      const tr = fragment.querySelector("tr");
      const n = tbody.children.length + 1;
      tr.querySelector(".idx").textContent = n;
      tr.querySelectorAll("[id]").forEach((el) => {
        const id = el.id.replace(/-new$/, "-n" + n);
        const label = tr.querySelector('label[for="' + el.id + '"]');
        if (label) label.htmlFor = id;
        el.id = id;
      });
      tbody.appendChild(tr);
      tr.querySelectorAll(".link-field").forEach((box) => setupLink(box));
      const first = tr.querySelector("input, select");
      if (first) first.focus();
      dirty = true;
    }));
    root.addEventListener("click", (e) => {
      const remove = e.target.closest("[data-remove-row]");
      if (remove) { remove.closest("tr").remove(); dirty = true; refresh(); }
      const chip = e.target.closest("[data-remove-chip]");
      if (chip) { chip.closest("li").remove(); dirty = true; refresh(); }
      const star = e.target.closest("[data-star]");
      if (star && !star.disabled) {
        const box = star.closest(".rating");
        box.dataset.value = String(parseInt(star.dataset.star, 10) / parseInt(box.dataset.stars, 10));
        paintRating(box); dirty = true;
      }
      const tab = e.target.closest("[data-tab]");
      if (tab) {
        root.querySelectorAll("[data-tab]").forEach((t) => t.setAttribute("aria-selected", String(t === tab)));
        root.querySelectorAll(".tab-panel").forEach((p) => { p.hidden = p.id !== "panel-" + tab.dataset.tab; });
      }
    });

    function paintRating(box) {
      const stars = parseInt(box.dataset.stars, 10);
      const lit = Math.round(parseFloat(box.dataset.value || "0") * stars);
      box.querySelectorAll("[data-star]").forEach((b) => {
        const on = parseInt(b.dataset.star, 10) <= lit;
        b.classList.toggle("on", on);
        b.setAttribute("aria-checked", String(on));
      });
    }
    root.querySelectorAll(".rating").forEach(paintRating);

    // links, multiselect chips
    root.querySelectorAll(".link-field").forEach((box) => {
      if (box.hasAttribute("data-chip-input")) {
        const multi = box.closest(".multiselect");
        setupLink(box, (value) => {
          if ([...multi.querySelectorAll(".chips li")].some((li) => li.dataset.value === value)) return;
          const li = document.createElement("li");
          li.dataset.value = value;
          li.textContent = value + " ";
          const x = document.createElement("button");
          x.type = "button"; x.textContent = "✕"; x.setAttribute("data-remove-chip", "");
          li.appendChild(x);
          multi.querySelector(".chips").appendChild(li);
          dirty = true; refresh();
        });
      } else setupLink(box);
    });

    // date pickers fill the dd-mm-yyyy text beside them (and follow it)
    root.querySelectorAll("[data-picker-for]").forEach((picker) => {
      const text = document.getElementById(picker.dataset.pickerFor);
      const kind = text.dataset.date;
      const sync = () => { const iso = parseDate(text.value, kind); picker.value = iso && /^\d{4}-/.test(iso) ? iso.replace(" ", "T").slice(0, 16) : ""; };
      sync();
      text.addEventListener("change", sync);
      picker.addEventListener("change", () => {
        text.value = showDate(picker.value.replace("T", " "), kind);
        text.dispatchEvent(new Event("input", { bubbles: true }));
      });
    });

    // uploads (Attach fields and document attachments) through upload_file
    root.querySelectorAll("input[type=file]").forEach((input) => input.addEventListener("change", async () => {
      if (!input.files.length) return;
      const data = new FormData();
      data.append("file", input.files[0]);
      data.append("is_private", "1");
      if (!isNew) { data.append("doctype", doctype); data.append("docname", original.name); }
      const res = await api("POST", "/api/method/upload_file", data, true);
      if (!res.ok) { showErrors(res.data); return; }
      const url = res.data.message.file_url;
      if (input.dataset.uploadFor) {
        const target = root.querySelector('[data-field="' + input.dataset.uploadFor + '"]');
        target.value = url; dirty = true; refresh();
      } else { dirty = false; location.reload(); }
    }));

    document.addEventListener("keydown", (e) => {
      if ((e.ctrlKey || e.metaKey) && e.key === "s") {
        e.preventDefault();
        const button = root.querySelector('[data-doc-action="save"]');
        if (button) button.click();
      }
    });

    refresh();
    const query = new URLSearchParams(location.search);
    if (query.get("saved")) say(document.body.dataset.lang === "en" ? "Saved" : "Tersimpan");
    else if (query.get("done")) say((document.body.dataset.lang === "en" ? "Done: " : "Selesai: ") + query.get("done"));
    window.deskForm = { collect, refresh, save };
  }

  document.addEventListener("DOMContentLoaded", () => {
    const root = document.getElementById("desk-form");
    if (root) initForm(root);
  });
})();
