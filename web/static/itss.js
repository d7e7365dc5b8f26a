/* itss.js - small conveniences on top of pages that work without JavaScript.
 * Loaded with defer from the same origin (the Content-Security-Policy allows no
 * inline script). Nothing here is needed to use a page.
 *
 *   <form data-confirm="Really approve?">  asks before sending
 *   <select data-autosubmit>               sends its form when changed
 *   <form data-warn-unsaved>               warns before leaving with unsent changes
 *   <form data-autosave data-msg-...>      saves each change at once (below)
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

  /* Autosave (issue 12, defect 4): each change of a <form data-autosave> is sent
   * at once, with the form's own CSRF field, as the save button would send it.
   * When that fails (the session expired, the network is gone), what was not
   * saved is kept in this browser (localStorage, per page) and the form says so,
   * with a link to log in that comes back to this page; opened again, the page
   * puts the kept answers back and saves them. The texts come from the form's
   * data-msg-saved, -saving, -expired, -failed, -restored and -login. */
  var KEY = 'itss-unsaved:' + location.pathname;

  function answers(form) {
    var kept = [];
    var els = form.elements;
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      if (!el.name || el.name === 'csrf' || el.disabled) continue;
      if ((el.type === 'radio' || el.type === 'checkbox') && !el.checked) continue;
      if (el.type === 'submit' || el.type === 'button' || el.type === 'hidden') continue;
      kept.push([el.name, el.value]);
    }
    return kept;
  }

  function say(form, kind, text, login) {
    var box = form.querySelector('.autosave-status');
    if (!box) {
      box = document.createElement('p');
      box.className = 'autosave-status';
      box.setAttribute('role', 'status');
      var actions = form.querySelector('.form-actions');
      (actions || form).appendChild(box);
    }
    box.setAttribute('data-state', kind);
    box.textContent = text || '';
    if (login) {
      var a = document.createElement('a');
      a.href = '/login?next=' + encodeURIComponent(location.pathname + location.search);
      a.textContent = form.getAttribute('data-msg-login') || 'Log in';
      box.appendChild(document.createTextNode(' '));
      box.appendChild(a);
    }
  }

  function keep(form) {
    try { localStorage.setItem(KEY, JSON.stringify(answers(form))); } catch (e) { /* storage full or off */ }
  }

  /* One save in flight at a time, each with the whole form as it is then: a
   * change made meanwhile is sent when that one is done, so that an older state
   * never lands after a newer one. */
  var inFlight = false, pending = null;

  function autosave(form) {
    keep(form);
    if (inFlight) { pending = form; return; }
    inFlight = true;
    say(form, 'saving', form.getAttribute('data-msg-saving'));
    var body = new URLSearchParams();
    var els = form.elements;
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      if (!el.name || el.disabled || el.type === 'submit' || el.type === 'button') continue;
      if ((el.type === 'radio' || el.type === 'checkbox') && !el.checked) continue;
      body.append(el.name, el.value);
    }
    fetch(form.getAttribute('action'), { method: 'POST', body: body, credentials: 'same-origin' })
      .then(function (res) {
        if (res.ok && !/\/login/.test(res.url)) {
          try { localStorage.removeItem(KEY); } catch (e) { /* nothing kept */ }
          form.removeAttribute('data-dirty');
          say(form, 'saved', form.getAttribute('data-msg-saved'));
        } else if (res.status === 401 || res.status === 403 || /\/login/.test(res.url)) {
          say(form, 'expired', form.getAttribute('data-msg-expired'), true);
        } else {
          say(form, 'failed', form.getAttribute('data-msg-failed'));
        }
      }, function () { say(form, 'failed', form.getAttribute('data-msg-failed')); })
      .then(function () {
        inFlight = false;
        if (pending) { var next = pending; pending = null; autosave(next); }
      });
  }

  document.addEventListener('change', function (ev) {
    var form = ev.target && ev.target.form;
    if (form && form.hasAttribute('data-autosave') && !ev.target.hasAttribute('data-autosubmit')) {
      form.setAttribute('data-dirty', '1');
      autosave(form);
    }
  });

  /* Answers kept from a session that expired: put back and saved. */
  document.addEventListener('DOMContentLoaded', function () {
    var form = document.querySelector('form[data-autosave]');
    var kept = null;
    try { kept = JSON.parse(localStorage.getItem(KEY) || 'null'); } catch (e) { kept = null; }
    if (!form || !kept || !kept.length) return;
    for (var i = 0; i < kept.length; i++) {
      var name = kept[i][0], value = kept[i][1];
      var els = form.querySelectorAll('[name="' + name.replace(/["\\]/g, '\\$&') + '"]');
      for (var j = 0; j < els.length; j++) {
        var el = els[j];
        if (el.type === 'radio' || el.type === 'checkbox') { if (el.value === value) el.checked = true; }
        else el.value = value;
      }
    }
    form.setAttribute('data-dirty', '1');
    say(form, 'restored', form.getAttribute('data-msg-restored'));
    autosave(form);
  });

  /* Hide the auto-submit buttons that stand in for JavaScript. */
  document.documentElement.className += ' js';
})();
