// Limits a commune drop-down to the communes of the chosen province.
// A province <select data-commune-select="ID"> drives the select with that id,
// which carries data-communes-url (a JSON list of [code, label] per province).
(function () {
  "use strict";

  function refill(communeSelect, provinceCode) {
    var url = communeSelect.dataset.communesUrl;
    var params = new URLSearchParams({ province: provinceCode || "" });
    fetch(url + "?" + params.toString(), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : { communes: [] };
      })
      .then(function (data) {
        var previous = communeSelect.value;
        while (communeSelect.options.length > 1) {
          communeSelect.remove(1);
        }
        data.communes.forEach(function (item) {
          var option = new Option(item[1], item[0]);
          option.selected = item[0] === previous;
          communeSelect.add(option);
        });
      });
  }

  document.querySelectorAll("select[data-commune-select]").forEach(function (province) {
    var commune = document.getElementById(province.dataset.communeSelect);
    if (!commune || !commune.dataset.communesUrl) {
      return;
    }
    province.addEventListener("change", function () {
      refill(commune, province.value);
    });
  });
})();
