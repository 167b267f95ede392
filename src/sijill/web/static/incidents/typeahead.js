// Sijill: place type-ahead over the gazetteer (GET /api/places?q=), in Arabic or Latin script.
// Without this file the field is a plain text input, matched through the gazetteer on saving.
(function () {
  "use strict";
  document.querySelectorAll("input[data-typeahead]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var target = document.getElementById(input.getAttribute("data-target"));
    var timer = null;
    var asked = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function choose(option) {
      input.value = option.getAttribute("data-label");
      target.value = option.getAttribute("data-value");
      close();
      input.focus();
    }

    function show(places) {
      list.textContent = "";
      places.forEach(function (place, n) {
        var option = document.createElement("li");
        option.id = list.id + "-" + n;
        option.setAttribute("role", "option");
        option.setAttribute("data-value", place.external_id);
        option.setAttribute("data-label", place.label);
        option.setAttribute("data-testid", "place-option");
        option.textContent = place.label;
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(option);
        });
        list.appendChild(option);
      });
      list.hidden = places.length === 0;
      input.setAttribute("aria-expanded", places.length ? "true" : "false");
    }

    function ask() {
      var text = input.value.trim();
      if (!text) { close(); return; }
      var mine = ++asked;
      fetch(input.getAttribute("data-typeahead") + "?q=" + encodeURIComponent(text), {
        credentials: "same-origin", headers: { Accept: "application/json" }
      }).then(function (response) {
        return response.ok ? response.json() : [];
      }).then(function (places) {
        if (mine === asked) { show(places); }
      }).catch(close);
    }

    input.addEventListener("input", function () {
      target.value = "";  // a name typed anew is matched anew
      clearTimeout(timer);
      timer = setTimeout(ask, 200);
    });
    input.addEventListener("keydown", function (event) {
      var options = Array.prototype.slice.call(list.querySelectorAll("[role=option]"));
      if (list.hidden || !options.length) { return; }
      var current = options.findIndex(function (o) { return o.getAttribute("aria-selected") === "true"; });
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var next = event.key === "ArrowDown" ? Math.min(current + 1, options.length - 1) : Math.max(current - 1, 0);
        options.forEach(function (o, i) { o.setAttribute("aria-selected", i === next ? "true" : "false"); });
        input.setAttribute("aria-activedescendant", options[next].id);
      } else if (event.key === "Enter" && current >= 0) {
        event.preventDefault();
        choose(options[current]);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  });
})();
