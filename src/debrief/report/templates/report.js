(function () {
  function draw() {
    var figures = JSON.parse(document.getElementById("report-charts").textContent);
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var figure = figures[element.getAttribute("data-chart")];
      if (figure) {
        Plotly.newPlot(element, figure.data, figure.layout, {displayModeBar: false, responsive: true});
      }
    });
  }
  if (!window.DecompressionStream) {
    document.getElementById("no-charts").hidden = false;
    return;
  }
  var text = atob(document.getElementById("plotly-packed").textContent);
  var bytes = new Uint8Array(text.length);
  for (var i = 0; i < text.length; i++) { bytes[i] = text.charCodeAt(i); }
  var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  new Response(stream).text().then(function (source) {
    var library = document.createElement("script");
    library.textContent = source;
    document.head.appendChild(library);
    document.body.setAttribute("data-charts", "drawn");
    draw();
  });
})();
