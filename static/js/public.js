// The public pages: a drop-down marked data-auto-submit sends its form when
// it changes (the form's button stays for those without script), and a
// button with data-copy copies the text of the element it names (the
// <iframe> snippets of the cards). No inline script: the CSP forbids it.
(function () {
  "use strict";

  document.querySelectorAll("select[data-auto-submit]").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.form) {
        select.form.requestSubmit ? select.form.requestSubmit() : select.form.submit();
      }
    });
  });

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var source = document.getElementById(button.dataset.copy);
      if (!source) {
        return;
      }
      var text = source.value !== undefined ? source.value : source.textContent;
      var done = function () {
        var label = button.innerHTML;
        button.textContent = button.dataset.copied || "OK";
        window.setTimeout(function () {
          button.innerHTML = label;
        }, 1500);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () {
          source.select();
          document.execCommand("copy");
          done();
        });
      } else {
        source.select();
        document.execCommand("copy");
        done();
      }
    });
  });
})();
