/* The health-check answer form by keyboard: on a Today or Target scale, typing 1 to 5 picks that
   rating and moves on to the next scale (after the last, to the submit button). Without this file
   the scales are ordinary radio groups: Tab and the arrow keys still work. */
(function () {
  "use strict";
  var SCALES = ".answer-form fieldset.scale:not(.scale--guess)";

  // A rating picked with the pointer keeps the focus on its scale, so typing can carry on from it.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input instanceof HTMLInputElement && input.type === "radio" && input.closest(SCALES) && document.activeElement !== input) {
      input.focus({ preventScroll: true });
    }
  });

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey || !/^[1-5]$/.test(event.key)) return;
    if (!(input instanceof HTMLInputElement) || input.type !== "radio") return;
    var scale = input.closest(SCALES);
    if (!scale) return;
    var choice = scale.querySelector('input[type="radio"][value="' + event.key + '"]');
    if (!choice) return;
    event.preventDefault();
    choice.checked = true;
    choice.dispatchEvent(new Event("change", { bubbles: true }));
    var scales = Array.prototype.slice.call(document.querySelectorAll(SCALES));
    var next = scales[scales.indexOf(scale) + 1];
    var target = next
      ? next.querySelector('input[type="radio"]:checked') || next.querySelector('input[type="radio"]')
      : scale.closest("form").querySelector('button[type="submit"]');
    if (target) target.focus();
  });
})();
