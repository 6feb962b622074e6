// The awesome bar (header search): fetches /app/search?fragment=1 as the user types and
// drives the listbox with the keyboard — ArrowDown/ArrowUp move, Enter opens, Escape
// closes; "/" anywhere (outside a field) focuses the box. Without JS the form still works.
(function () {
  "use strict";
  function init() {
    var form = document.querySelector("form[data-awesome]");
    if (!form) return;
    var input = form.querySelector("input[name=q]");
    var list = form.querySelector("[role=listbox]");
    var timer = null, active = -1, seq = 0;

    function options() { return Array.prototype.slice.call(list.querySelectorAll("[role=option]")); }
    function open(yes) {
      list.hidden = !yes;
      input.setAttribute("aria-expanded", yes ? "true" : "false");
      if (!yes) { active = -1; input.removeAttribute("aria-activedescendant"); }
    }
    function mark(index) {
      var opts = options();
      if (!opts.length) return;
      active = (index + opts.length) % opts.length;
      opts.forEach(function (o, i) { o.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", opts[active].id);
      opts[active].scrollIntoView({ block: "nearest" });
    }
    function fetchResults() {
      var q = input.value.trim();
      if (!q) { list.innerHTML = ""; open(false); return; }
      var mine = ++seq;
      fetch("/app/search?fragment=1&q=" + encodeURIComponent(q), { headers: { "Accept": "text/html" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) {
          if (mine !== seq) return; // an older answer: the user typed on
          list.innerHTML = html;
          active = -1;
          open(true);
          if (options().length) mark(0);
        });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchResults, 150);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); if (list.hidden) fetchResults(); else mark(active + 1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); mark(active - 1); }
      else if (e.key === "Escape") { e.preventDefault(); if (!list.hidden) open(false); else input.value = ""; }
      else if (e.key === "Enter") {
        var opts = options();
        if (!list.hidden && opts.length && active >= 0) {
          e.preventDefault();
          window.location.href = opts[active].getAttribute("data-href");
        }
      }
    });
    list.addEventListener("mousedown", function (e) {
      var opt = e.target.closest("[role=option]");
      if (opt) { e.preventDefault(); window.location.href = opt.getAttribute("data-href"); }
    });
    input.addEventListener("blur", function () { setTimeout(function () { open(false); }, 150); });
    document.addEventListener("keydown", function (e) {
      var tag = (e.target.tagName || "").toLowerCase();
      if (e.key === "/" && !e.ctrlKey && !e.metaKey && tag !== "input" && tag !== "textarea" && tag !== "select" && !e.target.isContentEditable) {
        e.preventDefault();
        input.focus();
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
