/* anjian, inspections on site: the device's position into the hidden latitude/longitude of forms marked data-geo
   (filled again after htmx swaps an item back in), and a checklist item's note required once "does not comply" is
   chosen (the server refuses a failure without one too). No inline scripts anywhere (CSP script-src 'self'). */
(function () {
  "use strict";

  var position = null;

  function fill(root) {
    if (!position) { return; }
    root.querySelectorAll("form[data-geo]").forEach(function (form) {
      var latitude = form.querySelector("input[name=latitude]");
      var longitude = form.querySelector("input[name=longitude]");
      if (latitude && longitude) {
        latitude.value = position.latitude.toFixed(6);
        longitude.value = position.longitude.toFixed(6);
      }
    });
  }

  function say(outcome) {
    document.querySelectorAll("[data-geo-status]").forEach(function (el) {
      var text = el.querySelector("span");
      if (text) { text.textContent = el.dataset[outcome === "ok" ? "geoOk" : "geoNone"] || ""; }
      el.classList.toggle("text-success", outcome === "ok");
    });
  }

  function locate() {
    if (!document.querySelector("form[data-geo]")) { return; }
    if (!("geolocation" in navigator)) { say("none"); return; }
    navigator.geolocation.watchPosition(
      function (found) { position = found.coords; fill(document); say("ok"); },
      function () { if (!position) { say("none"); } },
      { enableHighAccuracy: true, maximumAge: 60000, timeout: 20000 }
    );
  }

  function requireNote(form) {
    var note = form.querySelector("textarea[name=note]");
    var failed = form.querySelector("input[name=result][value=fail]");
    if (note && failed) { note.required = failed.checked; }
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.name === "result" && input.form) { requireNote(input.form); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-check-item]").forEach(requireNote);
    locate();
  });
  document.body.addEventListener("htmx:afterSettle", function () {
    fill(document);
    document.querySelectorAll("form[data-check-item]").forEach(requireNote);
  });
})();
