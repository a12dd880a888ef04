// Draws the dashboards' Plotly charts from JSON data blocks, so that no page
// needs inline script. <div data-chart="ID"> takes the figure ({data, layout,
// config}) in <script type="application/json" id="ID">.
//
// Plotly (a partial bundle of bar and scatter traces, the URL in this script
// tag's data-plotly) is fetched only when a chart comes near the screen, and
// each chart is drawn when it does: a phone on a slow connection shows the
// page, its cards and tables first, and loads the charts only for someone who
// scrolls to them. The province maps are SVG drawn by the server and need
// none of this.
(function () {
  "use strict";

  var plotlyUrl = document.currentScript && document.currentScript.dataset.plotly;
  var plotlyRequest = null;
  // Below this width the axes show fewer year ticks, so that none is dropped.
  var NARROW = 576;

  function loadPlotly() {
    if (typeof Plotly !== "undefined") {
      return Promise.resolve();
    }
    if (!plotlyRequest) {
      plotlyRequest = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = plotlyUrl;
        tag.async = true;
        tag.onload = resolve;
        tag.onerror = function () {
          reject(new Error("Cannot load " + plotlyUrl));
        };
        document.head.appendChild(tag);
      });
    }
    return plotlyRequest;
  }

  function fitYearAxis(axis, width) {
    // Every year fits at laptop width; on a phone every other year, counted
    // back from the last one, so that the final target year keeps its label.
    if (!axis || axis.dtick !== 1 || !axis.range || width >= NARROW) {
      return;
    }
    var first = Math.ceil(axis.range[0]);
    var last = Math.floor(axis.range[1]);
    var step = Math.ceil((last - first + 1) / Math.max(3, Math.floor(width / 70)));
    var ticks = [];
    for (var year = last; year >= first; year -= step) {
      ticks.unshift(year);
    }
    axis.tickmode = "array";
    axis.tickvals = ticks;
    axis.ticktext = ticks.map(String);
  }

  // The chart's own words (its download button's title) in the page's
  // language: plotly-basic carries English only.
  var LOCALES = {
    vi: {
      "Download plot as a PNG": "Tải biểu đồ về (PNG)",
      "Download plot": "Tải biểu đồ về",
    },
  };
  var localeRegistered = false;

  function locale() {
    var lang = document.documentElement.lang;
    if (!LOCALES[lang]) {
      return "en";
    }
    if (!localeRegistered) {
      Plotly.register({ moduleType: "locale", name: lang, dictionary: LOCALES[lang] });
      localeRegistered = true;
    }
    return lang;
  }

  function draw(container) {
    var block = document.getElementById(container.dataset.chart);
    if (!block) {
      return Promise.resolve();
    }
    var figure = JSON.parse(block.textContent);
    var config = Object.assign(
      {
        responsive: true,
        displaylogo: false,
        scrollZoom: false,
        modeBarButtons: [["toImage"]],
        locale: locale(),
        toImageButtonOptions: { filename: container.dataset.filename || "chart" },
      },
      figure.config || {}
    );
    fitYearAxis(figure.layout.xaxis, container.clientWidth);
    return Plotly.newPlot(container, figure.data, figure.layout, config).then(
      function () {
        container.dataset.rendered = "true";
      }
    );
  }

  // Charts are drawn one at a time, each in its own task, so that the page
  // keeps answering a finger while several come into view at once.
  var queue = Promise.resolve();

  function nextTask() {
    return new Promise(function (resolve) {
      setTimeout(resolve, 0);
    });
  }

  function start(container) {
    queue = queue
      .then(loadPlotly)
      .then(nextTask)
      .then(function () {
        return draw(container);
      })
      .catch(function (error) {
        container.dataset.rendered = "error";
        console.error(error);
      });
  }

  var containers = document.querySelectorAll("[data-chart]");
  // Each chart's box takes its final height at once, so that nothing moves
  // when a chart is drawn as someone scrolls.
  containers.forEach(function (container) {
    var block = document.getElementById(container.dataset.chart);
    var height = block && JSON.parse(block.textContent).layout.height;
    if (height) {
      container.style.minHeight = height + "px";
    }
  });
  if (!("IntersectionObserver" in window)) {
    containers.forEach(start);
    return;
  }
  var observer = new IntersectionObserver(
    function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          start(entry.target);
        }
      });
    },
    // A chart starts loading when it is within 200 px of the screen: not
    // sooner, so that a page whose charts lie below its cards and tables
    // stays light and quick for whoever reads only those.
    { rootMargin: "0px 0px 200px 0px" }
  );
  containers.forEach(function (container) {
    observer.observe(container);
  });
})();
