// The console page: holds the state (requests, results, dispatched goals, selection), routes server messages to
// the views, and turns operator actions into protocol messages. Protocol: docs/console.md.
import { Connection } from './connection.js';
import { byId, cleanText, clock, el } from './dom.js';
import { Freshness, LIVE_MAX_AGE_MS, seconds, viewState } from './freshness.js';
import { renderHealth } from './health.js';
import { renderHistory } from './history.js';
import { installKeys } from './keys.js';
import { LiveView } from './live-view.js';
import { Scene3D } from './scene3d.js';
import { setupPanels } from './panels.js';
import { goalAge, renderConfirm, renderWaypoints } from './waypoints.js';
import { failureInWords, queryHint } from './words.js';

const HISTORY_MAX = 100;
const TICK_MS = 250;
const PING_MS = 2000;

const state = {
  role: null,
  config: null,
  /** id -> { id, query, title, mode, atMs, stages: {stage: 'start'|'done'}, result } (insertion order = age). */
  entries: new Map(),
  /** `${resultId}#${index}` -> DispatchedGoal */
  dispatched: new Map(),
  /** resultId -> the latest GoalExecution of its dispatched goal (from 'goal_execution'). */
  executions: new Map(),
  selectedId: null,
  /** Our own requests by ref, to label them before the first progress event. */
  pendingRefs: new Map(),
  camera: null,
  confirm: null,
  /** The newest preview frame: { seq, stampNs, receivedAtMs } (for the age of a goal being confirmed). */
  latestFrame: null,
  health: null,
  nextRef: 1,
  /** The server run this page's state belongs to (hello's bootId): another one clears history and dispatch marks. */
  bootId: null,
  connected: false,
  /** Request ids whose "model text" is open. */
  openRaw: new Set(),
  /** The frame the view is frozen on and until when the bridge keeps it (page clock). */
  hold: null,
  /** When the last health report came (page clock). */
  healthAtMs: null,
};
const freshness = new Freshness();

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
  queryAbove: byId('query-above'),
  querySend: byId('query-send'),
  querySendText: byId('query-send-text'),
  queryHint: byId('query-hint'),
  notice: byId('notice'),
  liveWrap: byId('live-wrap'),
  liveStatus: byId('live-status'),
  liveBusy: byId('live-busy'),
  liveBusyText: byId('live-busy-text'),
  liveNotice: byId('live-notice'),
  frameAge: byId('frame-age'),
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
  state.pendingRefs.set(ref, { title: `click (${pixel[0].toFixed(1)}, ${pixel[1].toFixed(1)}) on #${frameSeq}`, mode, sentAtMs: Date.now(), kind: 'click' });
  const targetFrame = ui.queryFrame.value.trim();
  // The bridge keeps a clicked frame (frameHoldMs) so the next click on the frozen view lifts on it too.
  state.hold = { seq: frameSeq, untilMs: Date.now() + (state.config?.frameHoldMs ?? 0) };
  ui.liveNotice.hidden = true;
  send({ type: 'click', ref, pixel, frameSeq, mode, ...(targetFrame ? { targetFrame } : {}), ...offsetAbove(mode) });
  updateViewMode();
});
const scene = new Scene3D(byId('scene3d'));
byId('scene-fit').addEventListener('click', () => scene.fit());
const panels = setupPanels({ live, scene, send });
function goLive() {
  live.resume();
  state.hold = null;
  updateViewMode();
}
ui.resume.addEventListener('click', goLive);

/** The chip says what the view really is: live, frozen on a frame, behind, or disconnected. */
function updateViewMode() {
  const frozen = live.isFrozen;
  const view = viewState({ connected: state.connected, frameAgeMs: freshness.frameAgeMs(Date.now()), frozenSeq: frozen ? live.frozenSeq : null });
  ui.viewMode.textContent = view.text;
  ui.viewMode.dataset.mode = view.kind;
  ui.resume.hidden = !frozen;
}

let connection = null;
function send(message) {
  if (!connection || !connection.send(message)) showNotice('Not connected: nothing was sent.', 'error');
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

/** Shows a failure where the operator acted: over the image for clicks, under the query box for queries. */
function showActionNotice(entry, text) {
  if (entry.kind === 'click') {
    ui.liveNotice.textContent = text;
    ui.liveNotice.dataset.kind = 'warn';
    ui.liveNotice.hidden = false;
    clearTimeout(liveNoticeTimer);
    liveNoticeTimer = setTimeout(() => (ui.liveNotice.hidden = true), 8000);
  } else {
    showNotice(text, 'warn');
  }
}
let liveNoticeTimer = null;

/** `atMs`: when the request was submitted (the server's record), else when this page sent it; null = unknown. */
function entryFor(id, atMs = null) {
  let entry = state.entries.get(id);
  if (!entry) {
    entry = { id, stages: {}, result: null, atMs };
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
  // Show the result on the frame it was computed on, when that frame is still in the page's cache, and ask the
  // bridge to keep that frame so a click on the frozen view lifts on it.
  if (result && result.frameSeq !== null && live.cache.has(result.frameSeq)) {
    live.freeze(result.frameSeq);
    if (state.role === 'operator' && state.hold?.seq !== result.frameSeq) {
      state.hold = { seq: result.frameSeq, untilMs: Date.now() + (state.config?.frameHoldMs ?? 0) };
      send({ type: 'hold', frameSeq: result.frameSeq });
    }
  }
  refresh();
}

/** This page's requests still running, oldest first. */
function myPending() {
  return [...state.entries.values()].filter((e) => e.mine && !e.result);
}

function refresh() {
  const result = selectedResult();
  const operator = state.role === 'operator';
  const canAct = operator && state.connected;
  renderHistory(ui.history, [...state.entries.values()].reverse(), state.selectedId, {
    select,
    cancel: (id) => send({ type: 'cancel', id }),
    canCancel: canAct,
    openRaw: state.openRaw,
    toggleRaw: (id, open) => (open ? state.openRaw.add(id) : state.openRaw.delete(id)),
    executions: state.executions,
  });
  ui.historyCount.textContent = state.entries.size ? `${state.entries.size}` : '';
  const pending = myPending().at(-1);
  renderWaypoints(ui.waypointsBody, ui.waypointsOf, result, state.dispatched, {
    canDispatch: canAct && !state.confirm,
    askDispatch,
    executions: state.executions,
    canCancelGoal: canAct,
    // The server cancels the executing goal of a result id that is no longer a request in flight.
    cancelGoal: (resultId) => send({ type: 'cancel', id: resultId }),
    pending: pending ? { title: pendingTitle(pending), elapsedMs: Date.now() - (pending.sentAtMs ?? Date.now()) } : null,
  });
  updateControls();
  live.setOverlay(
    result ? { frameSeq: result.frameSeq, pixels: result.pixels, pixelStatus: result.pixelStatus, waypoints: result.waypoints } : null,
  );
  scene.setResult(result, new Set(state.dispatched.keys()));
  updateViewMode();
}

function pendingTitle(entry) {
  return entry.query ? `“${entry.query}”` : entry.title ?? entry.id;
}

/** Enables what the operator can do now (operator role, connected, a model for queries) and shows progress:
 * while a request of this page runs, the Point button and the image show a spinner, its time and Cancel. */
function updateControls() {
  const operator = state.role === 'operator';
  const canAct = operator && state.connected;
  const canQuery = canAct && Boolean(state.config?.queryBackend);
  for (const input of [ui.queryText, ui.queryMax]) input.disabled = !canQuery;
  // Mode and target frame apply to clicks too.
  ui.queryMode.disabled = !canAct;
  ui.queryFrame.disabled = !canAct;
  // Navigate goals lie on the floor: no offset above.
  ui.queryAbove.disabled = !canAct || ui.queryMode.value === 'navigate';
  live.canClick = canAct;
  byId('live-canvas').classList.toggle('clickable', canAct);
  const pending = myPending();
  const busy = pending.length > 0;
  const newest = pending.at(-1);
  const elapsed = newest ? seconds(Date.now() - (newest.sentAtMs ?? Date.now())) : '';
  ui.querySend.disabled = !canAct || (!busy && !canQuery);
  ui.querySend.classList.toggle('busy', busy);
  ui.querySend.dataset.busy = String(busy);
  ui.querySendText.textContent = busy ? `Cancel · ${elapsed}` : 'Point';
  ui.liveBusy.hidden = !busy;
  if (busy) ui.liveBusyText.textContent = `${newest.kind === 'click' ? 'Lifting the click' : `Asking the model: ${cleanText(newest.query ?? '')}`} · ${elapsed}`;
}
byId('live-busy-cancel').addEventListener('click', cancelNewest);
ui.querySend.addEventListener('click', (event) => {
  if (ui.querySend.dataset.busy !== 'true') return;
  event.preventDefault();
  cancelNewest();
});
function cancelNewest() {
  const newest = myPending().at(-1);
  if (newest) send({ type: 'cancel', id: newest.id });
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
  // The dialog takes focus: Enter confirms, Esc cancels (keys.js).
  ui.confirmBar.focus();
}
function closeConfirm() {
  state.confirm = null;
  clearInterval(confirmTimer);
  confirmTimer = null;
  ui.confirmBar.hidden = true;
  refresh();
  ui.waypointsBody.querySelector('[data-action="dispatch"]:not(:disabled)')?.focus();
}
function acceptConfirm() {
  if (state.confirm && state.connected) send({ type: 'confirm', ...state.confirm });
  else if (state.confirm) showDispatchNotice('Not connected: nothing was dispatched.', 'error');
  closeConfirm();
}
byId('confirm-yes').addEventListener('click', acceptConfirm);
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
  state.pendingRefs.set(ref, { query, mode, sentAtMs: Date.now(), kind: 'query' });
  send({
    type: 'query',
    ref,
    query,
    mode,
    ...(targetFrame ? { targetFrame } : {}),
    ...(Number.isInteger(maxPoints) && maxPoints > 0 ? { maxPoints } : {}),
    ...offsetAbove(mode),
  });
});
ui.queryMode.addEventListener('change', updateControls);

/** The "above m" box as the request's offsetAboveM (point and pick); the server checks its range and says why. */
function offsetAbove(mode) {
  const text = ui.queryAbove.value.trim();
  const value = Number(text);
  return mode === 'navigate' || text === '' || value === 0 || !Number.isFinite(value) ? {} : { offsetAboveM: value };
}

// --- server messages --------------------------------------------------------------------------------------------
const handlers = {
  hello(m) {
    if (state.bootId !== null && state.bootId !== m.config.bootId) {
      // Another server run: its results and dispatches are not the ones this page knew (ids start over).
      resetState();
      showNotice('The server was restarted: the request history and dispatch marks of the previous run are cleared.', 'info');
    }
    state.bootId = m.config.bootId;
    state.role = m.role;
    state.config = m.config;
    ui.role.hidden = false;
    ui.role.textContent = m.role;
    ui.role.dataset.role = m.role;
    ui.queryFrame.placeholder = m.config.targetFrame;
    const operator = m.role === 'operator';
    const hint = operator ? queryHint(m.config.queryBackend) : null;
    ui.queryHint.hidden = hint === null;
    ui.queryHint.textContent = hint ?? '';
    ui.queryText.placeholder = m.config.queryBackend ? `Point at… e.g. the red mug (answered by ${m.config.queryBackend})` : 'No model: click the image to point';
    updateControls();
    ui.liveFoot.textContent = operator
      ? `Click the image to point (mode from the query box). Points are drawn at pixel centres.`
      : 'Viewer: watching only. Use the operator token to point and dispatch.';
  },
  history(m) {
    for (const result of m.results) {
      const entry = entryFor(result.id, m.requestedAtMs?.[result.id] ?? null);
      if (typeof m.requestedAtMs?.[result.id] === 'number') entry.atMs = m.requestedAtMs[result.id];
      entry.result = result;
      entry.mode = result.mode;
    }
    for (const goal of m.dispatched) state.dispatched.set(`${goal.resultId}#${goal.waypointIndex}`, goal);
    const last = m.results.at(-1);
    if (last && state.selectedId === null) state.selectedId = last.id;
    refresh();
  },
  accepted(m) {
    const entry = entryFor(m.id, Date.now());
    const mine = m.ref ? state.pendingRefs.get(m.ref) : null;
    if (mine) {
      Object.assign(entry, mine, { mine: true });
      state.pendingRefs.delete(m.ref);
    }
    // What was selected before: a failure of this request goes back to it.
    entry.selectedBefore = state.selectedId;
    state.selectedId = m.id;
    refresh();
  },
  progress(m) {
    const entry = entryFor(m.progress.id);
    entry.stages[m.progress.stage] = m.progress.state;
    if (!entry.result) refresh();
  },
  result(m) {
    const entry = entryFor(m.result.id, m.requestedAtMs ?? null);
    if (typeof m.requestedAtMs === 'number') entry.atMs = m.requestedAtMs;
    entry.result = m.result;
    entry.resultAtMs = Date.now();
    entry.mode = m.result.mode;
    const ok = m.result.status === 'ok';
    if (entry.mine && !ok) {
      // Said where the operator acted, in words; the frame is gone: the view goes live again.
      if (m.result.status === 'stale_frame') goLive();
      showActionNotice(entry, failureInWords(m.result));
    }
    // Follow the newest result unless the operator is confirming something, and never let a failure replace
    // a good result on screen (it stays in the history); our own results are shown on the frame they were
    // computed on, others' over the live image (faded when from another frame).
    if (state.confirm) return refresh();
    if (!ok && state.selectedId === m.result.id && state.entries.get(entry.selectedBefore)?.result?.status === 'ok') {
      state.selectedId = entry.selectedBefore;
      return select(state.selectedId);
    }
    if (!ok && selectedResult()?.status === 'ok') return refresh();
    if (entry.mine) return select(m.result.id);
    state.selectedId = m.result.id;
    refresh();
  },
  dispatch(m) {
    state.dispatched.set(`${m.goal.resultId}#${m.goal.waypointIndex}`, m.goal);
    const sink = state.config?.dispatchSink;
    const where = sink ? `Sent to ${cleanText(sink, 128)}.` : 'No robot received it: this console runs without ROS (ROS is off), so nothing subscribes to goals.';
    showDispatchNotice(
      `Dispatched ${m.goal.mode} goal #${m.goal.waypointIndex + 1} in ${cleanText(m.goal.frameId, 128)} (by ${cleanText(m.goal.by)}, ${clock(m.goal.atMs)}): “${cleanText(m.goal.label)}”. ${where}`,
      sink ? 'ok' : 'warn',
    );
    refresh();
  },
  goal_execution(m) {
    state.executions.set(m.execution.resultId, m.execution);
    refresh();
  },
  held(m) {
    if (m.held || live.frozenSeq !== m.frameSeq) return;
    // The frame of the selected result is gone from the bridge: a click on it would fail, so show live.
    goLive();
    ui.liveNotice.textContent = `Frame #${m.frameSeq} is no longer kept by the bridge: showing the live image (the result is drawn faded).`;
    ui.liveNotice.dataset.kind = 'warn';
    ui.liveNotice.hidden = false;
  },
  health(m) {
    state.health = m;
    state.healthAtMs = Date.now();
    renderHealth(ui.health, m.health, m.console, m.you, state.camera);
    ui.health.dataset.stale = 'false';
    ui.healthAge.textContent = `updated ${clock(Date.now())}`;
    ui.previewStats.textContent = `${m.you.framesSent} frames${m.you.framesDropped ? ` · ${m.you.framesDropped} skipped (slow link)` : ''}`;
    ui.previewStats.dataset.dropped = String(m.you.framesDropped);
  },
  tf(m) {
    ui.sceneFrame.textContent = `· ${m.fixedFrame}`;
    scene.setTf(m);
    panels.onTf(m);
  },
  depth(m) {
    panels.onDepth(m);
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
  pong(m) {
    freshness.onPong(m.t, m.serverMs, Date.now());
  },
};

function resetState() {
  state.entries.clear();
  state.dispatched.clear();
  state.executions.clear();
  state.pendingRefs.clear();
  state.openRaw.clear();
  state.selectedId = null;
  if (state.confirm) closeConfirm();
  goLive();
}

function onFrame(frame) {
  state.latestFrame = { seq: frame.seq, stampNs: frame.stampNs, receivedAtMs: Date.now() };
  freshness.onFrame(frame.seq, frame.receivedAtMs, Date.now());
  ui.frameInfo.textContent = `#${frame.seq} · ${frame.width}×${frame.height}`;
  live.addFrame(frame).then(updateViewMode);
}

function onState(connState, event) {
  ui.conn.dataset.state = connState;
  ui.conn.textContent = { connecting: 'connecting…', open: 'connected', reconnecting: 'reconnecting…', closed: 'disconnected' }[connState];
  state.connected = connState === 'open';
  ui.liveWrap.dataset.conn = state.connected ? 'open' : 'offline';
  if (!state.connected) {
    // What is on screen is history now: health goes stale, nothing can be sent.
    ui.health.dataset.stale = 'true';
    if (state.healthAtMs !== null) ui.healthAge.textContent = `stale: last report ${clock(state.healthAtMs)}`;
    if (state.confirm) closeConfirm();
  } else {
    sendPing();
  }
  if (connState === 'closed' && event?.reason) showNotice(`Disconnected: ${event.reason}`, 'error');
  refresh();
  tick();
}

function sendPing() {
  connection?.send({ type: 'ping', t: Date.now() });
}

/** Counts on what changes with time alone: frame age, the disconnected note, a running request, a frame hold. */
function tick() {
  const now = Date.now();
  const age = freshness.frameAgeMs(now);
  const link = freshness.link;
  ui.frameAge.hidden = age === null;
  if (age !== null) {
    ui.frameAge.textContent = `frame ${seconds(age)} old${link ? ` · link ${Math.round(link.rttMs)} ms` : ''}`;
    ui.frameAge.dataset.stale = String(age > LIVE_MAX_AGE_MS);
  }
  ui.liveStatus.hidden = state.connected;
  if (!state.connected) {
    ui.liveStatus.textContent = `Disconnected${age !== null ? `, last frame ${seconds(age)} old` : ''}. Reconnecting…`;
  }
  if (state.hold && live.isFrozen && live.frozenSeq === state.hold.seq && now > state.hold.untilMs) {
    const seq = state.hold.seq;
    goLive();
    ui.liveNotice.textContent = `Frame #${seq} was kept ${seconds(state.config?.frameHoldMs ?? 0)} and is released: back to the live image.`;
    ui.liveNotice.dataset.kind = 'warn';
    ui.liveNotice.hidden = false;
  }
  if (myPending().length > 0) {
    updateControls();
    if (!selectedResult()) refresh();
  }
  updateViewMode();
}
setInterval(tick, TICK_MS);
setInterval(() => state.connected && sendPing(), PING_MS);

installKeys({
  modes: () => state.config?.modes ?? ['point', 'pick', 'navigate'],
  setMode: (mode) => {
    if (ui.queryMode.disabled) return;
    ui.queryMode.value = mode;
    ui.queryMode.dispatchEvent(new Event('change'));
  },
  live: goLive,
  fit: () => {
    scene.fit();
    live.fit?.();
  },
  confirmOpen: () => state.confirm !== null,
  confirm: acceptConfirm,
  cancelConfirm: closeConfirm,
});

// Panels that collapse to their heading (the state is per page load).
for (const card of document.querySelectorAll('.history-card, .scene-card, .health-card')) {
  const head = card.querySelector('.card-head');
  const button = el('button', { type: 'button', class: 'ghost collapse', 'aria-expanded': 'true', title: 'collapse / expand' }, '▾');
  button.addEventListener('click', () => {
    const collapsed = card.classList.toggle('collapsed');
    button.setAttribute('aria-expanded', String(!collapsed));
    button.textContent = collapsed ? '▸' : '▾';
  });
  head.append(button);
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
