// Draws the dashboards' Plotly charts from JSON data blocks, so that no page
// needs inline script. <div data-chart="ID"> takes the figure ({data, layout,
// config}) in <script type="application/json" id="ID">. With data-geojson="URL"
// the province boundaries are fetched once from the portal and given to every
// choropleth trace, and Plotly's own base-map folder is pointed at the same
// local folder, so that nothing is ever fetched from its CDN.
(function () {
  "use strict";

  var geojsonRequests = {};

  function geojson(url) {
    if (!geojsonRequests[url]) {
      geojsonRequests[url] = fetch(url, { credentials: "same-origin" }).then(
        function (response) {
          if (!response.ok) {
            throw new Error("Cannot load " + url + ": " + response.status);
          }
          return response.json();
        }
      );
    }
    return geojsonRequests[url];
  }

  function draw(container) {
    var block = document.getElementById(container.dataset.chart);
    if (!block || typeof Plotly === "undefined") {
      return Promise.resolve();
    }
    var figure = JSON.parse(block.textContent);
    var isMap = Boolean(container.dataset.geojson);
    var config = Object.assign(
      {
        responsive: true,
        displaylogo: false,
        scrollZoom: false,
        modeBarButtons: isMap
          ? [["zoomInGeo", "zoomOutGeo", "resetGeo", "toImage"]]
          : [["toImage"]],
        toImageButtonOptions: { filename: container.dataset.filename || "chart" },
      },
      figure.config || {}
    );
    if (isMap) {
      var boundariesUrl = new URL(container.dataset.geojson, location.href);
      config.topojsonURL = new URL("./", boundariesUrl).href;
    }
    if (isMap && container.clientWidth) {
      // Vietnam with its archipelagos is about as tall as it is wide.
      figure.layout.height = Math.min(
        figure.layout.height || 620,
        Math.round(container.clientWidth * 1.1) + 60
      );
    }
    var ready = isMap
      ? geojson(container.dataset.geojson).then(function (boundaries) {
          figure.data.forEach(function (trace) {
            if (trace.type === "choropleth") {
              trace.geojson = boundaries;
            }
          });
        })
      : Promise.resolve();
    return ready
      .then(function () {
        return Plotly.newPlot(container, figure.data, figure.layout, config);
      })
      .then(function () {
        container.dataset.rendered = "true";
      });
  }

  document.querySelectorAll("[data-chart]").forEach(function (container) {
    draw(container).catch(function (error) {
      container.dataset.rendered = "error";
      console.error(error);
    });
  });
})();
