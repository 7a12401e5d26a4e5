// debrief's pages work without this file; it adds charts, drag and drop on the board, copy
// buttons and delete confirmations. Served from the app itself: the CSP allows no inline script.
(function () {
  "use strict";

  function charts() {
    var data = document.getElementById("charts");
    if (!data || typeof Plotly === "undefined") { return; }
    var figures = JSON.parse(data.textContent);
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var figure = figures[element.getAttribute("data-chart")];
      if (figure) {
        Plotly.newPlot(element, figure.data, figure.layout, {displayModeBar: false, responsive: true});
      }
    });
  }

  function board() {
    var dragged = null;
    document.querySelectorAll(".card[draggable]").forEach(function (card) {
      card.addEventListener("dragstart", function (event) {
        dragged = card;
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", card.dataset.id);
        card.classList.add("dragging");
      });
      card.addEventListener("dragend", function () { card.classList.remove("dragging"); });
    });
    document.querySelectorAll(".column[data-status]").forEach(function (column) {
      column.addEventListener("dragover", function (event) {
        event.preventDefault();
        column.classList.add("over");
      });
      column.addEventListener("dragleave", function () { column.classList.remove("over"); });
      column.addEventListener("drop", function (event) {
        event.preventDefault();
        column.classList.remove("over");
        if (!dragged || dragged.closest(".column") === column) { return; }
        var form = dragged.querySelector("form.move");
        form.elements.status.value = column.dataset.status;
        form.submit();
      });
    });
  }

  function confirmations() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
      });
    });
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var field = document.getElementById(button.dataset.copy);
        field.select();
        if (navigator.clipboard) { navigator.clipboard.writeText(field.value); }
        button.textContent = "Copied";
      });
    });
    document.querySelectorAll("[data-back]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (window.history.length > 1) { event.preventDefault(); window.history.back(); }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    charts();
    board();
    confirmations();
  });
})();
