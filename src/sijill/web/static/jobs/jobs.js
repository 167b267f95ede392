// A page that follows a job (the jobs page, the estimate page): while the job is queued or
// running, poll it and show its progress and message; when it ends, reload the page, which the
// server draws with the result (or why it failed). A reload of the page loses nothing.
(function () {
  "use strict";
  var box = document.querySelector("[data-job][data-state]");
  if (!box || (box.dataset.state !== "queued" && box.dataset.state !== "running")) { return; }
  var bar = box.querySelector("progress");
  var note = box.querySelector("[data-job-message]");
  function poll() {
    fetch("/api/jobs/" + encodeURIComponent(box.dataset.job), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (job) {
        if (!job) { return; }
        if (job.state === "done" || job.state === "failed") { window.location.reload(); return; }
        if (bar) { bar.value = job.progress; }
        if (note && job.message) { note.textContent = job.message; }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
}());
