// The caller's screen says each new number aloud in Dutch, when the caller ticks the option and the
// browser can speak (speechSynthesis). A file, not an inline script: the project plans a strict CSP.
(function () {
  "use strict";
  var STORAGE_KEY = "veerkracht.bingo.speak";
  var spoken = null; // the draw position last said (or shown on arrival), so a refresh repeats nothing

  function currentNumber() {
    return document.querySelector("#caller-panel [data-position]");
  }

  function option() {
    return document.getElementById("speak-numbers");
  }

  function say(text) {
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = "nl-NL";
    utterance.rate = 0.9;
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(utterance);
  }

  function announce() {
    var number = currentNumber();
    if (!number) return;
    var position = Number(number.getAttribute("data-position"));
    if (spoken !== null && position > spoken && option() && option().checked && number.dataset.speech) {
      say(number.dataset.speech);
    }
    spoken = position;
  }

  function start() {
    var box = option();
    if (!box || !("speechSynthesis" in window)) return;
    document.getElementById("speech-option").hidden = false;
    box.checked = window.localStorage.getItem(STORAGE_KEY) === "1";
    box.addEventListener("change", function () {
      window.localStorage.setItem(STORAGE_KEY, box.checked ? "1" : "0");
    });
    announce();
    document.body.addEventListener("htmx:afterSettle", announce);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
