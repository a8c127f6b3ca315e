// Wires the image and 3D panels together: asks the server for the depth grid of the frame on screen (at once when
// the view freezes on a frame, at most once a second while live), feeds it to the depth overlay, the hover readout
// and the 3D point cloud, links table rows, image rings and 3D markers, keeps the TF tree, and owns the key D
// (depth overlay; F, fit, is in keys.js).
import * as THREE from 'three';
import { byId, num } from './dom.js';
import { cellAt, decodeDepthGrid } from './depth-grid.js';
import { renderTfTree } from './tf-tree.js';

const LIVE_DEPTH_PERIOD_MS = 1000;

export function setupPanels({ live, scene, send }) {
  const ui = {
    readout: byId('live-readout'),
    depthToggle: byId('depth-toggle'),
    tfTree: byId('tf-tree'),
    displayFrame: byId('scene-display'),
    rows: byId('waypoints-body'),
  };
  const grids = new Map();
  let asked = { seq: null, atMs: -Infinity };
  let fixedFrame = '';
  let tfFrames = [];
  let hovered = null;

  function wantDepth(seq) {
    if (seq === null || grids.has(seq) || asked.seq === seq) return;
    const now = performance.now();
    if (!live.isFrozen && now - asked.atMs < LIVE_DEPTH_PERIOD_MS) return;
    asked = { seq, atMs: now };
    send({ type: 'depth', frameSeq: seq });
  }

  function onDepth(message) {
    const grid = decodeDepthGrid(message);
    if (!grid) return;
    grids.set(grid.frameSeq, grid);
    while (grids.size > 3) grids.delete(grids.keys().next().value);
    show(grid);
  }

  function show(grid) {
    live.setDepth(grid);
    scene.setCloud(grid, colorsOf(grid, live.cache.get(grid.frameSeq)?.bitmap));
    if (hovered) readout(hovered);
  }

  live.onShown = (seq) => {
    const grid = grids.get(seq);
    if (grid && live.depth?.grid !== grid) show(grid);
    wantDepth(seq);
  };

  // Hover readout: the pixel, and the depth and 3D point of the nearest grid cell (which pixel that is, is said).
  function readout(pixel) {
    hovered = pixel;
    ui.readout.hidden = pixel === null;
    if (!pixel) return;
    const at = `(${Math.round(pixel.u)}, ${Math.round(pixel.v)})`;
    // The shown frame's grid; while live, the newest one (and it says which frame it is from).
    const grid = grids.get(pixel.seq) ?? [...grids.values()].at(-1);
    if (!grid) return (ui.readout.textContent = `${at} · depth not loaded yet`);
    const of = grid.frameSeq === pixel.seq ? '' : ` (depth of frame #${grid.frameSeq})`;
    const cell = cellAt(grid, pixel.u, pixel.v);
    if (!cell?.point) return (ui.readout.textContent = `${at} · no depth at (${cell?.u}, ${cell?.v})${of}`);
    const sample = cell.u === Math.round(pixel.u) && cell.v === Math.round(pixel.v) ? '' : ` at (${cell.u}, ${cell.v})`;
    let where = '';
    if (grid.cameraPose) {
      const { position: p, orientation: q } = grid.cameraPose;
      const world = new THREE.Vector3(cell.point.x, cell.point.y, cell.point.z)
        .applyQuaternion(new THREE.Quaternion(q.x, q.y, q.z, q.w))
        .add(new THREE.Vector3(p.x, p.y, p.z));
      where = ` · ${fixedFrame} (${num(world.x)}, ${num(world.y)}, ${num(world.z)})`;
    }
    ui.readout.textContent = `${at} · depth ${num(cell.point.z)} m${sample}${where}${of}`;
  }
  live.onHover = readout;

  function toggleDepth() {
    const on = live.toggleDepth();
    ui.depthToggle.setAttribute('aria-pressed', String(on));
  }
  ui.depthToggle.addEventListener('click', toggleDepth);
  byId('image-fit').addEventListener('click', () => {
    live.fit();
    scene.fit();
  });
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    if (event.target.closest?.('input, select, textarea, [role="alertdialog"]')) return;
    if (event.key.toLowerCase() !== 'd') return;
    event.preventDefault();
    toggleDepth();
  });

  // Table rows <-> image rings <-> 3D markers.
  const rowIndex = (event) => {
    const row = event.target.closest?.('tr.waypoint-row');
    return row ? Number(row.dataset.index) : null;
  };
  const highlight = (index) => {
    live.setHighlight(index);
    scene.setHighlight(index);
    for (const row of ui.rows.querySelectorAll('tr.waypoint-row')) row.classList.toggle('linked', Number(row.dataset.index) === index);
  };
  ui.rows.addEventListener('pointerover', (event) => highlight(rowIndex(event)));
  ui.rows.addEventListener('focusin', (event) => highlight(rowIndex(event)));
  ui.rows.addEventListener('pointerleave', () => highlight(null));
  scene.onPick = (index) => {
    highlight(index);
    ui.rows.querySelector(`tr.waypoint-row[data-index="${index}"]`)?.scrollIntoView({ block: 'nearest' });
  };

  // TF tree and the display frame.
  const chooseFrame = (frameId) => {
    scene.setDisplayFrame(frameId);
    renderTfTree(ui.tfTree, ui.displayFrame, fixedFrame, tfFrames, frameId, chooseFrame);
  };
  ui.displayFrame.addEventListener('change', () => chooseFrame(ui.displayFrame.value));
  function onTf(message) {
    fixedFrame = message.fixedFrame;
    tfFrames = message.frames;
    if (!tfFrames.some((f) => f.frameId === fixedFrame)) tfFrames = [{ frameId: fixedFrame, parent: null, isStatic: true }, ...tfFrames];
    renderTfTree(ui.tfTree, ui.displayFrame, fixedFrame, tfFrames, scene.displayFrame ?? fixedFrame, chooseFrame);
  }

  return { onDepth, onTf };
}

/** Each cell's colour from the preview image (downscaled: the nearest preview pixel), r, g, b per cell. */
function colorsOf(grid, bitmap) {
  if (!bitmap) return null;
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  ctx.drawImage(bitmap, 0, 0);
  const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
  const sx = bitmap.width / grid.width;
  const sy = bitmap.height / grid.height;
  const colors = new Uint8Array(grid.cols * grid.rows * 3);
  for (let r = 0; r < grid.rows; r++) {
    const y = Math.min(bitmap.height - 1, Math.max(0, Math.round((r * grid.step + grid.offset + 0.5) * sy - 0.5)));
    for (let c = 0; c < grid.cols; c++) {
      const x = Math.min(bitmap.width - 1, Math.max(0, Math.round((c * grid.step + grid.offset + 0.5) * sx - 0.5)));
      const i = (y * bitmap.width + x) * 4;
      colors.set([data[i], data[i + 1], data[i + 2]], (r * grid.cols + c) * 3);
    }
  }
  return colors;
}
