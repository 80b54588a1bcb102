/* anjian, risk register forms: the assessment's method shows its own factors, and the score and level are worked
   out as the factors are chosen (the product, and the table's cut-offs worst first, as risks/methods.py does; the
   server decides on saving); a measure's subclass suggestions follow its class; a post chooser submits on change;
   a print button prints. No inline scripts anywhere (CSP script-src 'self'). */
(function () {
  "use strict";

  function readJson(id) {
    var source = document.getElementById(id);
    return source ? JSON.parse(source.textContent) : null;
  }

  function levelOf(score, cutoffs) {
    for (var i = 0; i < cutoffs.length; i++) {
      var bound = Number(cutoffs[i].min);
      var inclusive = cutoffs[i].inclusive !== false;
      if (score > bound || (inclusive && score === bound)) { return cutoffs[i].level; }
    }
    return "low";
  }

  function setUpAssessment(form) {
    var scales = readJson("assessment-scales");
    if (!scales) { return; }
    var method = form.querySelector("select[name=method]");
    var result = document.querySelector("[data-live-result]");
    var levels = {};
    scales.levels.forEach(function (level) { levels[level.value] = level; });

    function update() {
      var chosen = method.value;
      form.querySelectorAll("[data-method-factors]").forEach(function (group) {
        group.hidden = group.dataset.methodFactors !== chosen;
      });
      var scale = scales.methods[chosen];
      if (!scale || !result) { return; }
      var product = 1;
      var parts = [];
      var complete = scale.factors.every(function (factor) {
        var select = form.querySelector("select[name=" + chosen + "_" + factor + "]");
        if (!select || select.value === "") { return false; }
        product *= Number(select.value);
        parts.push(factor + " " + select.value);
        return true;
      });
      var badge = result.querySelector("[data-live-level]");
      var score = result.querySelector("[data-live-score]");
      if (!complete) {
        score.textContent = result.dataset.incomplete;
        badge.className = "badge risk-level risk-level-none";
        badge.textContent = "—";
        return;
      }
      product = Math.round(product * 100) / 100;
      var level = levels[levelOf(product, scale.cutoffs)];
      score.textContent = parts.join(" × ") + " = " + product;
      badge.className = "badge risk-level risk-level-" + level.value;
      badge.textContent = level.label + "（" + level.colour_name + "）";
    }

    form.addEventListener("change", update);
    update();
  }

  function setUpSubclasses(form) {
    var subclasses = readJson("measure-subclasses");
    var list = document.getElementById("classify2-suggestions");
    var classify1 = form.querySelector("select[name=classify1]");
    if (!subclasses || !list || !classify1) { return; }
    classify1.addEventListener("change", function () {
      list.textContent = "";
      (subclasses[classify1.value] || []).forEach(function (name) {
        var option = document.createElement("option");
        option.value = name;
        list.appendChild(option);
      });
    });
  }

  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-autosubmit]") && select.form) { select.form.submit(); }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) { window.print(); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-assessment]").forEach(setUpAssessment);
    document.querySelectorAll("form[data-measure]").forEach(setUpSubclasses);
    document.querySelectorAll("[data-autosubmit-button]").forEach(function (button) { button.hidden = true; });
  });
})();
