/* Nanum: progressive enhancement only. Every page works without this file. */
(function () {
  "use strict";

  // The user menu and the phone menu are <details>: close them on a click elsewhere or on Escape.
  function openMenus() {
    return Array.prototype.slice.call(
      document.querySelectorAll("details.user-menu[open], details.site-menu[open]"));
  }
  document.addEventListener("click", function (event) {
    openMenus().forEach(function (menu) {
      if (!menu.contains(event.target)) { menu.removeAttribute("open"); }
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    openMenus().forEach(function (menu) {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
    });
  });

  // The browse filters start folded so that phones see the results first; open them on wide screens.
  var panel = document.querySelector("details[data-open-wide]");
  if (panel && window.matchMedia && window.matchMedia("(min-width: 992px)").matches) {
    panel.setAttribute("open", "");
  }

  // A form with errors: move focus to its summary so that it is read out first.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();

/* Discussions: @mention suggestions and quoting a selected passage. */
(function () {
  "use strict";

  // The text just before the caret ends in "@" and the start of a handle (not an email address).
  var MENTION_BEFORE = /(^|[^\w@\/])@([a-z0-9][a-z0-9-]{0,39})$/i;
  var listCount = 0;

  function setUpMentions(area) {
    var url = area.getAttribute("data-mentions") || "/api/people";
    var id = "mention-list-" + (++listCount);
    var list = document.createElement("ul");
    list.id = id;
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "People to mention");
    list.hidden = true;
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    area.parentNode.classList.add("mention-host");
    area.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    area.setAttribute("aria-autocomplete", "list");
    area.setAttribute("aria-controls", id);

    var people = [], active = -1, typed = "", timer = null, ticket = 0;

    function close() {
      list.hidden = true;
      list.textContent = "";
      people = [];
      active = -1;
      area.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      active = index;
      Array.prototype.forEach.call(list.children, function (item, i) {
        item.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      var item = list.children[index];
      if (item) {
        area.setAttribute("aria-activedescendant", item.id);
        if (item.scrollIntoView) { item.scrollIntoView({ block: "nearest" }); }
      }
    }

    function choose(index) {
      var person = people[index];
      if (!person) { return; }
      var caret = area.selectionStart;
      var start = caret - typed.length - 1; // where the "@" is
      var before = area.value.slice(0, start);
      var insert = "@" + person.handle + " ";
      area.value = before + insert + area.value.slice(caret);
      area.focus();
      area.setSelectionRange(before.length + insert.length, before.length + insert.length);
      close();
      status.textContent = person.name + " mentioned.";
    }

    function show(found) {
      close();
      people = found.slice(0, 8);
      if (!people.length) { status.textContent = "No one found."; return; }
      people.forEach(function (person, i) {
        var item = document.createElement("li");
        item.id = id + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.appendChild(document.createTextNode(person.name + " "));
        var handle = document.createElement("span");
        handle.className = "handle";
        handle.textContent = "@" + person.handle;
        item.appendChild(handle);
        // Keep the focus (and the caret) in the text box while choosing with the mouse.
        item.addEventListener("mousedown", function (event) { event.preventDefault(); });
        item.addEventListener("click", function () { choose(i); });
        list.appendChild(item);
      });
      list.hidden = false;
      highlight(0);
      status.textContent = people.length + (people.length === 1 ? " person" : " people") +
        " found. Up and down arrows to choose, Enter to insert, Escape to close.";
    }

    function lookUp() {
      var caret = area.selectionStart;
      var match = caret === area.selectionEnd && MENTION_BEFORE.exec(area.value.slice(0, caret));
      if (!match) { close(); return; }
      typed = match[2];
      var mine = ++ticket;
      fetch(url + "?q=" + encodeURIComponent(typed), {
        credentials: "same-origin", headers: { Accept: "application/json" }
      }).then(function (response) {
        return response.ok ? response.json() : [];
      }).then(function (found) {
        if (mine === ticket && Array.isArray(found)) { show(found); }
      }).catch(close);
    }

    area.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookUp, 150);
    });
    area.addEventListener("keydown", function (event) {
      if (list.hidden || !people.length) { return; }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : people.length - 1;
        highlight((active + step) % people.length);
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        close();
      }
    });
    area.addEventListener("blur", function () { window.setTimeout(close, 150); });
  }

  if (window.fetch) {
    Array.prototype.forEach.call(document.querySelectorAll("textarea[data-mentions]"), setUpMentions);
  }

  // Quote: when part of a post is selected, quote that passage instead of the whole post.
  // The selection is read on mousedown, before a click on the link can clear it.
  var chosen = null;

  function selectedIn(postId) {
    var article = document.getElementById("post-" + postId);
    var body = article && article.querySelector(".post-body");
    var selection = window.getSelection && window.getSelection();
    if (!body || !selection || selection.isCollapsed) { return ""; }
    if (!body.contains(selection.anchorNode) || !body.contains(selection.focusNode)) { return ""; }
    return selection.toString().trim();
  }

  document.addEventListener("mousedown", function (event) {
    var link = event.target.closest && event.target.closest("a[data-quote]");
    chosen = link ? selectedIn(link.getAttribute("data-quote")) : null;
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-quote]");
    var box = document.getElementById("reply-body");
    if (!link || !box) { return; }
    var text = chosen || selectedIn(link.getAttribute("data-quote"));
    chosen = null;
    if (!text) { return; } // no passage selected: the link quotes the whole post
    event.preventDefault();
    var quote = text.split(/\r?\n/).map(function (line) {
      return line.trim() ? "> " + line : ">";
    }).join("\n") + "\n\n";
    box.value = box.value.trim() ? box.value.replace(/\s*$/, "\n\n") + quote : quote;
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
    if (box.scrollIntoView) { box.scrollIntoView({ block: "center" }); }
  });
})();
