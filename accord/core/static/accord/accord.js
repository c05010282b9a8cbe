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

  // Live regions poll; never redraw one while someone is typing or choosing inside it.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    var active = document.activeElement;
    if (elt && elt.hasAttribute("data-hx-trigger") && /every/.test(elt.getAttribute("data-hx-trigger")) && active &&
        elt.contains(active) && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName)) {
      event.preventDefault();
    }
    if (elt && elt.querySelector && elt.querySelector("details[open]") && /every/.test(elt.getAttribute("data-hx-trigger") || "")) {
      event.preventDefault();
    }
  });

  // A live region's poll never redraws it under a form sent from inside it: the form's answer would
  // land in the copy the poll replaced, lost. Sending such a form aborts the poll in flight, and the
  // region skips its polls until the answer is in.
  function polls(elt) {
    return elt && elt.getAttribute && /every/.test(elt.getAttribute("data-hx-trigger") || "");
  }
  var inFlight = 0;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (polls(elt)) {
      if (inFlight > 0) event.preventDefault();
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
