/* itss.js - small conveniences on top of pages that work without JavaScript.
 * Loaded with defer from the same origin (the Content-Security-Policy allows no
 * inline script). Nothing here is needed to use a page.
 *
 *   <form data-confirm="Really approve?">  asks before sending
 *   <select data-autosubmit>               sends its form when changed
 *   <form data-warn-unsaved>               warns before leaving with unsent changes
 */
(function () {
  'use strict';

  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    var question = form.getAttribute && form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) {
      ev.preventDefault();
      return;
    }
    form.removeAttribute('data-dirty');
  }, true);

  document.addEventListener('change', function (ev) {
    var el = ev.target;
    if (el.hasAttribute && el.hasAttribute('data-autosubmit') && el.form) {
      el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
      return;
    }
    var form = el.form;
    if (form && form.hasAttribute('data-warn-unsaved'))
      form.setAttribute('data-dirty', '1');
  });

  window.addEventListener('beforeunload', function (ev) {
    if (document.querySelector('form[data-warn-unsaved][data-dirty]')) {
      ev.preventDefault();
      ev.returnValue = '';
    }
  });

  /* Hide the auto-submit buttons that stand in for JavaScript. */
  document.documentElement.className += ' js';
})();
