/* The online application, step by step (progressive: without this script the form is one page with every
   part visible, and the server requires only the chosen kind's fields). Also the receipt's print button.
   Texts come from the page (<template id="apply-texts">), so every string is translated there. */
(function () {
  "use strict";

  var texts = document.getElementById("apply-texts");
  function t(name, values) {
    var text = (texts && texts.getAttribute("data-" + name)) || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.replace("%(" + key + ")s", String(values[key]));
    });
    return text;
  }

  /* --- the print button of the receipt ------------------------------------------------------------------ */
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  var form = document.querySelector("form[data-apply]");
  if (!form) { return; }
  form.classList.add("js");

  /* --- character counters ------------------------------------------------------------------------------- */
  function length(value) { return Array.from(value.trim()).length; }
  Array.prototype.forEach.call(form.querySelectorAll("[data-counter]"), function (field) {
    var max = parseInt(field.getAttribute("data-counter"), 10);
    var counter = document.getElementById(field.id + "_counter");
    if (!counter) { return; }
    function update() {
      var n = length(field.value);
      counter.textContent = t("count", { n: n, max: max }) + (n > max ? t("over", { over: n - max }) : "");
      counter.classList.toggle("over", n > max);
    }
    field.addEventListener("input", update);
    update();
  });

  /* --- the applicant's kind shows only its own fields ---------------------------------------------------- */
  var person = document.getElementById("fields-person");
  var organisation = document.getElementById("fields-organisation");
  var nameLabel = form.querySelector("label[for='id_name']");
  function chosenKind() {
    var checked = form.querySelector("input[name='kind']:checked");
    return checked ? checked.value : "";
  }
  function showKind() {
    var kind = chosenKind();
    [[person, kind === "natural"], [organisation, kind !== "" && kind !== "natural"]].forEach(function (pair) {
      pair[0].hidden = !pair[1];
      pair[0].disabled = !pair[1]; /* a hidden part is not sent, so nothing in it can be refused */
    });
    if (nameLabel && nameLabel.firstChild && nameLabel.firstChild.nodeType === 3 && kind) {
      nameLabel.firstChild.nodeValue = kind === "natural" ? t("name-person") : t("name-org");
    }
  }
  Array.prototype.forEach.call(form.querySelectorAll("input[name='kind']"), function (radio) {
    radio.addEventListener("change", showKind);
  });
  showKind();

  /* --- steps --------------------------------------------------------------------------------------------- */
  var steps = Array.prototype.slice.call(form.querySelectorAll("section.step"));
  var nav = form.querySelector("[data-step-nav]");
  var buttons = form.querySelector("[data-step-buttons]");
  var back = form.querySelector("[data-step-back]");
  var next = form.querySelector("[data-step-next]");
  var current = 0;

  function clearClientErrors(step) {
    Array.prototype.forEach.call(step.querySelectorAll(".js-error"), function (p) { p.remove(); });
  }
  function complain(anchor, before, message) {
    var p = document.createElement("p");
    p.className = "field-error js-error";
    p.textContent = message;
    anchor.insertBefore(p, before);
    return p;
  }
  function enabled(element) {
    return !element.closest("fieldset[disabled]") && !element.closest("[hidden]");
  }
  /* Only what is plainly missing is said here; the server checks everything when the form is sent. */
  function missing(step) {
    clearClientErrors(step);
    var first = null;
    Array.prototype.forEach.call(step.querySelectorAll("[aria-required='true']"), function (field) {
      if (!enabled(field) || field.value.trim() !== "") { return; }
      var p = complain(field.parentNode, field, t("required"));
      p.id = field.id + "_missing";
      field.setAttribute("aria-invalid", "true");
      first = first || field;
    });
    Array.prototype.forEach.call(step.querySelectorAll("fieldset.choice"), function (group) {
      if (!enabled(group) || group.querySelector("input:checked")) { return; }
      var legend = group.querySelector("legend");
      complain(group, legend.nextSibling, t("choose"));
      first = first || group.querySelector("input");
    });
    if (step.id === "step-body" && !form.querySelector("input[name='body']:checked")) {
      complain(results.parentNode, results, t("choose"));
      first = first || query;
    }
    return first;
  }

  function show(index, focus) {
    current = Math.max(0, Math.min(index, steps.length - 1));
    steps.forEach(function (step, i) { step.hidden = i !== current; });
    Array.prototype.forEach.call(nav.querySelectorAll("li"), function (li, i) {
      if (i === current) { li.setAttribute("aria-current", "step"); } else { li.removeAttribute("aria-current"); }
    });
    back.hidden = current === 0;
    next.hidden = current === steps.length - 1;
    if (steps[current].id === "step-review") { review(); }
    if (focus) {
      var heading = steps[current].querySelector("h2");
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  }
  function stepOf(element) {
    for (var i = 0; i < steps.length; i++) { if (steps[i].contains(element)) { return i; } }
    return -1;
  }

  function labelOf(field) {
    var named = field.closest("[data-review-label]");
    if (named) { return named.getAttribute("data-review-label"); }
    var group = field.closest("fieldset.choice");
    if (group) { return group.querySelector("legend").firstChild.textContent; }
    var label = form.querySelector("label[for='" + field.id + "']");
    return label && label.firstChild ? label.firstChild.textContent : field.name;
  }
  function valueOf(field) {
    if (field.type === "radio") {
      var label = form.querySelector("label[for='" + field.id + "']");
      var name = label && (label.querySelector(".body-trail") || label.querySelector(".body-name"));
      return (name || label).textContent.trim();
    }
    if (field.tagName === "SELECT") { return field.options[field.selectedIndex].text; }
    return field.value.trim();
  }
  function review() {
    var list = form.querySelector("[data-review-list]");
    list.textContent = "";
    steps.slice(0, -1).forEach(function (step, i) {
      var fields = step.querySelectorAll("input, select, textarea");
      Array.prototype.forEach.call(fields, function (field) {
        if (field.disabled || field.closest("fieldset[disabled]") || field.type === "hidden" || field.type === "search" || field.name === "find_body") { return; }
        if (field.type === "radio" && !field.checked) { return; }
        var dt = document.createElement("dt");
        dt.textContent = labelOf(field);
        var dd = document.createElement("dd");
        var value = valueOf(field);
        dd.textContent = value === "" || value === "—" ? t("empty") : value;
        var edit = document.createElement("button");
        edit.type = "button";
        edit.className = "link";
        edit.textContent = t("edit");
        edit.addEventListener("click", function () { show(i, false); field.focus(); });
        dd.appendChild(document.createTextNode(" "));
        dd.appendChild(edit);
        list.appendChild(dt);
        list.appendChild(dd);
      });
    });
    form.querySelector("[data-review]").hidden = false;
  }

  nav.hidden = false;
  buttons.hidden = false;
  next.addEventListener("click", function () {
    var problem = missing(steps[current]);
    if (problem) { problem.focus(); return; }
    show(current + 1, true);
  });
  back.addEventListener("click", function () { show(current - 1, true); });
  form.addEventListener("keydown", function (event) {
    /* Enter in a text box goes on to the next step instead of sending the form early */
    var target = event.target;
    if (event.key === "Enter" && target.tagName === "INPUT" && target.type !== "search" &&
        target.type !== "radio" && target.type !== "checkbox" && !next.hidden) {
      event.preventDefault();
      next.click();
    }
  });

  /* The server sent the form back: open the step of the first error, and let the summary's links open theirs. */
  var summary = document.getElementById("error-summary");
  var firstError = form.querySelector(".has-error");
  show(firstError ? stepOf(firstError) : 0, false);
  if (summary) {
    summary.focus();
    Array.prototype.forEach.call(summary.querySelectorAll("a[href^='#']"), function (link) {
      link.addEventListener("click", function (event) {
        var target = document.getElementById(link.getAttribute("href").slice(1));
        if (!target) { return; }
        event.preventDefault();
        show(stepOf(target), false);
        target.focus();
      });
    });
  }
})();
