// Offer the recovery codes shown on the page as a text file (no server round trip, no storage).
(function () {
  "use strict";
  var list = document.getElementById("recovery-codes");
  var button = document.getElementById("download-codes");
  if (!list || !button) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    var codes = Array.prototype.map.call(list.querySelectorAll("code"), function (node) {
      return node.textContent.trim();
    });
    var text = "dpa-registry recovery codes for " + list.dataset.account + "\n" +
      "Each code works once. Keep this file safe.\n\n" + codes.join("\n") + "\n";
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    link.download = list.dataset.filename;
    document.body.appendChild(link);
    link.click();
    URL.revokeObjectURL(link.href);
    link.remove();
  });
})();
