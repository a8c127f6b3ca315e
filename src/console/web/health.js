// The health panel: input rates and ages, TF, model endpoints, latency percentiles, requests, dropped frames,
// and the calibration in use.
import { el, ms, num } from './dom.js';
import { framesInWords } from './words.js';

const INPUTS = ['color', 'depth', 'camera_info', 'tf', 'synced'];
const STALE_MS = 2000;

export function renderHealth(container, health, consoleStats, you, camera) {
  const inputs = el(
    'table',
    { class: 'table compact' },
    el('thead', {}, el('tr', {}, el('th', {}, 'input'), el('th', { class: 'num' }, 'count'), el('th', { class: 'num' }, 'Hz'), el('th', { class: 'num' }, 'age'))),
    el(
      'tbody',
      {},
      INPUTS.map((name) => {
        const i = health.inputs[name];
        if (!i) return null;
        const state = i.ageMs === null ? 'bad' : i.ageMs > STALE_MS ? 'warn' : 'good';
        return el(
          'tr',
          {},
          el('td', {}, el('i', { class: `dot ${state}` }), name),
          el('td', { class: 'num' }, String(i.count)),
          el('td', { class: 'num' }, num(i.rateHz, 1)),
          el('td', { class: 'num' }, i.ageMs === null ? 'never' : ms(i.ageMs)),
        );
      }),
    ),
  );

  const tf = health.tf;
  const tfBlock = section(
    'TF',
    kv('target frame', el('span', {}, el('i', { class: `dot ${tf.targetFrameConnected ? 'good' : 'bad'}` }), tf.targetFrame, tf.targetFrameConnected ? ' (connected)' : ' (not connected)')),
    kv('latest transform', tf.latestAgeMs === null ? 'none' : `${ms(tf.latestAgeMs)} ago`),
    kv('frames', tf.frames.length ? tf.frames.join(', ') : 'none'),
  );

  const model = health.model;
  const modelBlock = section(
    'Model',
    model
      ? [
          kv('backend', model.backend),
          ...model.endpoints.map((e) =>
            kv(el('span', {}, el('i', { class: `dot ${e.healthy ? 'good' : 'bad'}` }), e.url), e.healthy ? (e.lastLatencyMs !== null ? ms(e.lastLatencyMs) : 'ok') : e.lastError ?? 'unhealthy'),
          ),
        ]
      : kv('backend', 'none: text queries need a model (clicks work)'),
  );

  const lat = health.latencyMs;
  const byStatus = Object.entries(health.requests.byStatus)
    .map(([status, count]) => `${status} ${count}`)
    .join(', ');
  const requests = section(
    'Requests',
    kv('latency p50 / p90 / p99', `${ms(lat.p50)} / ${ms(lat.p90)} / ${ms(lat.p99)} (${lat.count})`),
    kv('in flight / total', `${health.requests.inFlight} / ${health.requests.total}`),
    kv('by status', byStatus || '–'),
  );

  const drops = section(
    'Frames',
    kv('sync drops', String(health.dropped.sync)),
    kv('preview', `${consoleStats.framesEncoded} encoded, ${consoleStats.framesSkipped} skipped (rate ${consoleStats.previewFps} fps), encode ${ms(consoleStats.encodeMsP50)}`),
    you ? kv('this page', framesInWords(you.framesSent, you.framesDropped)) : null,
    kv('clients', String(consoleStats.clients)),
  );

  const cam = camera
    ? section(
        'Camera',
        kv('frame', camera.frameId),
        kv('size', `${camera.width}×${camera.height} (${camera.colorEncoding}); depth ${camera.depthWidth}×${camera.depthHeight} ${camera.depthEncoding}`),
        kv('fx fy cx cy', `${num(camera.k[0], 1)} ${num(camera.k[4], 1)} ${num(camera.k[2], 1)} ${num(camera.k[5], 1)}`),
        kv('distortion', `${camera.distortionModel || 'none'}${camera.d.length ? ` [${camera.d.map((v) => num(v, 3)).join(', ')}]` : ''}`),
      )
    : null;

  container.replaceChildren(section('Inputs', inputs), tfBlock, modelBlock, requests, drops, cam);
}

function section(title, ...children) {
  return el('div', { class: 'health-section' }, el('h3', {}, title), ...children.flat());
}

function kv(key, value) {
  return el('div', { class: 'kv' }, el('span', { class: 'k' }, key), el('span', { class: 'v' }, value));
}
