/* Jobnet's progressive enhancement. Without this file every accordion is open and the menu is
   a list at the top; with it, accordions start closed (except the one a link points at) and
   Det Fælles Designsystem's script runs its components. No data is ever fetched from here. */
(function () {
  'use strict';
  var target = window.location.hash ? window.location.hash.slice(1) : '';
  var buttons = document.querySelectorAll('.jobnet-sections .accordion-button[aria-controls]');
  for (var i = 0; i < buttons.length; i++) {
    var panel = document.getElementById(buttons[i].getAttribute('aria-controls'));
    var open = panel !== null && target !== '' && (panel.id === target || panel.querySelector('#' + CSS.escape(target)) !== null);
    buttons[i].setAttribute('aria-expanded', open ? 'true' : 'false');
    if (panel !== null) {
      panel.setAttribute('aria-hidden', open ? 'false' : 'true');
    }
  }
  if (window.DKFDS && typeof window.DKFDS.init === 'function') {
    window.DKFDS.init();
  }
})();
