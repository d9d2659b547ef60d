// Preview of a chosen document, with "Ganti" (choose again) and "Hapus" (remove). Pictures are
// read as data: URLs (the page's CSP allows no blob: images); a PDF shows its name.
(function () {
  "use strict";
  function show(fieldset, input) {
    var preview = fieldset.querySelector(".berkas-preview");
    var img = preview.querySelector("img");
    var name = preview.querySelector(".berkas-name");
    var file = input.files && input.files[0];
    if (!file) { preview.hidden = true; img.hidden = true; return; }
    name.textContent = Array.prototype.map.call(input.files, function (f) {
      return f.name + " (" + Math.max(1, Math.round(f.size / 1024)) + " KB)";
    }).join(", ");
    preview.hidden = false;
    if (/^image\//.test(file.type)) {
      var reader = new FileReader();
      reader.onload = function () { img.src = reader.result; img.hidden = false; };
      reader.readAsDataURL(file);
    } else {
      img.hidden = true;
    }
  }
  document.querySelectorAll("[data-berkas]").forEach(function (fieldset) {
    var input = fieldset.querySelector(".berkas-file");
    input.addEventListener("change", function () { show(fieldset, input); });
    fieldset.querySelector(".berkas-replace").addEventListener("click", function () {
      input.click();
    });
    fieldset.querySelector(".berkas-remove").addEventListener("click", function () {
      input.value = "";
      show(fieldset, input);
    });
  });
})();
