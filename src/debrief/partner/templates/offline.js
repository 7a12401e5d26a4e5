// Reads the rubric form, signs the answers with the invite's key (HMAC-SHA-256 of the answers
// under the SHA-256 of the token) and saves them as a small JSON file for `debrief partner import`.
(function () {
  "use strict";
  var invite = JSON.parse(document.getElementById("invite").textContent);
  var form = document.getElementById("rubric");
  var problem = document.getElementById("problem");
  var encoder = new TextEncoder();

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function answers() {
    var scores = {};
    invite.areas.forEach(function (area) {
      var chosen = form.querySelector('input[name="score_' + area + '"]:checked');
      if (chosen) { scores[area] = parseInt(chosen.value, 10); }
    });
    var text = function (name) {
      var value = form.elements[name].value.trim();
      return value === "" ? null : value;
    };
    return {
      asked: text("asked"),
      comments: text("comments"),
      partner: text("partner"),
      scores: scores,
      went_well: text("went_well"),
      work_on: text("work_on")
    };
  }

  async function save(event) {
    event.preventDefault();
    problem.hidden = true;
    var given = answers();
    if (!Object.keys(given.scores).length && !given.went_well && !given.work_on && !given.comments) {
      problem.textContent = "Give at least one score or a few words of feedback.";
      problem.hidden = false;
      return;
    }
    if (!window.crypto || !window.crypto.subtle) {
      problem.textContent = "This browser cannot sign the answers; open the file in a current Chrome, Firefox, Edge or Safari.";
      problem.hidden = false;
      return;
    }
    var body = JSON.stringify(given);
    var digest = await crypto.subtle.digest("SHA-256", encoder.encode(invite.token));
    var key = await crypto.subtle.importKey(
      "raw", encoder.encode(hex(digest)), {name: "HMAC", hash: "SHA-256"}, false, ["sign"]);
    var mac = await crypto.subtle.sign("HMAC", key, encoder.encode(invite.id + "." + body));
    var file = JSON.stringify({
      format: "debrief-partner-answers", version: 1, invite: invite.id,
      answers: body, signature: hex(mac)
    }, null, 1);
    var name = "debrief-feedback-" + invite.id + ".json";
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([file], {type: "application/json"}));
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    document.getElementById("saved-name").textContent = name;
    document.getElementById("saved").hidden = false;
  }

  form.addEventListener("submit", save);
})();
