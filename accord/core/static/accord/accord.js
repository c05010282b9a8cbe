// Accord's small behaviours. No inline scripts anywhere: the Content-Security-Policy forbids them.
(function () {
  "use strict";

  // Every form carries its CSRF token (a cached page's are its browser's own); htmx requests that
  // post no form send the csrftoken cookie's value as a header, and a form without a token field
  // (none should lack one) gets the cookie's value.
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRFToken"] = csrfToken();
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || (form.getAttribute("method") || "").toLowerCase() !== "post") return;
    var field = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = "csrfmiddlewaretoken";
      form.appendChild(field);
    }
    if (!field.value) field.value = csrfToken();
  }, true);

  // "Copy" buttons: <button data-copy="input-id">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var input = document.getElementById(button.getAttribute("data-copy"));
    if (!input) return;
    input.select();
    var label = button.textContent;
    var done = function () {
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = label; }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand("copy"); done(); });
    } else {
      document.execCommand("copy");
      done();
    }
  });

  // "J" anywhere (but in a field) opens the quick journal and puts the cursor in it.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "j" && event.key !== "J") return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.isContentEditable)) return;
    var panel = document.getElementById("quick-journal");
    if (!panel) return;
    event.preventDefault();
    panel.setAttribute("open", "");
    var box = document.getElementById("quick-journal-text");
    if (box) box.focus();
  });

  // Close an open menu with Escape and return focus to its toggle.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
    });
  });

  // Forms marked data-reset-on-success are emptied once htmx has sent them successfully: a refused
  // form comes back as a 200 too (a 4xx is a failed load to the browser), saying so in a header.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    var refused = event.detail.xhr && event.detail.xhr.getResponseHeader("Accord-Refused");
    if (form && form.matches && form.matches("form[data-reset-on-success]") && event.detail.successful && !refused) {
      form.reset();
    }
  });

  // Live regions ([data-live], accord.lib.live) poll and morph in what changed. What the reader is
  // doing is never overwritten: a form they have started filling (or one drawn back with their typed
  // values and a message) keeps its values, hidden ones included (a revision number stays with the
  // text it was typed on), and a disclosure they opened stays open. A poll waits while a click is
  // on its way (between pressing and the request it makes), while a form in the region is being
  // sent, and once the page is leaving for a submitted form.
  var typedIn = new WeakSet();
  document.addEventListener("input", function (event) {
    var form = event.target && event.target.form;
    if (form) typedIn.add(form);
  });
  document.addEventListener("reset", function (event) { typedIn.delete(event.target); });
  function beingFilled(node) {
    var form = node.form || (node.closest && node.closest("form"));
    return !!form && (typedIn.has(form) || !!form.querySelector("[aria-invalid=true]"));
  }
  if (window.Idiomorph) {
    Idiomorph.defaults.ignoreActiveValue = true;
    Idiomorph.defaults.callbacks.beforeAttributeUpdated = function (name, node) {
      if (name === "open" && node.tagName === "DETAILS") return false;
      if ((name === "value" || name === "checked" || name === "selected") && beingFilled(node)) return false;
      return true;
    };
  }
  var pressing = 0;
  var leaving = false;
  document.addEventListener("pointerdown", function () { pressing = Date.now(); }, true);
  // The click's own request starts in its handlers; a poll may follow once they have run (a press
  // released without a click, a drag, lets polls go on shortly after).
  document.addEventListener("click", function () { setTimeout(function () { pressing = 0; }, 0); });
  ["pointerup", "pointercancel"].forEach(function (type) {
    document.addEventListener(type, function () { setTimeout(function () { pressing = 0; }, 300); });
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!event.defaultPrevented && !form.hasAttribute("data-hx-post") && !form.hasAttribute("data-hx-get")) leaving = true;
  });
  window.addEventListener("pageshow", function () { leaving = false; });
  // A region's poll holds off while a form sent from inside a region awaits its answer: that answer
  // would land in the copy the poll replaced, lost (sending such a form aborts the poll in flight).
  // accord.lib.live's regions also hold off while a press is under way and while the page is being
  // left; the retro board morphs under a held press (its test shows the click still lands).
  function polls(elt) {
    return elt && elt.getAttribute && /every/.test(elt.getAttribute("data-hx-trigger") || "");
  }
  var inFlight = 0;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (polls(elt)) {
      var pressed = pressing && Date.now() - pressing < 5000;  // a press never released holds off 5 s at most
      if (inFlight > 0 || (elt.hasAttribute("data-live") && (pressed || leaving))) event.preventDefault();
      return;
    }
    var region = elt && elt.parentElement && elt.parentElement.closest("[data-hx-trigger*=every]");
    if (!region || event.defaultPrevented) return;
    window.htmx.trigger(region, "htmx:abort");
    inFlight += 1;
    // Counted down by the request itself: its form may be gone from the page by then.
    event.detail.xhr.addEventListener("loadend", function () { inFlight -= 1; });
  });

  // Keep keyboard focus on the same control when a region is redrawn.
  var focusedId = null;
  document.addEventListener("htmx:beforeSwap", function () {
    var active = document.activeElement;
    focusedId = active && active.id ? active.id : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (focusedId && document.activeElement === document.body) {
      var again = document.getElementById(focusedId);
      if (again) again.focus();
    }
    focusedId = null;
  });

})();
