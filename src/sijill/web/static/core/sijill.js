// Sijill: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // Filter forms: changing a select submits the form.
  document.querySelectorAll("form.filters select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.requestSubmit(); });
  });
  // Buttons that ask for confirmation: data-confirm="question".
  document.querySelectorAll("[data-confirm]").forEach(function (el) {
    el.addEventListener("click", function (event) {
      if (!window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
  // Show the chosen file name beside file inputs.
  document.querySelectorAll("input[type=file][data-show-name]").forEach(function (input) {
    input.addEventListener("change", function () {
      var target = document.getElementById(input.getAttribute("data-show-name"));
      if (target && input.files.length) { target.textContent = input.files[0].name; }
    });
  });
})();
