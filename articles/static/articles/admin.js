"use strict";
// Select2 (the admin's autocomplete) draws a combobox without an accessible name: give it the
// name of the field it stands for, so screen readers announce "Author", not nothing.
(function () {
  function fieldName(select) {
    const label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (label) {
      return label.textContent.replace(/[:\s]+$/, "").trim();
    }
    const cell = select.closest("td");
    const match = cell && cell.className.match(/field-(\S+)/);
    const table = cell && cell.closest("table");
    const header = match && table && table.querySelector("th.column-" + match[1]);
    return header ? header.textContent.trim() : select.name;
  }
  function columnName(cell) {
    // The header over the cell, counting column spans.
    const table = cell.closest("table");
    const row = table && table.tHead && table.tHead.rows[0];
    if (!row) {
      return "";
    }
    let column = 0;
    for (const td of cell.parentElement.cells) {
      if (td === cell) {
        break;
      }
      column += td.colSpan;
    }
    let at = 0;
    for (const th of row.cells) {
      if (column < at + th.colSpan) {
        return th.textContent.trim();
      }
      at += th.colSpan;
    }
    return "";
  }
  function name(root) {
    // Tabular inlines label their fields only by the column header: name each field after it.
    root
      .querySelectorAll(".tabular td :is(input, select, textarea):not([type=hidden]):not([aria-label])")
      .forEach((field) => {
        const header = columnName(field.closest("td"));
        if (header) {
          field.setAttribute("aria-label", header);
        }
      });
    // Date and time halves of a date-time field: "As of (Date)", "As of (Time)".
    root.querySelectorAll("p.datetime input:not([aria-label])").forEach((field) => {
      const row = field.closest("[class*=field-]");
      const label = row && row.querySelector("label");
      let part = field.previousSibling;
      while (part && part.nodeType !== Node.TEXT_NODE) {
        part = part.previousSibling;
      }
      const partName = part ? part.textContent.replace(/[:\s]+$/, "").trim() : "";
      const fieldLabel = label ? label.textContent.replace(/[:\s]+$/, "").trim() : field.name;
      field.setAttribute("aria-label", partName ? fieldLabel + " (" + partName + ")" : fieldLabel);
    });
    root.querySelectorAll(".select2-selection[role=combobox]").forEach((box) => {
      const container = box.closest(".select2-container");
      const select = container && container.previousElementSibling;
      if (select && select.tagName === "SELECT") {
        const label = fieldName(select);
        box.setAttribute("aria-label", label);
        box
          .querySelectorAll("[role=textbox], .select2-search__field")
          .forEach((text) => text.setAttribute("aria-label", label));
      }
    });
  }
  document.addEventListener("DOMContentLoaded", () => {
    // The change list's search box is labelled by an icon only.
    const search = document.getElementById("searchbar");
    const go = search && search.form.querySelector("input[type=submit]");
    if (search && go && !search.hasAttribute("aria-label")) {
      search.setAttribute("aria-label", go.value);
    }
    name(document);
    new MutationObserver(() => name(document)).observe(document.body, {
      childList: true,
      subtree: true,
    });
  });
})();
