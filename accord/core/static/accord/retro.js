// The retro board: drag a card onto another to group them. A drop fills in the dragged card's own
// "Group with" form and sends it, so the pointer and the keyboard take the same way in. While a card
// is being dragged the live board is not redrawn. No inline scripts: the Content-Security-Policy forbids them.
(function () {
  "use strict";

  var dragging = false;
  var marked = null;

  function point(event) {
    var touch = event && event.changedTouches && event.changedTouches[0];
    var p = touch || event;
    return p && typeof p.clientX === "number" ? { x: p.clientX, y: p.clientY } : null;
  }

  // What lies under the pointer: another card, or a group the dragged card is not in.
  function dropTarget(event, dragged) {
    var p = point(event);
    var under = p && document.elementFromPoint(p.x, p.y);
    if (!under) return null;
    var card = under.closest(".retro-card");
    if (card) return card === dragged ? null : card;
    var group = under.closest("[data-group-card]");
    return group && !group.contains(dragged) ? group : null;
  }

  function mark(target) {
    if (marked === target) return;
    if (marked) marked.classList.remove("drop-target");
    marked = target;
    if (marked) marked.classList.add("drop-target");
  }

  function groupOnto(dragged, target) {
    var id = target.getAttribute("data-card") || target.getAttribute("data-group-card");
    var form = dragged.querySelector("form[data-group-form]");
    var select = form && form.querySelector("select[name=target]");
    if (!select) return;
    var option = Array.prototype.find.call(select.options, function (o) { return o.value === id; });
    if (!option) return; // already together
    select.value = id;
    form.requestSubmit(form.querySelector("button[type=submit]"));
  }

  function follow(dragged) {
    return function (event) { mark(dropTarget(event, dragged)); };
  }

  function init(root) {
    if (typeof Sortable === "undefined" || !root.querySelectorAll) return;
    root.querySelectorAll("[data-retro-drop]").forEach(function (list) {
      if (Sortable.get(list)) return;
      var move = null;
      Sortable.create(list, {
        group: "retro-cards",
        sort: false,
        draggable: ".retro-card",
        filter: "button, select, input, textarea, a, label",
        preventOnFilter: false,
        forceFallback: true,
        fallbackTolerance: 4,
        delay: 200,
        delayOnTouchOnly: true,
        // Cards are never reordered or moved by the drag itself: the drop groups them.
        onMove: function () { return false; },
        onStart: function (event) {
          dragging = true;
          move = follow(event.item);
          document.addEventListener("pointermove", move);
          document.addEventListener("touchmove", move);
        },
        onEnd: function (event) {
          document.removeEventListener("pointermove", move);
          document.removeEventListener("touchmove", move);
          // Where the pointer last was over (followed on every move), else where the drop happened.
          var target = marked || dropTarget(event.originalEvent, event.item);
          mark(null);
          dragging = false;
          if (target) groupOnto(event.item, target);
        }
      });
    });
  }

  htmx.onLoad(init);

  // Not while a card is in the hand: the poll waits, and an answer that arrives meanwhile is dropped
  // (the next poll brings it again, since the board's version has not moved).
  function isBoard(elt) { return elt && elt.id === "retro-live"; }
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (dragging && isBoard(event.detail.elt)) event.preventDefault();
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (dragging && isBoard(event.detail.elt)) event.detail.shouldSwap = false;
  });
})();
