// Follows a background check or import on its page: asks for its status every
// second, moves the progress bar and the numbers, and reloads the page once the
// check or the import has ended (the page then shows the preview or the
// result). The section to follow carries data-job-status-url; its numbers
// carry data-job-field.
(function () {
  "use strict";

  var INTERVAL = 1000;
  var section = document.querySelector("[data-job-status-url]");
  if (!section) {
    return;
  }
  var url = section.dataset.jobStatusUrl;
  var progress = section.querySelector("[role=progressbar]");
  var bar = progress.querySelector(".progress-bar");

  function show(status) {
    section.dataset.state = status.state;
    progress.setAttribute("aria-valuenow", String(status.percent));
    bar.style.width = status.percent + "%";
    if (!status.waiting) {
      bar.classList.add("progress-bar-striped", "progress-bar-animated");
      section.querySelectorAll("[data-job-queued]").forEach(function (note) {
        note.hidden = true;
      });
    }
    section.querySelectorAll("[data-job-field]").forEach(function (field) {
      var name = field.dataset.jobField;
      field.textContent = name === "state_label" ? status.state_label : status.text[name];
    });
  }

  function poll() {
    fetch(url, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (status) {
        if (status) {
          show(status);
          if (status.reload) {
            window.location.reload();
            return;
          }
        }
        window.setTimeout(poll, INTERVAL);
      })
      .catch(function () {
        window.setTimeout(poll, INTERVAL * 2);
      });
  }

  window.setTimeout(poll, INTERVAL);
})();
