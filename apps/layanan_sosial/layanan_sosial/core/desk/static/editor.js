/* Text Editor fields of the desk form: rich text with Quill 2.
   Why Quill: it is the editor Frappe's Text Editor uses, so its users know the toolbar and
   its HTML; it is maintained, BSD-licensed and ships a ready browser build (dist/quill.js)
   that the desk serves straight from node_modules like htmx and alpinejs — no bundler.
   (TipTap/ProseMirror would need a build step; CKEditor 5 is GPL.)
   Quill is loaded only on a page that has a Text Editor. The field's hidden input holds the
   value the save sends (desk.js reads it like any input): the stored value until the text is
   edited, then the editor's semantic HTML. The server sanitises it in any case. */
(function () {
  "use strict";

  const TEXT = {
    id: {
      toolbar: "Format teks", bold: "Tebal (Ctrl+B)", italic: "Miring (Ctrl+I)",
      underline: "Garis bawah (Ctrl+U)", "list:ordered": "Daftar bernomor",
      "list:bullet": "Daftar berbutir", link: "Tautan (Ctrl+K)", "header:1": "Judul 1",
      "header:2": "Judul 2", "header:3": "Judul 3", "header:4": "Judul 4",
      clean: "Hapus format", url: "Alamat tautan", failed: "Editor teks tidak dapat dimuat; isi sebagai teks biasa.",
    },
    en: {
      toolbar: "Text formatting", bold: "Bold (Ctrl+B)", italic: "Italic (Ctrl+I)",
      underline: "Underline (Ctrl+U)", "list:ordered": "Numbered list",
      "list:bullet": "Bulleted list", link: "Link (Ctrl+K)", "header:1": "Heading 1",
      "header:2": "Heading 2", "header:3": "Heading 3", "header:4": "Heading 4",
      clean: "Clear formatting", url: "Link address", failed: "The text editor could not load; type plain text.",
    },
  };
  const text = () => TEXT[document.body.dataset.lang === "en" ? "en" : "id"];

  // Tab leaves the editor (keyboard users must be able to move on): Quill's Tab bindings off
  const NO_TAB = { tab: null, indent: null, outdent: null, "remove tab": null,
    "indent code-block": null, "outdent code-block": null };

  let loading = null;
  function loadQuill(box) {
    if (window.Quill) return Promise.resolve();
    if (!loading) {
      loading = new Promise((resolve, reject) => {
        const css = document.createElement("link");
        css.rel = "stylesheet";
        css.href = box.dataset.quillCss;
        const ours = document.querySelector('link[href$="/editor.css"]');
        document.head.insertBefore(css, ours);  // the desk's own rules come after the theme
        const script = document.createElement("script");
        script.src = box.dataset.quillJs;
        script.onload = resolve;
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  // Quill's semantic HTML writes every space as &nbsp;: keep one real space per run
  function semantic(quill) {
    if (!quill.getText().trim()) return "";
    return quill.getSemanticHTML().replace(/(?:&nbsp;)+/g, (run) => " " + "&nbsp;".repeat(run.length / 6 - 1));
  }

  function setup(box) {
    const input = box.querySelector("input[data-field]");
    const body = box.querySelector(".te-body");
    const labelId = body.getAttribute("aria-labelledby");
    const quill = new window.Quill(body, {
      theme: "snow",
      formats: ["bold", "italic", "underline", "strike", "list", "link", "header", "blockquote", "code"],
      modules: {
        toolbar: [
          ["bold", "italic", "underline"],
          [{ list: "ordered" }, { list: "bullet" }],
          ["link"],
          [{ header: 1 }, { header: 2 }, { header: 3 }, { header: 4 }],
          ["clean"],
        ],
        keyboard: {
          bindings: Object.assign({}, NO_TAB, {
            link: {
              key: "k", shortKey: true,
              handler(range) {
                if (range && range.length) quill.theme.tooltip.edit("link", "https://");
                return false;
              },
            },
            toolbar: {  // Alt+F10 reaches the toolbar, Escape there comes back
              key: "F10", altKey: true,
              handler() { const first = toolbar.querySelector("button"); if (first) first.focus(); return false; },
            },
          }),
        },
      },
    });
    const root = quill.root;
    const toolbar = box.querySelector(".ql-toolbar");
    const words = text();
    root.id = "te-input-" + input.dataset.field;
    root.setAttribute("role", "textbox");
    root.setAttribute("aria-multiline", "true");
    if (labelId) root.setAttribute("aria-labelledby", labelId);
    body.removeAttribute("aria-labelledby");
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", words.toolbar);
    toolbar.setAttribute("aria-controls", root.id);
    toolbar.querySelectorAll("button").forEach((button) => {
      const format = [...button.classList].find((c) => c.startsWith("ql-")).slice(3);
      const name = words[button.value ? format + ":" + button.value : format] || format;
      button.setAttribute("aria-label", name);
      button.title = name;
    });
    toolbar.addEventListener("keydown", (e) => {
      if (e.key === "Escape") { e.preventDefault(); quill.focus(); }
    });
    const url = box.querySelector(".ql-tooltip input");
    if (url) url.setAttribute("aria-label", words.url);

    // the label (for= the hidden input) focuses the editor
    const label = labelId && document.getElementById(labelId);
    if (label) label.addEventListener("click", (e) => { e.preventDefault(); quill.focus(); });

    quill.on("text-change", () => {
      input.value = semantic(quill);
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });

    // read_only_depends_on: desk.js sets readOnly on the hidden input; the editor follows
    const follow = () => {
      const ro = input.readOnly;
      quill.enable(!ro);
      toolbar.hidden = ro;
      box.classList.toggle("is-readonly", ro);
      root.setAttribute("aria-readonly", String(ro));
    };
    new MutationObserver(follow).observe(input, { attributes: true, attributeFilter: ["readonly"] });
    follow();
    box.deskEditor = quill;
  }

  // without the package (npm not installed) the field still works as plain text
  function fallback(box) {
    const input = box.querySelector("input[data-field]");
    const area = document.createElement("textarea");
    area.id = input.id;
    area.dataset.field = input.dataset.field;
    area.rows = 6;
    area.value = input.value;
    input.replaceWith(area);
    box.querySelector(".te-body").hidden = true;
    const note = document.createElement("small");
    note.className = "hint";
    note.textContent = text().failed;
    box.appendChild(note);
  }

  function start() {
    const boxes = [...document.querySelectorAll("[data-text-editor]")];
    if (!boxes.length) return;
    loadQuill(boxes[0]).then(
      () => boxes.forEach(setup),
      () => boxes.forEach(fallback),
    );
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
