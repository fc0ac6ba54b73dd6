/* Upload forms (the portal's and legal staff's): show, as the dates are typed, until when the upload will count.
   The date is computed by the server (the compliance engine), never here. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-validity-url]");
  if (!form) { return; }
  var output = form.querySelector("[data-validity-output]");
  var inputs = form.querySelectorAll("[data-validity-input]");
  var pending = null;

  function refresh() {
    var url = new URL(form.getAttribute("data-validity-url"), window.location.href);
    inputs.forEach(function (input) {
      if (input.value) { url.searchParams.set(input.name, input.value); }
    });
    if (pending) { pending.abort(); }
    pending = new AbortController();
    fetch(url, { credentials: "same-origin", signal: pending.signal,
                 headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { text: "" }; })
      .then(function (data) {
        output.textContent = data.text || "";
        // The colour is the server's reading of the engine's rule: passed, soon or later.
        output.className = "validity-preview" +
          (data.state ? " validity-preview--" + data.state : "");
      })
      .catch(function () { /* a newer request replaced this one, or the network is down */ });
  }

  inputs.forEach(function (input) { input.addEventListener("change", refresh); });
  // A form shown again after an error keeps its dates: show their validity at once.
  if (Array.prototype.some.call(inputs, function (input) { return input.value; })) { refresh(); }
})();
