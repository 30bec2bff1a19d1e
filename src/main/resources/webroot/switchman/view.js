// The live view of one application's releases: status every second, the release in progress through its event
// stream (fetch, not EventSource, so that the bearer token goes in a header), the history on each release's end.
'use strict';
const $ = (id) => document.getElementById(id);
const COLOURS = ['blue', 'green'];
const WINDOW = 120; // seconds of error rate kept for the chart
let token = sessionStorage.getItem('switchman-token') || '';
let streaming = null; // the release id whose events are being streamed
const samples = []; // {at, blue, green}: error rate per colour over the last second, or null without traffic
let last = null; // the previous status' counters
const rows = new Map(); // the gates table's row of each gate's run or undo

async function api(path) {
  const response = await fetch(path, { headers: token ? { Authorization: 'Bearer ' + token } : {} });
  if (response.status === 401) {
    $('login').hidden = false;
    throw new Error('the API asks for a token');
  }
  if (!response.ok) throw new Error(path + ': ' + response.status);
  return response;
}

function cell(row, text, cls) {
  const td = row.insertCell();
  td.textContent = text == null ? '' : String(text);
  if (cls) td.className = cls;
  return td;
}

async function refreshStatus() {
  const status = await (await api('/api/status')).json();
  $('application').textContent = status.application;
  $('live').textContent = status.live ? status.live.colour + ' runs ' + status.live.version + ' since ' + status.live.since
    : 'nothing released yet';
  const body = $('colours').tBodies[0];
  body.replaceChildren();
  const now = {};
  for (const colour of COLOURS) {
    const c = status.colours ? status.colours[colour] : null;
    const row = body.insertRow();
    cell(row, colour, colour);
    cell(row, c && c.weight != null ? c.weight + '%' : '-', 'num');
    cell(row, c && status.countsPerColour ? c.requests : '-', 'num');
    cell(row, c && status.countsPerColour ? c.errors : '-', 'num');
    cell(row, c && status.countsPerColour ? c.inFlight : '-', 'num');
    now[colour] = c;
  }
  if (status.routerError) $('problem').textContent = 'router: ' + status.routerError, $('problem').hidden = false;
  else $('problem').hidden = true;
  sample(now);
  const inProgress = status.inProgress;
  $('progress').textContent = !inProgress ? 'none' : inProgress.interrupted
    // Its coordinator died: nothing moves it on until someone rolls it back.
    ? '#' + inProgress.release + ' ' + inProgress.version + ' INTERRUPTED at gate ' + inProgress.gate
      + ': no coordinator runs it; roll it back (switchman rollback, or POST /api/rollback)'
    : '#' + inProgress.release + ' ' + inProgress.version + ' ' + inProgress.state
      + ' at gate ' + inProgress.gate + (inProgress.awaiting ? ', waits to ' + inProgress.awaiting + ' (switchman promote)' : '');
  $('progress').className = inProgress && inProgress.interrupted ? 'INTERRUPTED' : '';
  if (inProgress && streaming !== inProgress.release) stream(inProgress.release);
}

function sample(now) {
  const point = { at: Date.now() };
  for (const colour of COLOURS) {
    const c = now[colour], p = last && last[colour];
    const requests = c && p ? c.requests - p.requests : 0;
    const errors = c && p ? c.errors - p.errors : 0;
    point[colour] = requests > 0 && errors >= 0 ? errors / requests : null;
  }
  last = now;
  samples.push(point);
  while (samples.length > WINDOW) samples.shift();
  draw();
}

function draw() {
  const canvas = $('chart'), g = canvas.getContext('2d');
  g.clearRect(0, 0, canvas.width, canvas.height);
  g.strokeStyle = '#eee';
  for (const y of [0.25, 0.5, 0.75]) { g.beginPath(); g.moveTo(0, canvas.height * y); g.lineTo(canvas.width, canvas.height * y); g.stroke(); }
  const step = canvas.width / (WINDOW - 1);
  for (const [colour, stroke] of [['blue', '#1f5fbf'], ['green', '#1f8f3f']]) {
    g.strokeStyle = stroke; g.lineWidth = 2; g.beginPath();
    let drawing = false;
    samples.forEach((s, i) => {
      if (s[colour] == null) { drawing = false; return; }
      const x = i * step, y = canvas.height - 2 - s[colour] * (canvas.height - 4);
      if (drawing) g.lineTo(x, y); else g.moveTo(x, y);
      drawing = true;
    });
    g.stroke();
  }
}

// Server-sent events over fetch: frames are separated by a blank line, each with "event:" and "data:" lines.
async function stream(id) {
  streaming = id;
  $('gates').tBodies[0].replaceChildren();
  rows.clear();
  $('notes').replaceChildren();
  try {
    const reader = (await api('/api/releases/' + id + '/events')).body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = (frame.match(/^event: (.*)$/m) || [])[1];
        const data = (frame.match(/^data: (.*)$/m) || [])[1];
        if (event && data) handle(event, JSON.parse(data));
      }
    }
  } catch (e) {
    $('problem').textContent = String(e.message || e); $('problem').hidden = false;
  }
  if (streaming === id) streaming = null;
  refreshHistory();
}

function handle(event, data) {
  if (event === 'step') {
    // One row per gate's run or undo: made when it starts, completed when it ends.
    const kind = data.kind.toLowerCase().replace('_', '-');
    const undo = kind.startsWith('undo');
    const key = data.gate + (undo ? ' undo' : '');
    let row = rows.get(key);
    if (!row) {
      row = $('gates').tBodies[0].insertRow();
      rows.set(key, row);
      cell(row, data.gate); cell(row, undo ? 'undo' : 'run'); cell(row, ''); cell(row, '', 'num'); cell(row, '');
    }
    const result = kind === 'undo-started' ? 'started' : kind.replace('undo-', '');
    row.cells[2].textContent = result; row.cells[2].className = result;
    row.cells[3].textContent = data.durationMs == null ? '' : data.durationMs;
    row.cells[4].textContent = data.detail || '';
  } else if (event === 'note') {
    const li = document.createElement('li');
    li.textContent = (data.gate ? data.gate + ': ' : '') + data.text;
    $('notes').append(li);
    li.scrollIntoView({ block: 'nearest' });
  } else if (event === 'end') {
    $('progress').textContent = '#' + data.release + ' ' + data.version + ' ended ' + data.state
      + (data.reason ? ': ' + data.reason : '');
    $('progress').className = data.state;
  }
}

async function refreshHistory() {
  const history = await (await api('/api/releases?limit=20')).json();
  const body = $('history').tBodies[0];
  body.replaceChildren();
  for (const r of history.releases) {
    const row = body.insertRow();
    cell(row, r.release, 'num'); cell(row, r.version); cell(row, r.state, r.state); cell(row, r.gate);
    cell(row, r.startedAt); cell(row, r.durationMs, 'num'); cell(row, r.reason);
  }
}

$('login').addEventListener('submit', (e) => {
  e.preventDefault();
  token = $('token').value;
  sessionStorage.setItem('switchman-token', token);
  $('login').hidden = true;
  start();
});

function start() {
  refreshHistory().catch(() => {});
  const tick = () => refreshStatus().catch((e) => { $('problem').textContent = String(e.message || e); $('problem').hidden = false; });
  tick();
  if (!window.switchmanTimer) window.switchmanTimer = setInterval(tick, 1000);
}
start();
