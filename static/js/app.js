// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js-enhanced");

  // Move focus to the error summary so screen readers announce the problems first.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  // Refresh the county list when the state changes, instead of a round trip.
  document.querySelectorAll("select[data-county-target]").forEach(function (stateSelect) {
    var county = document.getElementById(stateSelect.getAttribute("data-county-target"));
    if (!county) { return; }
    stateSelect.addEventListener("change", function () {
      var blank = county.options.length ? county.options[0].cloneNode(true) : null;
      if (!stateSelect.value) {
        county.innerHTML = "";
        if (blank) { county.appendChild(blank); }
        return;
      }
      fetch("/reference/counties/" + encodeURIComponent(stateSelect.value), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (rows) {
          county.innerHTML = "";
          if (blank) { county.appendChild(blank); }
          rows.forEach(function (row) {
            var option = document.createElement("option");
            option.value = row.fips;
            option.textContent = row.name;
            county.appendChild(option);
          });
        });
    });
  });

  // A second click on "Submit" while the first is on its way does nothing.
  document.querySelectorAll("button[data-prevent-double-submit]").forEach(function (button) {
    var form = button.form;
    if (!form) { return; }
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-submitting")) { event.preventDefault(); return; }
      form.setAttribute("data-submitting", "1");
      button.setAttribute("aria-disabled", "true");
    });
  });
})();
