/* anjian: small progressive enhancements. No inline scripts anywhere (CSP script-src 'self'). */
(function () {
  "use strict";

  var palette = ["#0b5c8a", "#e8a400", "#2f9e44", "#c92a2a", "#7048e8", "#1098ad", "#f76707", "#5c940d",
    "#862e9c", "#495057", "#d6336c", "#364fc7"];

  function readData(el) {
    var source = document.getElementById(el.dataset.chartSource);
    return source ? JSON.parse(source.textContent) : null;
  }

  function optionFor(kind, data, narrow) {
    var base = { color: palette, tooltip: { trigger: kind === "pie" ? "item" : "axis" },
      grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true } };
    if (kind === "pie") {
      // Wide: labels beside the slices. Narrow (a phone): labels would collide, so a scrolling legend below.
      base.series = [{ type: "pie", radius: narrow ? ["30%", "58%"] : ["35%", "65%"],
        center: ["50%", narrow ? "42%" : "50%"],
        label: narrow ? { show: false } : { formatter: "{b}\n{c}" },
        data: data.labels.map(function (label, i) { return { name: label, value: data.values[i] }; }) }];
      if (narrow) {
        base.legend = { type: "scroll", bottom: 0, formatter: function (name) {
          var i = data.labels.indexOf(name);
          return name + " " + data.values[i];
        } };
      }
      return base;
    }
    var horizontal = kind === "hbar";
    if (horizontal) { base.grid.right = 36; }  // room for the value labels beside the bars
    var category = { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: horizontal ? 0 : 30 } };
    var value = { type: "value", minInterval: 1 };
    base.xAxis = horizontal ? value : category;
    base.yAxis = horizontal ? Object.assign(category, { inverse: true }) : value;
    if (data.series) {
      base.legend = { top: 0 };
      base.grid.top = 32;
      base.series = data.series.map(function (s) {
        return { name: s.name, type: "bar", stack: data.stacked ? "total" : undefined, data: s.values };
      });
    } else {
      base.series = [{ type: "bar", data: data.values, label: { show: true, position: horizontal ? "right" : "top" } }];
    }
    return base;
  }

  function initCharts(root) {
    if (typeof echarts === "undefined") { return; }
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.dataset.chartReady) { return; }
      var data = readData(el);
      if (!data) { return; }
      el.dataset.chartReady = "1";
      var chart = echarts.init(el, null, { renderer: "svg" });
      var narrow = el.clientWidth < 480;
      chart.setOption(optionFor(el.dataset.chart, data, narrow));
      if (data.links) {
        chart.on("click", function (params) {
          var link = data.links[params.dataIndex];
          if (link) { window.location.href = link; }
        });
        el.style.cursor = "pointer";
      }
      window.addEventListener("resize", function () {
        if ((el.clientWidth < 480) !== narrow) {
          narrow = !narrow;
          chart.setOption(optionFor(el.dataset.chart, data, narrow), true);
        }
        chart.resize();
      });
    });
  }

  // Export links follow the filters as they are now (htmx changes the address without reloading the page).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-with-query]");
    if (link) { link.href = link.href.split("?")[0] + window.location.search; }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });

  document.addEventListener("DOMContentLoaded", function () { initCharts(document); });
  document.body.addEventListener("htmx:afterSwap", function (event) { initCharts(event.target); });
})();
