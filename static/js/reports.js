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
  form.addEventListener("submit", function () {
    dirty = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
