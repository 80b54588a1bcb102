/* anjian, dual prevention: the government's charts, drawn like app.js's (an element with a data attribute naming
   the chart and data-chart-source naming a json_script block), but in the risk levels' own colours:
   - data-risk-chart="stacked-bar": {labels, series: [{name, colour, values}]} — risk units by industry and level;
   - data-risk-chart="map": {series: [{name, colour, points: [[lon, lat, name, url], …]}]} — the four-colour map
     (a scatter on plain longitude/latitude axes: there is no base map); clicking a point opens the enterprise.
   No inline scripts anywhere (CSP script-src 'self'). */
(function () {
  "use strict";

  function readData(el) {
    var source = document.getElementById(el.dataset.chartSource);
    return source ? JSON.parse(source.textContent) : null;
  }

  function stackedBar(data, narrow) {
    return {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, type: narrow ? "scroll" : "plain" },
      grid: { left: 8, right: 16, top: narrow ? 40 : 32, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: narrow ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: data.series.map(function (s) {
        return { name: s.name, type: "bar", stack: "total", data: s.values, itemStyle: { color: s.colour },
          emphasis: { focus: "series" } };
      })
    };
  }

  function map(data, narrow) {
    var count = data.series.reduce(function (n, s) { return n + s.points.length; }, 0);
    var labelled = count <= 30;  // a county's few: names beside the points; a province's many: tooltips only
    return {
      animation: false,
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var div = document.createElement("div");
          div.textContent = p.data[2];
          var level = document.createElement("div");
          level.textContent = p.seriesName;
          level.style.color = p.color;
          div.appendChild(level);
          return div.innerHTML;
        }
      },
      // On a phone the page's own legend (below the map) has the counts; the chart's would crowd the plot.
      legend: { show: !narrow, top: 0 },
      grid: { left: 8, right: labelled && !narrow ? 96 : 16, top: narrow ? 12 : 36, bottom: 8, containLabel: true },
      xAxis: { type: "value", scale: true, axisLabel: { formatter: "{value}°E", hideOverlap: true },
        splitLine: { lineStyle: { type: "dashed" } } },
      yAxis: { type: "value", scale: true, axisLabel: { formatter: "{value}°N" },
        splitLine: { lineStyle: { type: "dashed" } } },
      series: data.series.map(function (s) {
        return { name: s.name, type: "scatter", data: s.points, symbolSize: narrow ? 14 : 18,
          itemStyle: { color: s.colour, borderColor: "#fff", borderWidth: 1.5 },
          label: { show: labelled && !narrow, position: "right", formatter: function (p) { return p.data[2]; },
            color: "#343a40", fontSize: 12 },
          labelLayout: { hideOverlap: true },
          emphasis: { scale: 1.4, label: { show: true, position: "right", formatter: function (p) { return p.data[2]; } } } };
      })
    };
  }

  var KINDS = { "stacked-bar": stackedBar, map: map };

  function draw(root) {
    if (typeof echarts === "undefined") { return; }
    root.querySelectorAll("[data-risk-chart]").forEach(function (el) {
      if (el.dataset.chartReady) { return; }
      var data = readData(el);
      var option = KINDS[el.dataset.riskChart];
      if (!data || !option) { return; }
      el.dataset.chartReady = "1";
      var chart = echarts.init(el, null, { renderer: "svg" });
      var narrow = el.clientWidth < 480;
      chart.setOption(option(data, narrow));
      if (el.dataset.riskChart === "map") {
        chart.on("click", function (params) {
          var url = params.data && params.data[3];
          if (url) { window.location.href = url; }
        });
        el.style.cursor = "pointer";
      }
      window.addEventListener("resize", function () {
        if ((el.clientWidth < 480) !== narrow) {
          narrow = !narrow;
          chart.setOption(option(data, narrow), true);
        }
        chart.resize();
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.body.addEventListener("htmx:afterSwap", function (event) { draw(event.target); });
})();
