/* anjian, the dashboard's region map: the sub-regions (approved boundaries, or schematic hexagon tiles) coloured by a
   chosen figure. Hovering shows every figure of a region; clicking opens the same dashboard for it (or, for a
   village, its hazard list). The other charts are app.js's (data-chart). No inline scripts (CSP script-src 'self').

   Data (json_script named by data-chart-source): {geojson, synthetic, aspect, figure, figures: [{key, label,
   worse_high}], labels: {...}, regions: [{code, name, found, rectified, rectification_rate, major_found,
   overdue_open, visits, url}]}. */
(function () {
  "use strict";

  var WORSE_HIGH = ["#fff7e6", "#fdd49e", "#fc8d59", "#d7301f", "#7f0000"];  // more is worse: pale to dark red
  var BETTER_HIGH = ["#d7301f", "#fc8d59", "#fee08b", "#91cf60", "#1a9850"];  // more is better: red to green

  function readData(el) {
    var source = document.getElementById(el.dataset.chartSource);
    return source ? JSON.parse(source.textContent) : null;
  }

  function isRate(key) { return key === "rectification_rate"; }

  function show(key, value) {
    if (value === null || value === undefined || value === "-") { return "—"; }
    return isRate(key) ? (value * 100).toFixed(1) + "%" : String(Math.round(value));
  }

  function figureOf(data, key) {
    for (var i = 0; i < data.figures.length; i++) {
      if (data.figures[i].key === key) { return data.figures[i]; }
    }
    return data.figures[0];
  }

  function tooltip(data) {
    var rows = ["found", "rectified", "rectification_rate", "major_found", "overdue_open", "visits"];
    return function (params) {
      var region = params.data && params.data.region;
      if (!region) { return ""; }
      // Built as DOM text, so a region's name can never inject markup.
      var box = document.createElement("div");
      var title = document.createElement("div");
      title.style.fontWeight = "600";
      title.textContent = region.name;
      box.appendChild(title);
      rows.forEach(function (key) {
        var line = document.createElement("div");
        line.textContent = data.labels[key] + ": " + show(key, region[key]);
        box.appendChild(line);
      });
      var hint = document.createElement("div");
      hint.style.color = "#6c757d";
      hint.textContent = data.labels.open;
      box.appendChild(hint);
      return box.innerHTML;
    };
  }

  function option(data, mapName, key, narrow) {
    var figure = figureOf(data, key);
    var values = data.regions.map(function (r) { return r[figure.key]; })
      .filter(function (v) { return v !== null && v !== undefined; });
    var max = values.length ? Math.max.apply(null, values) : 1;
    var min = 0;
    if (isRate(figure.key)) {
      // Rates on a fixed scale up to 100 %: two towns at 67 % and 75 % are both mediocre, not red and green.
      max = 1;
      min = Math.min(0.6, values.length ? Math.min.apply(null, values) : 0.6);
    }
    if (max <= min) { max = min + 1; }
    var few = data.regions.length <= 40;  // a county's towns: names on the tiles; a province's many: tooltips only
    return {
      animation: false,
      tooltip: { trigger: "item", formatter: tooltip(data), confine: true },
      visualMap: {
        type: "continuous", min: min, max: max, calculable: false, realtime: false,
        orient: "horizontal", left: "center", bottom: 0, itemWidth: 10, itemHeight: narrow ? 140 : 200,
        text: [show(figure.key, max), show(figure.key, min)], textGap: 6,
        inRange: { color: figure.worse_high ? WORSE_HIGH : BETTER_HIGH },
        formatter: function (v) { return show(figure.key, v); }
      },
      series: [{
        type: "map", map: mapName, nameProperty: "code", aspectScale: data.aspect,
        layoutCenter: ["50%", "45%"], layoutSize: narrow ? "96%" : "92%", roam: false, selectedMode: false,
        label: {
          show: few, fontSize: narrow ? 10 : 12, color: "#212529", lineHeight: narrow ? 12 : 15,
          textBorderColor: "rgba(255, 255, 255, 0.85)", textBorderWidth: 2,  // readable on the darkest fill too
          formatter: function (p) {
            var region = p.data && p.data.region;
            if (!region) { return ""; }
            return narrow ? region.name : region.name + "\n" + show(figure.key, region[figure.key]);
          }
        },
        itemStyle: { areaColor: "#e9ecef", borderColor: "#ffffff", borderWidth: 1 },
        emphasis: { label: { show: true, fontWeight: "bold" },
          itemStyle: { areaColor: "#9ec5fe", borderColor: "#0b5c8a", borderWidth: 2 } },
        data: data.regions.map(function (r) {
          var value = r[figure.key];
          return { name: r.code, value: value === null || value === undefined ? "-" : value, region: r };
        })
      }]
    };
  }

  function draw(el) {
    if (el.dataset.chartReady || typeof echarts === "undefined") { return; }
    var data = readData(el);
    if (!data) { return; }
    el.dataset.chartReady = "1";
    var mapName = "anjian-" + el.dataset.chartSource;
    echarts.registerMap(mapName, data.geojson);
    var chart = echarts.init(el, null, { renderer: "svg" });
    var narrow = el.clientWidth < 480;
    var key = data.figure;
    chart.setOption(option(data, mapName, key, narrow));
    chart.on("click", function (params) {
      var region = params.data && params.data.region;
      if (!region || !region.url) { return; }
      var target = new URL(region.url, window.location.href);
      if (target.pathname === window.location.pathname) { target.searchParams.set("figure", key); }
      window.location.href = target.toString();
    });
    el.style.cursor = "pointer";
    var select = document.querySelector("[data-map-figure='" + el.dataset.chartSource + "']");
    if (select) {
      select.addEventListener("change", function () {
        key = select.value;
        chart.setOption(option(data, mapName, key, narrow), true);
        // The period and industry forms keep the chosen figure, so the map stays as it is after a change.
        document.querySelectorAll("input[name=figure]").forEach(function (input) { input.value = key; });
        document.querySelectorAll("a[data-keeps-figure]").forEach(function (link) {
          var target = new URL(link.href, window.location.href);
          target.searchParams.set("figure", key);
          link.href = target.toString();
        });
      });
    }
    window.addEventListener("resize", function () {
      if ((el.clientWidth < 480) !== narrow) {
        narrow = !narrow;
        chart.setOption(option(data, mapName, key, narrow), true);
      }
      chart.resize();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-dashboard-map]").forEach(draw);
  });
})();
