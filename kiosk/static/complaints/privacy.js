// An anonymous complaint asks for no identity: hide the identity fields while it is chosen.
(function () {
  var identity = document.getElementById('identity');
  if (!identity) { return; }
  function follow() {
    var chosen = document.querySelector('input[name=privacy]:checked');
    identity.hidden = !!chosen && chosen.value === 'anonymous';
  }
  document.querySelectorAll('input[name=privacy]').forEach(function (radio) {
    radio.addEventListener('change', follow);
  });
  follow();
})();
