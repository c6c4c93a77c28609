// Kiosk pages: print the ticket when it was just taken, then go back to the kiosk; a
// "Print" button; the scanner field keeps the focus (a barcode scanner types like a keyboard).
(function () {
  "use strict";
  var body = document.body;
  document.querySelectorAll("[data-print-button]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  // data-print="0": the server sends the ticket to the kiosk's thermal printer itself.
  if (body.dataset.return) {
    window.addEventListener("load", function () {
      if (body.dataset.print === "1") { window.print(); }
      setTimeout(function () { window.location.assign(body.dataset.return); }, 15000);
    });
  }
  var scan = document.querySelector("[data-scan]");
  if (scan && !document.querySelector(":focus")) {
    scan.focus();
  }
})();
