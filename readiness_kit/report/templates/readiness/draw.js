/* readiness-kit: draw every figure of the report with the single inline plotly.js. */
(function () {
  "use strict";
  var PRINT_WIDTH = 680; /* px: A4 / Letter width minus the @page margins */
  var CONFIG = {displaylogo: false, responsive: true};

  function figures() {
    return Array.prototype.slice.call(document.querySelectorAll("div.rk-figure[data-rk-figure]"));
  }

  function fail(div, err) {
    div.classList.add("rk-figure-failed");
    div.textContent = "This chart could not be drawn.";
    console.error("readiness-kit: chart " + div.id + " could not be drawn", err);
  }

  function drawOne(div) {
    try {
      var source = document.getElementById(div.getAttribute("data-rk-figure"));
      var fig = JSON.parse(source.textContent);
      var layout = fig.layout || {};
      var config = Object.assign({}, fig.config || {}, CONFIG);
      if (layout.title && layout.title.text) {
        div.setAttribute("aria-label", "Chart: " + String(layout.title.text).replace(/<[^>]*>/g, ""));
      }
      return Plotly.newPlot(div, fig.data || [], layout, config).then(function () {
        div.setAttribute("data-rk-drawn", "true");
      }, function (err) { fail(div, err); });
    } catch (err) {
      fail(div, err);
      return null;
    }
  }

  function drawAll() {
    if (typeof window.Plotly === "undefined") {
      figures().forEach(function (div) { fail(div, new Error("plotly.js is not loaded")); });
      return;
    }
    figures().forEach(drawOne);
  }

  var printing = false;

  function forPrint(on) {
    if (typeof window.Plotly === "undefined" || on === printing) { return; }
    printing = on;
    figures().forEach(function (div) {
      if (div.getAttribute("data-rk-drawn") !== "true") { return; }
      if (on) {
        div.setAttribute("data-rk-screen-width", String((div.layout && div.layout.width) || ""));
        var width = Math.min(PRINT_WIDTH, (div.layout && div.layout.width) || PRINT_WIDTH);
        Plotly.relayout(div, {width: width});
      } else {
        var before = div.getAttribute("data-rk-screen-width");
        Plotly.relayout(div, {width: before ? Number(before) : null}).then(function () {
          if (!before) { Plotly.Plots.resize(div); }
        });
      }
    });
  }

  window.addEventListener("beforeprint", function () { forPrint(true); });
  window.addEventListener("afterprint", function () { forPrint(false); });
  if (window.matchMedia) {  /* some print paths only switch the media */
    var query = window.matchMedia("print");
    var onChange = function (event) { forPrint(event.matches); };
    if (query.addEventListener) { query.addEventListener("change", onChange); }
    else if (query.addListener) { query.addListener(onChange); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
