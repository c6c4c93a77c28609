// Small behaviours declared in the markup with data attributes, so that the pages need no
// inline script (the Content-Security-Policy allows scripts from this site only).
document.addEventListener("change", function (event) {
  if (event.target.matches("[data-autosubmit]")) event.target.form.submit();
});
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});
document.addEventListener("focusin", function (event) {
  if (event.target.matches("[data-select-on-focus]")) event.target.select();
});

// Intake (counter): fill the applicant's fields from a returning applicant's latest details
// (backoffice/_returning_applicant.html), each from its data-fill-<field> attribute.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-fill-form]");
  if (!button) return;
  var form = button.closest("form");
  Object.keys(button.dataset).forEach(function (key) {
    if (key.indexOf("fill") !== 0 || key === "fillForm") return;
    var name = key.slice(4).replace(/^./, function (c) { return c.toLowerCase(); });
    var field = form.elements[name];
    if (field && button.dataset[key]) field.value = button.dataset[key];
  });
  var next = form.elements["name"];
  if (next) next.focus();
});
// Choosing an applicant type chooses the identity document that type usually shows.
document.addEventListener("change", function (event) {
  var select = event.target;
  if (!select.matches("[data-sets-id-type]")) return;
  var kind = JSON.parse(select.dataset.setsIdType)[select.value];
  var target = select.form && select.form.elements["id_type"];
  if (target && kind) target.value = kind;
});
// Lists picked with the keyboard (the procedure search): Down from the search field goes to
// the first result, Up and Down move between results, Escape goes back; Enter follows.
document.addEventListener("keydown", function (event) {
  if (event.key !== "ArrowDown" && event.key !== "ArrowUp" && event.key !== "Escape") return;
  var search = document.querySelector("[data-arrow-list-input]");
  var list = document.querySelector("[data-arrow-list]");
  if (!search || !list) return;
  var links = Array.prototype.slice.call(list.querySelectorAll("a"));
  if (!links.length) return;
  var at = links.indexOf(document.activeElement);
  if (document.activeElement === search && event.key === "ArrowDown") {
    links[0].focus();
  } else if (at >= 0 && event.key === "ArrowDown") {
    links[Math.min(at + 1, links.length - 1)].focus();
  } else if (at >= 0 && event.key === "ArrowUp") {
    (at === 0 ? search : links[at - 1]).focus();
  } else if (at >= 0 && event.key === "Escape") {
    search.focus();
  } else {
    return;
  }
  event.preventDefault();
});
// A form sent back with errors: the first field in error takes the focus (not the first
// field of the form), so that the clerk corrects it straight away.
document.addEventListener("DOMContentLoaded", function () {
  var wrong = document.querySelector(".has-error input, .has-error select, .has-error textarea");
  if (wrong) wrong.focus();
});
// A checklist ticked with the keyboard: on a tick box, Down and Up move to the same box of
// the next or previous row (Space ticks), instead of Tab through every count of the row.
document.addEventListener("keydown", function (event) {
  var box = event.target;
  if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
  if (!box.matches("[data-column-keys] input[type=checkbox]")) return;
  var cell = box.closest("td");
  var row = cell.parentElement;
  var sibling = event.key === "ArrowDown" ? row.nextElementSibling : row.previousElementSibling;
  var target = sibling && sibling.children[cell.cellIndex];
  var next = target && target.querySelector("input[type=checkbox]");
  if (!next) return;
  next.focus();
  event.preventDefault();
});

// A form sent once: its button is disabled after the first press (the server ignores a second
// submission anyway: filing.services.submit answers the first dossier).
document.addEventListener("submit", function (event) {
  var button = event.target.querySelector("[data-once]");
  if (!button || event.target.querySelector("[data-shrinking]")) return;
  if (button.dataset.sent) { event.preventDefault(); return; }
  button.dataset.sent = "1";
  setTimeout(function () { button.disabled = true; }, 0);
});

// Photos taken with a phone (often 3-5 MB) are made smaller before they are sent, so that a
// commune's slow link carries a few hundred KB per page: JPEG and PNG images larger than
// 600 KB are redrawn at most 2000 px on their longer side as JPEG (quality 0.85). PDFs and
// small images go as they are; a browser without these APIs sends the originals.
var SHRINK_OVER = 600 * 1024, SHRINK_SIDE = 2000;
function shrink(file) {
  return new Promise(function (resolve) {
    if (!/^image\/(jpeg|png)$/.test(file.type) || file.size <= SHRINK_OVER || !window.createImageBitmap) {
      resolve(file); return;
    }
    createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, SHRINK_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      canvas.toBlob(function (blob) {
        if (!blob || blob.size >= file.size) { resolve(file); return; }
        var name = file.name.replace(/\.[^.]+$/, "") + ".jpg";
        resolve(new File([blob], name, { type: "image/jpeg", lastModified: file.lastModified }));
      }, "image/jpeg", 0.85);
    }, function () { resolve(file); });
  });
}
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!input.matches("input[type=file][data-shrink-images]") || !window.DataTransfer) return;
  var files = Array.prototype.slice.call(input.files);
  if (!files.some(function (f) { return f.size > SHRINK_OVER; })) return;
  input.dataset.shrinking = "1";
  Promise.all(files.map(shrink)).then(function (smaller) {
    var list = new DataTransfer();
    smaller.forEach(function (f) { list.items.add(f); });
    input.files = list.files;
    delete input.dataset.shrinking;
  });
});
// While files go up, the form says so (a slow link takes seconds per page).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.querySelector("[data-shrinking]")) { event.preventDefault(); setTimeout(function () { form.requestSubmit(); }, 300); return; }
  var note = form.querySelector("[data-uploading]");
  if (note && form.querySelector("input[type=file]") && Array.prototype.some.call(form.querySelectorAll("input[type=file]"), function (i) { return i.files.length; })) {
    note.hidden = false;
  }
});
