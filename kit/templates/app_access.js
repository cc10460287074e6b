// What ipywidgets does not do for keyboard and screen-reader users, done once per Voilà page
// (kit.app.shell shows it there): each button group is one Tab stop with the arrow keys inside
// it (a radio group), a toggle button on its own says whether it is pressed (aria-pressed), a
// message that changes is announced (role="status"), focus moves to the new heading after a
// page change, and the page's language follows the app's language selector.
(function () {
  if (window.kitAccess) { return; }
  window.kitAccess = true;
  // what the person last did that awaits an answer: a click or Enter/Space on a control (not
  // on a field). Typing, Tab or a click into a field means they have moved on: nothing that
  // arrives afterwards takes the focus away from where they are.
  var lastInput = 0, lastTarget = null;
  function isField(el) {
    return !!el && (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' ||
      (el.tagName === 'INPUT' && !/^(button|submit|reset|checkbox|radio)$/i.test(el.type)));
  }
  function acted(el) {
    lastInput = Date.now();
    lastTarget = (el.closest && el.closest('button, input, [tabindex]')) || el;
  }
  document.addEventListener('click', function (event) {
    if (isField(event.target)) { lastInput = 0; } else { acted(event.target); }
  }, true);
  document.addEventListener('keydown', function (event) {
    var submit = event.key === 'Enter' && event.target.tagName === 'INPUT';
    if (((event.key === 'Enter' || event.key === ' ') && !isField(event.target)) || submit) {
      acted(event.target);
    } else if (['Shift', 'Control', 'Alt', 'Meta'].indexOf(event.key) < 0) {
      lastInput = 0;
    }
  }, true);
  // the answer may take focus while the person is still where they acted (or focus was lost
  // with a page that went away)
  function awaited() {
    if (Date.now() - lastInput >= 10000) { return false; }
    var here = document.activeElement;
    return !here || here === document.body || here === lastTarget ||
      !document.body.contains(lastTarget);
  }

  function radioGroup(box) {
    var buttons = Array.prototype.slice.call(box.querySelectorAll(':scope > button'));
    if (!buttons.length) { return; }
    var outer = box.parentElement;
    var label = outer && outer.querySelector(':scope > label.widget-label');
    box.setAttribute('role', 'radiogroup');
    if (label && label.textContent.trim() && getComputedStyle(label).display !== 'none') {
      if (!label.id) { label.id = 'kit-label-' + Math.random().toString(36).slice(2); }
      box.setAttribute('aria-labelledby', label.id);
    }
    var active = buttons.filter(function (b) { return b.classList.contains('mod-active'); });
    buttons.forEach(function (b, i) {
      var on = b.classList.contains('mod-active');
      b.setAttribute('role', 'radio');
      b.setAttribute('aria-checked', on ? 'true' : 'false');
      b.tabIndex = on || (!active.length && i === 0) ? 0 : -1;
    });
    if (box.dataset.kitKeys) { return; }
    box.dataset.kitKeys = '1';
    box.addEventListener('keydown', function (event) {
      var step = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1}[event.key];
      if (!step) { return; }
      var all = Array.prototype.slice.call(box.querySelectorAll(':scope > button'));
      var at = all.indexOf(document.activeElement);
      if (at < 0) { return; }
      event.preventDefault();
      var next = all[(at + step + all.length) % all.length];
      next.focus();
      next.click();
    });
  }

  // the selector's labels are kit.app.LANG_LABELS
  function language() {
    var chosen = document.querySelector('.kit-lang .mod-active');
    var code = chosen && {suomi: 'fi', svenska: 'sv', english: 'en'}[chosen.textContent.trim().toLowerCase()];
    if (code && document.documentElement.lang !== code) { document.documentElement.lang = code; }
  }

  // a toggle button on its own (a vote's phase) says whether it is pressed
  function pressed(button) {
    if (button.closest('.widget-toggle-buttons')) { return; }
    var on = button.classList.contains('mod-active') ? 'true' : 'false';
    if (button.getAttribute('aria-pressed') !== on) { button.setAttribute('aria-pressed', on); }
  }

  function tidy() {
    document.querySelectorAll('.widget-toggle-buttons > div').forEach(radioGroup);
    document.querySelectorAll('button.widget-toggle-button').forEach(pressed);
    // what appears within 10 s of an action answers it (a busy kernel can take seconds)
    var recent = awaited();
    document.querySelectorAll('.kit-heading h1, .kit-heading h2, .kit-heading h3').forEach(function (h) {
      if (h.dataset.kitSeen) { return; }
      h.dataset.kitSeen = '1';
      h.tabIndex = -1;
      // a heading that appears after the person pressed or clicked something is a new page
      if (recent) { h.focus(); }
    });
    document.querySelectorAll('.kit-status').forEach(function (el) {
      if (el.getAttribute('role') !== 'status') {
        el.setAttribute('role', 'status');
        el.setAttribute('aria-live', 'polite');
      }
      var said = el.textContent.trim();
      if (said && el.dataset.kitSaid !== said) {
        el.dataset.kitSaid = said;
        el.tabIndex = -1;
        // the outcome of what the person just did (sent, saved, refused): focus goes there
        if (recent) { el.focus(); }
      }
    });
    language();
  }

  var pending = false;
  new MutationObserver(function () {
    if (pending) { return; }
    pending = true;
    requestAnimationFrame(function () { pending = false; tidy(); });
  }).observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ['class']});
  tidy();
})();
