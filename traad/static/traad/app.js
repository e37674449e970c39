// Tråd's only script of its own: start DKFDS components. No inline script anywhere (CSP).
(function () {
  "use strict";
  if (window.DKFDS && typeof window.DKFDS.init === "function") {
    window.DKFDS.init();
  }
})();

// Forms that ask before they act (e.g. removing a person from a case): data-confirm="question".
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm) {
      if (!window.confirm(form.dataset.confirm)) {
        event.preventDefault();
      }
    }
  });
})();

// Journal drafts survive a dropped connection or a closed tab. A form marked
// data-draft-key="journal-entry-<id>" keeps a copy of what is typed in localStorage (with the
// server revision it was typed on) until the server has it; on the next load a copy newer
// than the server's restores into the fields and is saved. The autosave itself is htmx
// (hx-post on the form's [data-draft-status] element, which answers with the new revision).
(function () {
  "use strict";
  var PREFIX = "traad:";

  function forget(name) {
    try {
      window.localStorage.removeItem(PREFIX + name);
    } catch (e) {
      /* storage unavailable: nothing was kept */
    }
  }

  // A signed note (its page says so) and a discarded draft need no copy any more.
  document.querySelectorAll("[data-draft-done]").forEach(function (el) {
    forget(el.getAttribute("data-draft-done"));
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!event.defaultPrevented && form instanceof HTMLFormElement && form.dataset.draftDiscard) {
      forget(form.dataset.draftDiscard);
    }
  });

  var form = document.querySelector("form[data-draft-key]");
  if (!form) {
    return;
  }
  var key = PREFIX + form.dataset.draftKey;
  var status = form.querySelector("[data-draft-status]");
  var edits = 0;
  var editsSent = -1;
  var inFlight = false;
  var submitting = false;
  var waitingForNetwork = false;
  var queuedSubmitter;
  var conflicted = form.hasAttribute("data-draft-conflict");
  var base; // the values as the server has them (set below, once the functions exist)

  function revision() {
    var input = form.querySelector("input[name=revision]");
    return input ? Number(input.value) : 0;
  }

  function fieldValues() {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.type === "hidden" || el.type === "submit") {
        return;
      }
      values[el.name] = values[el.name] || [];
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) {
          values[el.name].push(el.value);
        }
      } else {
        values[el.name].push(el.value);
      }
    });
    return values;
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function read() {
    try {
      return JSON.parse(window.localStorage.getItem(key) || "null");
    } catch (e) {
      return null;
    }
  }

  function keep() {
    var copy = {
      values: fieldValues(),
      base: base,
      revision: revision(),
      at: Date.now(),
      conflict: conflicted,
    };
    try {
      window.localStorage.setItem(key, JSON.stringify(copy));
    } catch (e) {
      /* full or private mode: the autosave still runs */
    }
  }

  // Only the fields typed in that copy: a field it did not touch keeps what the server has
  // (perhaps written meanwhile in another tab or on another device).
  function restore(copy) {
    Array.prototype.forEach.call(form.elements, function (el) {
      var stored = copy.values[el.name];
      var untouched = copy.base && same(copy.base[el.name], stored);
      if (!stored || untouched || el.type === "hidden" || el.type === "submit") {
        return;
      }
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = stored.indexOf(el.value) !== -1;
      } else {
        el.value = stored[0];
      }
    });
  }

  function say(text) {
    if (status && text) {
      status.textContent = text;
    }
  }

  function save() {
    if (window.htmx) {
      window.htmx.trigger(form, "draftsave");
    }
  }

  // The duration shown beside start and end.
  var duration = form.querySelector("output[data-duration]");
  function showDuration() {
    var start = form.elements.namedItem("start_time");
    var end = form.elements.namedItem("end_time");
    if (!duration || !start || !end) {
      return;
    }
    var toMinutes = function (value) {
      var parts = /^(\d{1,2}):(\d{2})/.exec(value || "");
      return parts ? Number(parts[1]) * 60 + Number(parts[2]) : null;
    };
    var from = toMinutes(start.value);
    var to = toMinutes(end.value);
    duration.textContent =
      from !== null && to !== null && to > from
        ? duration.dataset.format.replace("{minutes}", String(to - from))
        : "—";
  }

  form.addEventListener("input", function (event) {
    edits += 1;
    keep();
    if (event.target.name === "start_time" || event.target.name === "end_time") {
      showDuration();
    }
  });
  form.addEventListener("change", function () {
    edits += 1;
    keep();
    showDuration();
  });

  form.addEventListener("htmx:beforeRequest", function (event) {
    if (submitting) {
      event.preventDefault(); // the whole form is on its way already
      return;
    }
    inFlight = true;
    editsSent = edits;
  });
  form.addEventListener("htmx:beforeSwap", function (event) {
    var code = event.detail.xhr.status;
    if (code === 409 || code === 422) {
      event.detail.shouldSwap = true; // the answer is the message to show
    }
  });
  form.addEventListener("htmx:afterRequest", function (event) {
    var code = event.detail.xhr.status;
    inFlight = false;
    if (code >= 200 && code < 300) {
      waitingForNetwork = false;
      conflicted = false;
      if (edits === editsSent) {
        base = fieldValues();
        forget(form.dataset.draftKey);
      } else {
        keep(); // typed meanwhile: keep that, on the new revision
      }
    } else if (code === 409) {
      conflicted = true;
      keep();
    }
    if (queuedSubmitter !== undefined) {
      var submitter = queuedSubmitter;
      queuedSubmitter = undefined;
      form.requestSubmit(submitter);
    }
  });
  form.addEventListener("htmx:sendError", function () {
    waitingForNetwork = true;
    say(form.dataset.offlineText);
  });
  form.addEventListener("htmx:responseError", function (event) {
    var code = event.detail.xhr.status;
    if (code !== 409 && code !== 422) {
      say(form.dataset.errorText);
    }
  });
  window.addEventListener("online", function () {
    if (waitingForNetwork) {
      waitingForNetwork = false;
      save();
    }
  });

  // Saving or signing posts the whole form; let a running autosave finish first, so the
  // form carries the revision that autosave produced.
  form.addEventListener("submit", function (event) {
    if (event.defaultPrevented) {
      return;
    }
    if (inFlight) {
      event.preventDefault();
      queuedSubmitter = event.submitter || null;
      return;
    }
    submitting = true;
  });
  window.addEventListener("pageshow", function () {
    submitting = false;
  });

  // On load: a copy the server does not have is put back and saved.
  base = fieldValues();
  var stored = read();
  if (conflicted) {
    // The server refused a stale copy, and this page shows the text as posted: keep what
    // was typed for after the reload, measured from the copy's own starting point.
    base = stored && stored.base ? stored.base : null;
    keep();
  } else if (stored && stored.values) {
    // A copy exists only while it holds typing the server has not confirmed (a confirmed save
    // removes it), so it is put back even when the server's revision moved on meanwhile: an
    // autosave sent before the connection dropped may have landed after the copy was made.
    var newer = true;
    var before = fieldValues();
    if (newer) {
      restore(stored);
    }
    if (newer && !same(before, fieldValues())) {
      conflicted = false; // restored onto the current revision: saving it is the user's intent
      showDuration();
      var alert = document.querySelector("[data-draft-restored]");
      if (alert) {
        alert.hidden = false;
      }
      keep();
      window.addEventListener("load", save);
    } else {
      forget(form.dataset.draftKey);
    }
  }
})();
