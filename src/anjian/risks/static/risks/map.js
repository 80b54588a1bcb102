/* anjian, the four-colour map: a manager chooses a unit, then clicks on the site plan where it lies; the position
   (fractions of the plan's width and height) is posted to the unit's place address, and the page reloads with the
   marker. No inline scripts anywhere (CSP script-src 'self'). */
(function () {
  "use strict";

  function setUp(plan) {
    var form = document.querySelector("form[data-place-form]");
    if (!form) { return; }
    var select = form.querySelector("select[name=unit]");
    var image = plan.querySelector("img");
    var status = document.querySelector("[data-place-status]");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;

    function say(text, failed) {
      if (!status) { return; }
      status.textContent = text || "";
      status.classList.toggle("text-danger", !!failed);
      status.classList.toggle("d-none", !text);
    }

    function placing() {
      var chosen = select.options[select.selectedIndex];
      var on = !!(chosen && chosen.value);
      plan.classList.toggle("placing", on);
      say(on ? status.dataset.hint.replace("{name}", chosen.dataset.name) : "");
      return on ? chosen : null;
    }

    select.addEventListener("change", placing);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { select.value = ""; placing(); }
    });
    document.querySelectorAll("[data-place-unit]").forEach(function (button) {
      button.addEventListener("click", function () {
        select.value = button.dataset.placeUnit;
        placing();
        plan.scrollIntoView({ behavior: "smooth", block: "center" });
      });
    });

    image.addEventListener("click", function (event) {
      var chosen = placing();
      if (!chosen) { return; }
      var box = image.getBoundingClientRect();
      var x = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
      var y = Math.min(1, Math.max(0, (event.clientY - box.top) / box.height));
      var body = new FormData();
      body.append("x", x.toFixed(4));
      body.append("y", y.toFixed(4));
      plan.classList.remove("placing");
      say(status.dataset.saving);
      fetch(chosen.dataset.url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token, "Accept": "application/json" }
      }).then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) { throw new Error(data.error || response.statusText); }
          window.location.reload();
        });
      }).catch(function (error) {
        say(error.message, true);
        plan.classList.add("placing");
      });
    });
    placing();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var plan = document.querySelector("[data-site-plan]");
    if (plan) { setUp(plan); }
  });
})();
