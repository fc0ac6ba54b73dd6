/* Checklists (templates/macros/checklist.html): a filter box that hides the options whose
   name does not contain the typed text. Without JavaScript every option stays listed, and
   hidden options keep their ticks: the form sends them all. */
(function () {
  "use strict";
  document.querySelectorAll("[data-checklist]").forEach(function (list) {
    var filter = list.querySelector("[data-checklist-filter]");
    var input = filter.querySelector("input");
    var status = filter.querySelector("[data-checklist-status]");
    var items = list.querySelectorAll("[data-checklist-item]");
    filter.hidden = false;

    function apply() {
      var needle = input.value.trim().toLocaleLowerCase();
      var shown = 0;
      items.forEach(function (item) {
        var matches = item.textContent.toLocaleLowerCase().indexOf(needle) !== -1;
        var ticked = item.querySelector("input").checked;
        item.hidden = !(matches || ticked);
        if (!item.hidden) { shown += 1; }
      });
      status.textContent = needle ? shown + " / " + items.length : "";
    }

    input.addEventListener("input", apply);
    // Enter in the filter box must not send the form.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
  });
})();
