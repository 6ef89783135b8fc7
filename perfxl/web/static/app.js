// perfxl serve: the page works without this script; it only adds
// drag-and-drop (files and whole folders), upload progress, live run
// progress and a confirmation before deleting a run. Vanilla, no libraries.
"use strict";

function entryFiles(entry, prefix, out) {
  // walk a dropped folder (FileSystemEntry) and collect [file, relative path]
  return new Promise(function (resolve) {
    if (entry.isFile) {
      entry.file(function (f) { out.push([f, prefix + f.name]); resolve(); }, function () { resolve(); });
    } else if (entry.isDirectory) {
      var reader = entry.createReader(), all = [];
      (function more() {
        reader.readEntries(function (batch) {
          if (!batch.length) {
            Promise.all(all.map(function (e) { return entryFiles(e, prefix + entry.name + "/", out); })).then(resolve);
          } else { all = all.concat(Array.prototype.slice.call(batch)); more(); }
        }, function () { resolve(); });
      })();
    } else { resolve(); }
  });
}

function setupUpload(form) {
  var drop = document.getElementById("drop"), picked = document.getElementById("picked");
  var files = document.getElementById("files"), folder = document.getElementById("folder");
  var dropped = [];
  function show() {
    var n = dropped.length + files.files.length + folder.files.length;
    picked.textContent = n ? "已选择 " + n + " 个文件" : "";
  }
  files.addEventListener("change", show);
  folder.addEventListener("change", show);
  ["dragenter", "dragover"].forEach(function (t) {
    drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add("over"); });
  });
  drop.addEventListener("dragleave", function () { drop.classList.remove("over"); });
  drop.addEventListener("drop", function (e) {
    e.preventDefault();
    drop.classList.remove("over");
    var items = e.dataTransfer.items, jobs = [];
    for (var i = 0; i < items.length; i++) {
      if (items[i].kind !== "file") continue;
      var entry = items[i].webkitGetAsEntry && items[i].webkitGetAsEntry();
      if (entry) { jobs.push(entryFiles(entry, "", dropped)); continue; }
      var file = items[i].getAsFile();  // a drop without file-system entries
      if (file) dropped.push([file, file.name]);
    }
    Promise.all(jobs).then(show);
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var data = new FormData(form);
    data.delete("folder");
    Array.prototype.forEach.call(folder.files, function (f) { data.append("folder", f, f.webkitRelativePath || f.name); });
    dropped.forEach(function (p) { data.append("folder", p[0], p[1]); });
    var box = document.getElementById("upload-progress"), bar = document.getElementById("upload-bar");
    var text = document.getElementById("upload-text"), button = form.querySelector("button[type=submit]");
    box.hidden = false; button.disabled = true;
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-Requested-With", "perfxl");
    xhr.upload.onprogress = function (ev) {
      if (ev.lengthComputable) {
        bar.value = Math.round(100 * ev.loaded / ev.total);
        text.textContent = "正在上传 " + bar.value + "%（" + (ev.loaded / 1048576).toFixed(1) + " MB）";
      }
    };
    xhr.onload = function () {
      var answer = {};
      try { answer = JSON.parse(xhr.responseText); } catch (err) { answer = { error: "服务器返回了无法识别的内容" }; }
      if (answer.url) { text.textContent = "上传完成，开始复核…"; window.location.href = answer.url; }
      else { text.textContent = answer.error || "上传失败"; text.className = "error"; button.disabled = false; }
    };
    xhr.onerror = function () { text.textContent = "上传失败：无法连接服务器"; text.className = "error"; button.disabled = false; };
    xhr.send(data);
  });
}

function setupStatus(box) {
  var url = box.getAttribute("data-status-url");
  function set(id, v) { var el = document.getElementById(id); if (el && v !== undefined && v !== null) el.textContent = v; }
  function bar(id, v, max) { var el = document.getElementById(id); if (el && max) { el.max = max; el.value = v || 0; } }
  function poll() {
    fetch(url, { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (s) {
      if (s.state === "done" || s.state === "failed") { window.location.reload(); return; }
      set("stage", s.state_zh + (s.stage ? "：" + s.stage : ""));
      set("read", s.read || 0); set("read_total", s.read_total);
      set("written", s.written || 0); set("written_total", s.written_total);
      bar("read-bar", s.read, s.read_total); bar("written-bar", s.written, s.written_total);
      setTimeout(poll, 700);
    }).catch(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 300);
}

document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("upload");
  if (form && window.FormData && window.XMLHttpRequest) setupUpload(form);
  var box = document.getElementById("run-status");
  if (box && box.getAttribute("data-state") !== "failed" && window.fetch) setupStatus(box);
  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (e) { if (!window.confirm(f.getAttribute("data-confirm"))) e.preventDefault(); });
  });
});
