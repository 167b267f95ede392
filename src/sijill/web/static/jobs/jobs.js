// The estimate page: while its job runs, poll the job and show its progress; when it ends,
// reload the page, which the server draws with the result (or why it failed).
(function () {
  "use strict";
  var box = document.getElementById("estimate-job");
  if (!box || (box.dataset.state !== "queued" && box.dataset.state !== "running")) { return; }
  var bar = document.getElementById("job-progress");
  function poll() {
    fetch("/api/jobs/" + encodeURIComponent(box.dataset.job), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (job) {
        if (!job) { return; }
        if (job.state === "done" || job.state === "failed") { window.location.reload(); return; }
        if (bar) { bar.value = job.progress; }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
}());
