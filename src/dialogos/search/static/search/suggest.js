/* Suggestions for the search box: the ARIA 1.2 combobox pattern (an input with a listbox
 * popup). Progressive enhancement: without this file the box is a plain search field and the
 * form submits as usual. The server renders the options (search/_suggestions.html: titles in
 * the page's language, matched words marked, only what the reader may see); this file only
 * fetches them as the reader types (debounced), shows them and handles the keyboard:
 * Down/Up move through the options, Enter opens the chosen one (or submits the search when
 * none is chosen), Escape closes the list, Tab leaves it. */
(function () {
  "use strict";

  var DELAY = 150;
  var MIN_CHARS = 2;
  var MAX_CHARS = 100;

  function enhance(box) {
    var input = box.querySelector("input[type=search]");
    var list = box.querySelector("[role=listbox]");
    var live = box.querySelector("[data-suggest-live]");
    var url = box.getAttribute("data-suggest-url");
    if (!input || !list || !url || !window.fetch) {
      return;
    }
    var timer = null;
    var controller = null;
    var asked = "";
    var active = -1;

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    function options() {
      return list.querySelectorAll("[role=option]");
    }

    function isOpen() {
      return !list.hidden;
    }

    function announce(text) {
      if (live) {
        live.textContent = text;
      }
    }

    function choose(index) {
      var items = options();
      active = index;
      for (var i = 0; i < items.length; i++) {
        items[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      if (index >= 0 && index < items.length) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function close() {
      choose(-1);
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }

    function open() {
      if (options().length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    }

    function show(html) {
      var template = document.createElement("template");
      template.innerHTML = html;
      var items = template.content.querySelectorAll("[role=option]");
      var status = template.content.querySelector("[data-suggest-status]");
      list.textContent = "";
      for (var i = 0; i < items.length; i++) {
        items[i].id = list.id + "-" + i;
        list.appendChild(items[i]);
      }
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (items.length && document.activeElement === input) {
        open();
      } else {
        close();
      }
      announce(status ? status.textContent.trim() : "");
    }

    function go(item) {
      var href = item && item.getAttribute("data-href");
      if (href) {
        close();
        window.location.assign(href);
      }
    }

    function fetchNow() {
      var value = input.value.trim();
      if (value === asked) {
        open();
        return;
      }
      asked = value;
      if (controller) {
        controller.abort();
        controller = null;
      }
      if (value.length < MIN_CHARS || value.length > MAX_CHARS) {
        show("");
        return;
      }
      controller = window.AbortController ? new AbortController() : null;
      var address = url + (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(value);
      window
        .fetch(address, {
          credentials: "same-origin",
          headers: { Accept: "text/html" },
          signal: controller ? controller.signal : undefined,
        })
        .then(function (response) {
          return response.ok ? response.text() : "";
        })
        .then(function (html) {
          if (value === input.value.trim()) {
            show(html);
          }
        })
        .catch(function () {
          /* aborted by a newer keystroke, or offline: the form still works */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchNow, DELAY);
    });

    input.addEventListener("keydown", function (event) {
      if (event.isComposing) {
        return;
      }
      var count = options().length;
      if (event.key === "ArrowDown" || event.key === "Down") {
        if (!count) {
          return;
        }
        event.preventDefault();
        if (!isOpen()) {
          open();
          choose(0);
        } else {
          choose(active + 1 < count ? active + 1 : 0);
        }
      } else if (event.key === "ArrowUp" || event.key === "Up") {
        if (!count) {
          return;
        }
        event.preventDefault();
        if (!isOpen()) {
          open();
          choose(count - 1);
        } else {
          choose(active > 0 ? active - 1 : count - 1);
        }
      } else if (event.key === "Enter") {
        if (isOpen() && active >= 0) {
          event.preventDefault();
          go(options()[active]);
        } else {
          close();
        }
      } else if (event.key === "Escape" || event.key === "Esc") {
        if (isOpen()) {
          event.preventDefault();
          close();
        }
      } else if (event.key === "Tab") {
        close();
      }
    });

    input.addEventListener("blur", function () {
      close();
    });

    input.addEventListener("focus", function () {
      if (input.value.trim() === asked) {
        open();
      }
    });

    // Keep the focus in the box while the pointer picks an option.
    list.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });

    list.addEventListener("click", function (event) {
      var item = event.target.closest ? event.target.closest("[role=option]") : null;
      go(item);
    });

    if (input.form) {
      input.form.addEventListener("submit", close);
    }
  }

  function start() {
    var boxes = document.querySelectorAll("[data-suggest-url]");
    for (var i = 0; i < boxes.length; i++) {
      enhance(boxes[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
