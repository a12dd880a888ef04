// The year sheet: Enter moves down a column as in a spreadsheet (Shift+Enter
// up), changed cells are marked, and leaving the page with unsaved changes
// asks first.
(function () {
  "use strict";

  var form = document.querySelector("form[data-sheet]");
  if (!form) {
    return;
  }
  var dirty = false;

  function cellsOfColumn(input) {
    var cell = input.closest("td");
    var row = cell && cell.parentElement;
    if (!row) {
      return null;
    }
    var index = Array.prototype.indexOf.call(row.children, cell);
    return Array.prototype.map.call(form.querySelectorAll("tbody tr"), function (tr) {
      var target = tr.children[index];
      return target && target.querySelector("input:not([type=hidden]), select");
    });
  }

  form.addEventListener("keydown", function (event) {
    var input = event.target;
    if (event.key !== "Enter" || !input.matches("td input, td select")) {
      return;
    }
    var column = cellsOfColumn(input);
    if (!column) {
      return;
    }
    event.preventDefault();
    var step = event.shiftKey ? -1 : 1;
    for (var i = column.indexOf(input) + step; i >= 0 && i < column.length; i += step) {
      if (column[i]) {
        column[i].focus();
        if (column[i].select) {
          column[i].select();
        }
        return;
      }
    }
  });

  form.addEventListener("change", function (event) {
    var input = event.target;
    if (input.matches("td input, td select")) {
      dirty = true;
      input.classList.add("is-changed");
    }
  });
  // Unsaved values survive an ended session: what is sent is also kept in
  // this browser; when the sheet opens again (after logging in) with other
  // values in rows whose version has not changed, they are put back.
  var storageKey = "sheet-draft:" + (form.dataset.sheetKey || location.pathname);
  var DRAFT_DAYS = 7;

  function rowVersion(input) {
    var row = input.closest("tr");
    var version = row && row.querySelector("input[type=hidden][name$='-version']");
    return version ? version.value : "";
  }

  function cells() {
    return form.querySelectorAll("td input:not([type=hidden]), td select");
  }

  function draftKeep() {
    var values = {};
    Array.prototype.forEach.call(cells(), function (input) {
      values[input.name] = { value: input.value, version: rowVersion(input) };
    });
    try {
      localStorage.setItem(
        storageKey,
        JSON.stringify({ at: Date.now(), values: values })
      );
    } catch (error) {
      // Storage full or disabled: the sheet still saves as before.
    }
  }

  function draftRestore() {
    var draft;
    try {
      draft = JSON.parse(localStorage.getItem(storageKey) || "null");
      localStorage.removeItem(storageKey);
    } catch (error) {
      return;
    }
    if (!draft || !draft.values || Date.now() - draft.at > DRAFT_DAYS * 864e5) {
      return;
    }
    var restored = 0;
    Array.prototype.forEach.call(cells(), function (input) {
      var kept = draft.values[input.name];
      if (kept && kept.value !== input.value && kept.version === rowVersion(input)) {
        input.value = kept.value;
        input.classList.add("is-changed");
        restored += 1;
      }
    });
    if (restored) {
      dirty = true;
      var notice = document.createElement("div");
      notice.className = "alert alert-warning";
      notice.setAttribute("role", "status");
      notice.setAttribute("data-testid", "sheet-restored");
      notice.textContent = (form.dataset.restoredMessage || "").replace(
        "#",
        String(restored)
      );
      form.parentNode.insertBefore(notice, form);
    }
  }

  draftRestore();

  form.addEventListener("submit", function () {
    draftKeep();
    dirty = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
