"use strict";
// The phone's page: the session's board, drawn from the state the coach sends, and its remote:
// each button sends the key that does the same in the terminal (coach/phone/server.py).
const W = JSON.parse(document.body.dataset.words);
const FIGURES = JSON.parse(document.body.dataset.figures);
const $ = (id) => document.getElementById(id);
const LEG = [ // how far down the pain reaches: the regions of a leg, top to bottom, by answer key
  ["l", "M30,8 h60 v46 h-60 z", 34], ["b", "M26,56 h68 q10,32 -4,62 h-60 q-10,-30 -4,-62 z", 92],
  ["t", "M30,120 h60 l-6,108 h-48 z", 178], ["k", "M36,230 h48 v38 h-48 z", 254],
  ["c", "M36,270 h48 l-6,92 h-36 z", 320], ["f", "M42,364 h36 l34,28 h-70 z", 384]];
let socket = null, ended = false, shownExercise = null, question = null, lock = null;

function text(id, value) { const el = $(id); if (el.textContent !== value) el.textContent = value; }
function clock(s) { return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0"); }
function notice(line) { const n = $("notice"); n.textContent = line || ""; n.hidden = !line; }

function send(key) {
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ key }));
}

function showState(s) {
  if (!s || !("name" in s)) return;
  text("step", s.step || s.title || "");
  text("status", s.paused ? W.paused : (s.volume !== 100 ? s.volume + " %" : ""));
  text("name", s.name); text("side", s.side); text("big", s.big); text("label", s.paused ? W.paused : s.label);
  text("now", s.now); text("next", s.next);
  text("elapsed", clock(s.elapsed)); text("left", "−" + clock(s.left));
  $("progress").value = s.elapsed + s.left ? s.elapsed / (s.elapsed + s.left) : 0;
  text("pause", s.paused ? W.resume : W.pause);
  document.body.classList.toggle("paused", !!s.paused);
  if (s.exercise !== shownExercise) {
    shownExercise = s.exercise;
    const box = $("figures"); box.replaceChildren();
    for (const src of FIGURES[s.exercise] || []) {
      const img = document.createElement("img"); img.src = src; img.alt = s.name; box.append(img);
    }
  }
}

function button(label, key, cls) {
  const b = document.createElement("button");
  b.textContent = label; b.dataset.key = key; if (cls) b.className = cls;
  b.addEventListener("click", () => { b.disabled = true; send(key); });
  return b;
}

function showQuestion(q) {
  const box = $("answers");
  const same = q && question && q.text === question.text && q.kind === question.kind;
  question = q;
  if (same) return;
  $("question").hidden = !q;
  box.replaceChildren();
  if (!q) return;
  text("asked", q.text);
  text("hint", q.kind === "reach" ? W.reach : W.answer);
  box.className = q.kind === "pain" ? "pain" : q.kind === "reach" ? "reach" : "wide";
  if (q.kind === "reach") {
    const words = Object.fromEntries(q.answers);
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.id = "leg"; svg.setAttribute("viewBox", "0 0 120 400"); svg.setAttribute("role", "group");
    for (const [key, d, y] of LEG) {
      const path = document.createElementNS(ns, "path");
      path.setAttribute("d", d); path.dataset.key = key;
      path.setAttribute("role", "button"); path.setAttribute("aria-label", words[key] || key);
      path.addEventListener("click", () => send(key));
      const label = document.createElementNS(ns, "text");
      label.setAttribute("x", "60"); label.setAttribute("y", String(y)); label.setAttribute("text-anchor", "middle");
      label.textContent = words[key] || key;
      svg.append(path, label);
    }
    box.append(svg);
  }
  for (const [key, word] of q.answers) box.append(button(word, key));
  if (q.skip) box.append(button(q.skip[1], q.skip[0]));
}

function connect() {
  const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + location.pathname + "ws";
  socket = new WebSocket(url);
  socket.onopen = () => notice("");
  socket.onmessage = (event) => {
    const m = JSON.parse(event.data);
    if (m.type === "ended") { ended = true; showQuestion(null); notice(W.ended); return; }
    showState(m.state); showQuestion(m.question);
  };
  socket.onclose = () => {
    if (ended) return;
    notice(W.lost);
    setTimeout(connect, 1000);
  };
}

// The screen stays on: by the Wake Lock API where the browser gives it (a secure page: this
// computer alone), else by a tiny silent video played muted in a loop (from the first tap,
// where the browser does not let muted video play at once), as phones keep the screen on while
// a video plays.
const awake = document.createElement("video");
awake.muted = true; awake.loop = true; awake.setAttribute("playsinline", ""); awake.setAttribute("muted", "");
for (const [src, type] of [["awake.webm", "video/webm"], ["awake.mp4", "video/mp4"]]) {
  const s = document.createElement("source"); s.src = src; s.type = type; awake.append(s);
}
window.awake = awake;
async function keepAwake() {
  if ("wakeLock" in navigator && window.isSecureContext) {
    try { if (!lock) { lock = await navigator.wakeLock.request("screen"); lock.onrelease = () => { lock = null; }; } return; }
    catch (e) { lock = null; }
  }
  if (awake.paused) awake.play().catch(() => {});
}
document.addEventListener("click", keepAwake);

for (const [id, word] of [["back", "back"], ["repeat", "repeat"], ["next-button", "next"], ["quieter", "quieter"],
                          ["louder", "louder"], ["stop", "stop"], ["worse", "worse"], ["pause", "pause"],
                          ["stop-yes", "stop_yes"], ["stop-no", "stop_no"]]) $(id).textContent = W[word];
text("confirm-text", W.stop_confirm);
for (const b of document.querySelectorAll("#remote button[data-key], #worse")) {
  b.addEventListener("click", () => send(b.dataset.key));
}
$("stop").addEventListener("click", () => $("confirm").showModal());
$("stop-yes").addEventListener("click", () => { $("confirm").close(); send("q"); send("q"); });
$("stop-no").addEventListener("click", () => $("confirm").close());
document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") keepAwake(); });
keepAwake();
connect();
