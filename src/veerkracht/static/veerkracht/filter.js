// Long pickers get a box to narrow them while typing: a walker out of 155 colleagues, helpers out of
// 140 checkboxes. Without script the full list stays, as before. A file, not inline: the CSP forbids that.
(function () {
  "use strict";
  var LONG = 15; // fewer choices than this are quicker to read than to search
  var counter = 0;

  function matches(text, words) {
    text = text.toLowerCase();
    return words.every(function (word) { return text.indexOf(word) !== -1; });
  }

  function addBox(before, label, onInput) {
    var id = "vk-filter-" + (++counter);
    var wrapper = document.createElement("div");
    wrapper.className = "utrecht-form-field vk-filter-box";
    var caption = document.createElement("label");
    caption.className = "utrecht-form-label";
    caption.htmlFor = id;
    caption.textContent = label;
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    input.className = "utrecht-textbox utrecht-textbox--html-input";
    input.addEventListener("input", function () {
      onInput(input.value.trim().toLowerCase().split(/\s+/).filter(Boolean));
    });
    wrapper.appendChild(caption);
    wrapper.appendChild(input);
    before.parentNode.insertBefore(wrapper, before);
  }

  function nameOf(element) {
    // The field's own name, without "(optional)".
    var copy = element.cloneNode(true);
    copy.querySelectorAll(".vk-optional").forEach(function (part) { part.remove(); });
    return copy.textContent.trim();
  }

  function narrowSelect(select, label) {
    addBox(select, label + " (" + nameOf(select.labels[0]) + ")", function (words) {
      Array.prototype.forEach.call(select.options, function (option) {
        // The empty choice and the chosen one stay, so narrowing never changes the answer.
        option.hidden = !(option.value === "" || option.selected || matches(option.textContent, words));
      });
    });
  }

  function narrowChoices(group, label) {
    var options = group.querySelector(".vk-choice-group__options");
    var legend = group.querySelector("legend");
    addBox(options, label + (legend ? " (" + nameOf(legend) + ")" : ""), function (words) {
      group.querySelectorAll(".vk-choice").forEach(function (choice) {
        var box = choice.querySelector("input");
        choice.hidden = !((box && box.checked) || matches(choice.textContent, words));
      });
    });
  }

  function enhance(root) {
    var label = document.body.getAttribute("data-vk-filter-label") || "Search the list";
    root.querySelectorAll("select:not([multiple]):not([data-vk-filtered])").forEach(function (select) {
      if (select.options.length > LONG && select.labels && select.labels.length) {
        select.setAttribute("data-vk-filtered", "");
        narrowSelect(select, label);
      }
    });
    root.querySelectorAll("fieldset.vk-choice-group:not([data-vk-filtered])").forEach(function (group) {
      if (group.querySelectorAll(".vk-choice").length > LONG && group.querySelector(".vk-choice-group__options")) {
        group.setAttribute("data-vk-filtered", "");
        narrowChoices(group, label);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:afterSettle", function (event) { enhance(event.target); });
})();
