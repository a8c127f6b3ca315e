// The console page: holds the state (requests, results, dispatched goals, selection), routes server messages to
// the views, and turns operator actions into protocol messages. Protocol: docs/console.md.
import { Connection } from './connection.js';
import { byId, cleanText, clock, el } from './dom.js';
import { renderHealth } from './health.js';
import { renderHistory } from './history.js';
import { LiveView } from './live-view.js';
import { Scene3D } from './scene3d.js';
import { goalAge, renderConfirm, renderWaypoints } from './waypoints.js';

const HISTORY_MAX = 100;

const state = {
  role: null,
  config: null,
  /** id -> { id, query, title, mode, atMs, stages: {stage: 'start'|'done'}, result } (insertion order = age). */
  entries: new Map(),
  /** `${resultId}#${index}` -> DispatchedGoal */
  dispatched: new Map(),
  selectedId: null,
  /** Our own requests by ref, to label them before the first progress event. */
  pendingRefs: new Map(),
  camera: null,
  confirm: null,
  /** The newest preview frame: { seq, stampNs, receivedAtMs } (for the age of a goal being confirmed). */
  latestFrame: null,
  health: null,
  nextRef: 1,
};

const ui = {
  conn: byId('conn-state'),
  role: byId('role-badge'),
  frameInfo: byId('frame-info'),
  previewStats: byId('preview-stats'),
  viewMode: byId('view-mode'),
  resume: byId('resume-live'),
  liveFoot: byId('live-foot'),
  queryForm: byId('query-form'),
  queryText: byId('query-text'),
  queryMode: byId('query-mode'),
  queryFrame: byId('query-frame'),
  queryMax: byId('query-max'),
  querySend: byId('query-send'),
  notice: byId('notice'),
  waypointsBody: byId('waypoints-body'),
  waypointsOf: byId('waypoints-of'),
  confirmBar: byId('confirm-bar'),
  confirmText: byId('confirm-text'),
  dispatchNotice: byId('dispatch-notice'),
  history: byId('history'),
  historyCount: byId('history-count'),
  health: byId('health'),
  healthAge: byId('health-age'),
  sceneFrame: byId('scene-frame'),
};

// --- token: from the URL fragment (never sent to the server in a request line), kept for reloads -------------
function takeToken() {
  const params = new URLSearchParams(location.hash.slice(1));
  const fromHash = params.get('token');
  if (fromHash) {
    sessionStorage.setItem('mwp-token', fromHash);
    history.replaceState(null, '', location.pathname + location.search);
    return fromHash;
  }
  return sessionStorage.getItem('mwp-token');
}

async function tokenWorks(token) {
  const response = await fetch('/api/v1/health', { headers: { Authorization: `Bearer ${token}` } });
  return response.status !== 401;
}

function askForToken(message) {
  byId('layout').hidden = true;
  const gate = byId('token-gate');
  gate.hidden = false;
  if (message) showNotice(message, 'error', gate.querySelector('form'));
  byId('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem('mwp-token', byId('token-input').value.trim());
    location.reload();
  });
}

// --- views ----------------------------------------------------------------------------------------------------
const live = new LiveView(byId('live-canvas'), byId('live-empty'), (pixel, frameSeq) => {
  const ref = `r${state.nextRef++}`;
  const mode = ui.queryMode.value;
  state.pendingRefs.set(ref, { title: `click (${pixel[0].toFixed(1)}, ${pixel[1].toFixed(1)}) on #${frameSeq}`, mode });
  const targetFrame = ui.queryFrame.value.trim();
  send({ type: 'click', ref, pixel, frameSeq, mode, ...(targetFrame ? { targetFrame } : {}) });
  updateViewMode();
});
const scene = new Scene3D(byId('scene3d'));
byId('scene-fit').addEventListener('click', () => scene.fit());
ui.resume.addEventListener('click', () => {
  live.resume();
  updateViewMode();
});

function updateViewMode() {
  const frozen = live.isFrozen;
  ui.viewMode.textContent = frozen ? `frame #${live.frozenSeq}` : 'live';
  ui.viewMode.dataset.mode = frozen ? 'frozen' : 'live';
  ui.resume.hidden = !frozen;
}

let connection = null;
function send(message) {
  if (!connection || !connection.send(message)) showNotice('Not connected.', 'error');
}

let noticeTimer = null;
function showNotice(text, kind = 'info', where = ui.notice.parentElement) {
  let box = ui.notice;
  if (where !== ui.notice.parentElement) {
    box = el('div', { class: 'notice' });
    where.append(box);
  }
  box.textContent = text;
  box.dataset.kind = kind;
  box.hidden = false;
  clearTimeout(noticeTimer);
  if (kind !== 'error') noticeTimer = setTimeout(() => (box.hidden = true), 5000);
}

function entryFor(id) {
  let entry = state.entries.get(id);
  if (!entry) {
    entry = { id, stages: {}, result: null, atMs: Date.now() };
    state.entries.set(id, entry);
    while (state.entries.size > HISTORY_MAX) state.entries.delete(state.entries.keys().next().value);
  }
  return entry;
}

function selectedResult() {
  return state.entries.get(state.selectedId)?.result ?? null;
}

function select(id) {
  state.selectedId = id;
  const result = selectedResult();
  // Show the result on the frame it was computed on, when that frame is still in the page's cache.
  if (result && result.frameSeq !== null && live.cache.has(result.frameSeq)) live.freeze(result.frameSeq);
  refresh();
}

function refresh() {
  const result = selectedResult();
  const operator = state.role === 'operator';
  renderHistory(ui.history, [...state.entries.values()].reverse(), state.selectedId, {
    select,
    cancel: (id) => send({ type: 'cancel', id }),
    canCancel: operator,
  });
  ui.historyCount.textContent = state.entries.size ? `${state.entries.size}` : '';
  renderWaypoints(ui.waypointsBody, ui.waypointsOf, result, state.dispatched, {
    canDispatch: operator && !state.confirm,
    askDispatch,
  });
  live.setOverlay(
    result ? { frameSeq: result.frameSeq, pixels: result.pixels, pixelStatus: result.pixelStatus, waypoints: result.waypoints } : null,
  );
  scene.setResult(result, new Set(state.dispatched.keys()));
  updateViewMode();
}

// --- confirm before dispatch ------------------------------------------------------------------------------------
let confirmTimer = null;
function askDispatch(result, index) {
  state.confirm = { resultId: result.id, waypointIndex: index };
  const entry = state.entries.get(result.id);
  const age = () => goalAge(result, state.latestFrame, entry?.resultAtMs, Date.now(), state.config?.dispatchMaxAgeMs ?? null);
  renderConfirm(ui.confirmText, result, index, age());
  // The age keeps counting while the operator reads.
  clearInterval(confirmTimer);
  confirmTimer = setInterval(() => {
    const line = byId('confirm-age');
    const now = age();
    line.textContent = now.text;
    line.dataset.over = String(now.overLimit);
  }, 500);
  ui.dispatchNotice.hidden = true;
  ui.confirmBar.hidden = false;
  refresh();
}
function closeConfirm() {
  state.confirm = null;
  clearInterval(confirmTimer);
  confirmTimer = null;
  ui.confirmBar.hidden = true;
  refresh();
}
byId('confirm-yes').addEventListener('click', () => {
  if (state.confirm) send({ type: 'confirm', ...state.confirm });
  closeConfirm();
});
byId('confirm-no').addEventListener('click', closeConfirm);

/** Dispatch outcomes are shown next to the waypoints they concern; a refusal stays until the next confirm. */
let dispatchNoticeTimer = null;
function showDispatchNotice(text, kind) {
  ui.dispatchNotice.textContent = text;
  ui.dispatchNotice.dataset.kind = kind;
  ui.dispatchNotice.hidden = false;
  clearTimeout(dispatchNoticeTimer);
  if (kind !== 'error') dispatchNoticeTimer = setTimeout(() => (ui.dispatchNotice.hidden = true), 10_000);
}

// --- query form ---------------------------------------------------------------------------------------------------
ui.queryForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const query = ui.queryText.value.trim();
  if (!query) return;
  const ref = `r${state.nextRef++}`;
  const mode = ui.queryMode.value;
  const targetFrame = ui.queryFrame.value.trim();
  const maxPoints = Number(ui.queryMax.value);
  state.pendingRefs.set(ref, { query, mode });
  send({
    type: 'query',
    ref,
    query,
    mode,
    ...(targetFrame ? { targetFrame } : {}),
    ...(Number.isInteger(maxPoints) && maxPoints > 0 ? { maxPoints } : {}),
  });
});

// --- server messages --------------------------------------------------------------------------------------------
const handlers = {
  hello(m) {
    state.role = m.role;
    state.config = m.config;
    ui.role.hidden = false;
    ui.role.textContent = m.role;
    ui.role.dataset.role = m.role;
    ui.queryFrame.placeholder = m.config.targetFrame;
    const operator = m.role === 'operator';
    for (const input of [ui.queryText, ui.queryMode, ui.queryFrame, ui.queryMax, ui.querySend]) input.disabled = !operator;
    live.canClick = operator;
    byId('live-canvas').classList.toggle('clickable', operator);
    ui.liveFoot.textContent = operator
      ? `Click the image to point (mode from the query box). Points are drawn at pixel centres.`
      : 'Viewer: watching only. Use the operator token to point and dispatch.';
  },
  history(m) {
    for (const result of m.results) {
      const entry = entryFor(result.id);
      entry.result = result;
      entry.mode = result.mode;
    }
    for (const goal of m.dispatched) state.dispatched.set(`${goal.resultId}#${goal.waypointIndex}`, goal);
    const last = m.results.at(-1);
    if (last && state.selectedId === null) state.selectedId = last.id;
    refresh();
  },
  accepted(m) {
    const entry = entryFor(m.id);
    const mine = m.ref ? state.pendingRefs.get(m.ref) : null;
    if (mine) {
      Object.assign(entry, mine, { mine: true });
      state.pendingRefs.delete(m.ref);
    }
    state.selectedId = m.id;
    refresh();
  },
  progress(m) {
    const entry = entryFor(m.progress.id);
    entry.stages[m.progress.stage] = m.progress.state;
    if (!entry.result) refresh();
  },
  result(m) {
    const entry = entryFor(m.result.id);
    entry.result = m.result;
    entry.resultAtMs = Date.now();
    entry.mode = m.result.mode;
    if (entry.mine && m.result.status === 'stale_frame') {
      // The frame on screen (frozen after a click) has left the bridge's snapshot store: go live again.
      live.resume();
      showNotice(`${m.result.reason}. Back to the live view: click again.`, 'warn');
    } else if (entry.mine && m.result.status !== 'ok') {
      showNotice(`${m.result.status}: ${m.result.reason}`, 'warn');
    }
    // Follow the newest result unless the operator is confirming something; our own results are shown on the
    // frame they were computed on, others' over the live image (faded when from another frame).
    if (state.confirm) return refresh();
    if (entry.mine) return select(m.result.id);
    state.selectedId = m.result.id;
    refresh();
  },
  dispatch(m) {
    state.dispatched.set(`${m.goal.resultId}#${m.goal.waypointIndex}`, m.goal);
    showDispatchNotice(`Dispatched ${m.goal.mode} goal #${m.goal.waypointIndex + 1} in ${cleanText(m.goal.frameId, 128)} (by ${cleanText(m.goal.by)}, ${clock(m.goal.atMs)}): “${cleanText(m.goal.label)}”.`, 'ok');
    refresh();
  },
  health(m) {
    state.health = m;
    renderHealth(ui.health, m.health, m.console, m.you, state.camera);
    ui.healthAge.textContent = `updated ${clock(Date.now())}`;
    ui.previewStats.textContent = `${m.you.framesSent} frames · ${m.you.framesDropped} dropped`;
    ui.previewStats.dataset.dropped = String(m.you.framesDropped);
  },
  tf(m) {
    ui.sceneFrame.textContent = `· ${m.fixedFrame}`;
    scene.setTf(m);
  },
  camera(m) {
    state.camera = m.camera;
    scene.setCamera(m.camera);
    if (state.health) renderHealth(ui.health, state.health.health, state.health.console, state.health.you, state.camera);
  },
  error(m) {
    if (m.code === 'dispatch_refused') return showDispatchNotice(`Dispatch refused: ${m.message}`, 'error');
    showNotice(`${m.code}: ${m.message}`, 'error');
  },
  pong() {},
};

function onFrame(frame) {
  state.latestFrame = { seq: frame.seq, stampNs: frame.stampNs, receivedAtMs: Date.now() };
  ui.frameInfo.textContent = `#${frame.seq} · ${frame.width}×${frame.height}`;
  live.addFrame(frame).then(updateViewMode);
}

function onState(connState, event) {
  ui.conn.dataset.state = connState;
  ui.conn.textContent = { connecting: 'connecting…', open: 'connected', reconnecting: 'reconnecting…', closed: 'disconnected' }[connState];
  if (connState === 'closed' && event?.reason) showNotice(`Disconnected: ${event.reason}`, 'error');
}

async function main() {
  const token = takeToken();
  if (!token) return askForToken();
  try {
    if (!(await tokenWorks(token))) return askForToken('That token was not accepted.');
  } catch {
    // The server is unreachable; the connection below retries.
  }
  connection = new Connection(token, {
    // The socket closed before it opened: a server restarted with another token refuses ours.
    tokenRefused: async () => {
      try {
        if (await tokenWorks(token)) return false;
      } catch {
        return false; // unreachable (restarting?): keep retrying
      }
      askForToken('This token is no longer accepted (was the console restarted with a new one?).');
      return true;
    },
    state: onState,
    frame: onFrame,
    message: (m) => handlers[m.type]?.(m),
  });
  connection.open();
}

main();
