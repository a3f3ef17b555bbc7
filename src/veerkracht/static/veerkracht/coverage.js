// The team page's neighbourhood choice: a filter box that narrows 500+ neighbourhoods as one types,
// and "all neighbourhoods of the district" ticking its neighbourhoods. Without this script the page
// works as well: every checkbox is there, grouped per district. A file, not an inline script (CSP).
(function () {
  "use strict";

  function plain(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function setUp(root) {
    var filter = root.querySelector("[data-coverage-filter]");
    var input = filter.querySelector("input");
    var count = root.querySelector("[data-coverage-count]");
    var districts = Array.prototype.slice.call(root.querySelectorAll("[data-coverage-district]"));
    filter.hidden = false;

    function narrow() {
      var wanted = plain(input.value);
      var shown = 0;
      districts.forEach(function (district) {
        var matches = 0;
        district.querySelectorAll("[data-coverage-choice]").forEach(function (choice) {
          var hit = !wanted || plain(choice.getAttribute("data-search")).indexOf(wanted) !== -1;
          choice.hidden = !hit;
          if (hit) { matches += 1; }
        });
        shown += matches;
        district.hidden = matches === 0;
        district.open = wanted ? matches > 0 : district.hasAttribute("data-initially-open");
      });
      if (!wanted) { count.textContent = ""; return; }
      count.textContent = shown ? count.getAttribute("data-template").replace("{count}", shown) : count.getAttribute("data-none");
    }

    var timer = null;
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(narrow, 150);  // a screen reader hears the count once typing pauses
    });
    // Enter in the filter box must not submit the form half-chosen.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); narrow(); }
    });
    districts.forEach(function (district) {
      var whole = district.querySelector(".vk-coverage__whole input");
      whole.addEventListener("change", function () {
        district.querySelectorAll("[data-coverage-choice] input").forEach(function (box) { box.checked = whole.checked; });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-coverage]").forEach(setUp);
  });
})();
