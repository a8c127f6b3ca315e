// The live image with the selected result drawn over it, click-to-point, zoom and pan (image-view.js), an optional
// depth overlay and the hover readout's pixel.
//
// Pixel convention: waypoint pixels use ROS/OpenCV coordinates, where integer (u, v) is the CENTRE of a pixel
// and the image spans [-0.5, width - 0.5). A canvas puts (0, 0) at the top-left CORNER of the first pixel. So a
// point at (u, v) is drawn at ((u + 0.5) * s, (v + 0.5) * s) with s = canvas pixels per image pixel (plus the
// pan offset when zoomed), and a click at canvas position (x, y) is the image pixel (x / s - 0.5, y / s - 0.5).
// Points are always in the ORIGINAL image's grid (header width/height), not the downscaled preview's.
import { cleanText } from './dom.js';
import { ImageView } from './image-view.js';
import { depthColor, depthImage } from './depth-grid.js';

const CACHE_FRAMES = 40;
const COLORS = { good: '#3ee08f', warn: '#ffc14d', bad: '#ff5c6c', kept: '#c3ccd6', click: '#ffffff' };

export class LiveView {
  constructor(canvas, emptyNote, onClick) {
    this.canvas = canvas;
    this.emptyNote = emptyNote;
    this.onClick = onClick;
    /** Called with the hovered image pixel {u, v} (or null when the pointer leaves). */
    this.onHover = () => {};
    /** Called with the seq of the frame drawn, after each draw (the panels fetch its depth grid). */
    this.onShown = () => {};
    this.ctx = canvas.getContext('2d');
    /** seq -> { header, bitmap } for the last frames, so a result can be shown on the frame it was computed on. */
    this.cache = new Map();
    this.latest = null;
    this.frozenSeq = null;
    this.overlay = null;
    this.pendingClick = null;
    this.canClick = false;
    /** The waypoint index to emphasise (the table row or 3D marker under the pointer), or null. */
    this.highlight = null;
    /** Depth overlay: on/off, and the decoded grid of the frame shown (depth-grid.js) with its drawn image. */
    this.depthOn = false;
    this.depth = null;
    this.view = new ImageView(canvas, () => this.draw());
    canvas.addEventListener('click', (event) => this.handleClick(event));
    canvas.addEventListener('pointermove', (event) => this.hover(event));
    canvas.addEventListener('pointerleave', () => this.onHover(null));
    new ResizeObserver(() => this.draw()).observe(canvas.parentElement);
  }

  /** The frame on screen: the frozen one if still cached, else the latest. */
  get shown() {
    if (this.frozenSeq !== null && this.cache.has(this.frozenSeq)) return this.cache.get(this.frozenSeq);
    return this.latest;
  }

  get isFrozen() {
    return this.frozenSeq !== null && this.cache.has(this.frozenSeq);
  }

  async addFrame(frame) {
    let bitmap;
    try {
      bitmap = await createImageBitmap(frame.jpeg);
    } catch {
      return;
    }
    const entry = { header: frame, bitmap };
    this.cache.set(frame.seq, entry);
    for (const [seq, old] of this.cache) {
      if (this.cache.size <= CACHE_FRAMES) break;
      if (seq === this.frozenSeq) continue;
      old.bitmap.close();
      this.cache.delete(seq);
    }
    this.latest = entry;
    if (!this.isFrozen) this.draw();
  }

  freeze(seq) {
    this.frozenSeq = seq;
    this.draw();
  }

  resume() {
    this.frozenSeq = null;
    this.pendingClick = null;
    this.draw();
  }

  /** overlay: { frameSeq, pixels: [{u, v, label}], pixelStatus: [...], waypoints: [...] } or null. */
  setOverlay(overlay) {
    this.overlay = overlay;
    this.draw();
  }

  setHighlight(index) {
    if (index === this.highlight) return;
    this.highlight = index;
    this.draw();
  }

  /** The decoded depth grid of some frame (drawn only over that frame), or null. */
  setDepth(grid) {
    this.depth = grid ? { grid, image: depthImage(grid) } : null;
    if (this.depthOn) this.draw();
  }

  toggleDepth(on = !this.depthOn) {
    this.depthOn = on;
    this.canvas.dataset.depthOverlay = on ? 'on' : 'off';
    this.draw();
    return on;
  }

  fit() {
    this.view.fit();
  }

  handleClick(event) {
    const shown = this.shown;
    // A press that zoomed or panned the view is not a point request.
    if (!this.canClick || !shown || this.view.dragged) return;
    const rect = this.canvas.getBoundingClientRect();
    const { u, v } = this.view.pixelAt(event.clientX - rect.left, event.clientY - rect.top);
    const { width, height } = shown.header;
    if (u < -0.5 || v < -0.5 || u >= width - 0.5 || v >= height - 0.5) return;
    const pixel = [Math.round(u * 10) / 10, Math.round(v * 10) / 10];
    this.frozenSeq = shown.header.seq;
    this.pendingClick = { seq: shown.header.seq, u: pixel[0], v: pixel[1] };
    this.draw();
    this.onClick(pixel, shown.header.seq);
  }

  hover(event) {
    const shown = this.shown;
    if (!shown) return;
    const rect = this.canvas.getBoundingClientRect();
    const { u, v } = this.view.pixelAt(event.clientX - rect.left, event.clientY - rect.top);
    const { width, height } = shown.header;
    this.onHover(u < -0.5 || v < -0.5 || u >= width - 0.5 || v >= height - 0.5 ? null : { u, v, seq: shown.header.seq });
  }

  draw() {
    const shown = this.shown;
    this.emptyNote.hidden = shown !== null;
    if (!shown) return;
    const { header, bitmap } = shown;
    const dpr = window.devicePixelRatio || 1;
    const cssWidth = this.canvas.parentElement.clientWidth;
    const cssHeight = (cssWidth * header.height) / header.width;
    this.canvas.style.height = `${cssHeight}px`;
    const w = Math.round(cssWidth * dpr);
    const h = Math.round(cssHeight * dpr);
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
    this.canvas.dataset.frameSeq = String(header.seq);
    this.view.layout(w, h, header.width, header.height);
    const { scale: s, tx, ty } = this.view.transform;
    const ctx = this.ctx;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#05080b';
    ctx.fillRect(0, 0, w, h);
    ctx.imageSmoothingEnabled = this.view.zoom < 3; // zoomed in far, show the pixels as pixels
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, tx, ty, header.width * s, header.height * s);
    const depth = this.depth;
    this.canvas.dataset.depthSeq = depth ? String(depth.grid.frameSeq) : '';
    // While live the grid is of a recent frame (fetched once a second), frozen it is of the frame shown.
    if (this.depthOn && depth) {
      const { grid, image } = depth;
      ctx.globalAlpha = 0.6;
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(image, tx, ty, grid.cols * grid.step * s, grid.rows * grid.step * s);
      ctx.globalAlpha = 1;
      if (grid.range) depthLegend(ctx, grid.range, dpr);
    }
    // From here on, draw in canvas pixels: pixel (u, v)'s centre is at t + (u + 0.5, v + 0.5) · s.
    const at = (u, v) => [tx + (u + 0.5) * s, ty + (v + 0.5) * s];
    this.labels = [];
    if (this.overlay) this.drawOverlay(ctx, at, dpr, header.seq);
    if (this.pendingClick && this.pendingClick.seq === header.seq) {
      const [x, y] = at(this.pendingClick.u, this.pendingClick.v);
      crosshair(ctx, x, y, 10 * dpr, COLORS.click);
    }
    // Test hook: where each label went (device pixels), to check it reads on any background.
    this.canvas.dataset.labels = JSON.stringify(this.labels);
    this.onShown(header.seq);
  }

  drawOverlay(ctx, at, dpr, shownSeq) {
    const { pixels, pixelStatus, waypoints, frameSeq } = this.overlay;
    // Points computed on another frame than the one on screen are drawn dashed and say so: the camera may have
    // moved. They stay fully opaque, so they read on any background.
    const elsewhere = frameSeq !== null && frameSeq !== undefined && frameSeq !== shownSeq;
    const note = elsewhere ? ` · frame #${frameSeq}` : '';
    const byPixel = new Map();
    waypoints.forEach((w, index) => byPixel.set(`${w.pixel.u},${w.pixel.v}`, { w, index }));
    for (const { w } of byPixel.values()) if (w.object?.outline?.length > 2) outline(ctx, w.object.outline.map((p) => at(p.u, p.v)), dpr, elsewhere);
    pixels.forEach((p, i) => {
      const [x, y] = at(p.u, p.v);
      const status = pixelStatus[i] ?? 'ok';
      const hit = byPixel.get(`${p.u},${p.v}`);
      if (status === 'ok' && !hit) {
        // Lifted fine but not kept (max points / selection policy).
        ring(ctx, x, y, 6 * dpr, COLORS.kept, 0, elsewhere);
        return;
      }
      if (!hit) {
        cross(ctx, x, y, 7 * dpr, COLORS.bad);
        this.label(ctx, x, y, `${cleanText(p.label) || '?'}: ${status}${note}`, COLORS.bad, dpr);
        return;
      }
      const { w, index } = hit;
      // Ring colour and fill show depth validity: the share of valid depth pixels around the point.
      const color = w.validRatio >= 0.7 ? COLORS.good : w.validRatio >= 0.3 ? COLORS.warn : COLORS.bad;
      const emphasis = index === this.highlight ? 1.5 : 1;
      ring(ctx, x, y, 9 * dpr * emphasis, color, w.validRatio, elsewhere);
      this.label(ctx, x, y, `${w.rank + 1} ${cleanText(w.label)} · ${w.depthM.toFixed(2)} m · ${Math.round(w.validRatio * 100)}%${note}`, color, dpr);
    });
  }

  /** A label on a dark plate with a dark halo around the glyphs: readable on a white wall and on a black one. */
  label(ctx, x, y, text, color, dpr) {
    ctx.font = `600 ${13 * dpr}px system-ui, sans-serif`;
    const padding = 5 * dpr;
    const width = ctx.measureText(text).width + 2 * padding;
    const height = 20 * dpr;
    let lx = x + 16 * dpr;
    if (lx + width > ctx.canvas.width) lx = Math.max(0, x - 16 * dpr - width);
    const ly = Math.min(ctx.canvas.height - height, Math.max(0, y - height / 2));
    ctx.fillStyle = 'rgba(5, 8, 11, 0.86)';
    ctx.beginPath();
    ctx.roundRect(lx, ly, width, height, 4 * dpr);
    ctx.fill();
    ctx.lineWidth = 1 * dpr;
    ctx.strokeStyle = color;
    ctx.stroke();
    ctx.textBaseline = 'middle';
    ctx.lineJoin = 'round';
    ctx.lineWidth = 3 * dpr;
    ctx.strokeStyle = '#05080b';
    ctx.strokeText(text, lx + padding, ly + height / 2);
    ctx.fillStyle = color;
    ctx.fillText(text, lx + padding, ly + height / 2);
    this.labels.push({ text, x: lx, y: ly, w: width, h: height, color });
  }
}

/** The overlay's scale in the top-left corner: near (red) to far (blue), the 2nd..98th depth percentile. */
function depthLegend(ctx, [near, far], dpr) {
  const [x, y, w, h] = [8 * dpr, 8 * dpr, 120 * dpr, 8 * dpr];
  const ramp = ctx.createLinearGradient(x, 0, x + w, 0);
  for (let i = 0; i <= 4; i++) ramp.addColorStop(i / 4, `rgb(${depthColor(i / 4).join(',')})`);
  ctx.fillStyle = 'rgba(5, 8, 11, 0.86)';
  ctx.fillRect(x - 4 * dpr, y - 4 * dpr, w + 8 * dpr, h + 24 * dpr);
  ctx.fillStyle = ramp;
  ctx.fillRect(x, y, w, h);
  ctx.font = `${11 * dpr}px system-ui, sans-serif`;
  ctx.fillStyle = '#e6edf3';
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left';
  ctx.fillText(`${near.toFixed(2)} m`, x, y + h + 3 * dpr);
  ctx.textAlign = 'right';
  ctx.fillText(`${far.toFixed(2)} m`, x + w, y + h + 3 * dpr);
  ctx.textAlign = 'left';
}

function ring(ctx, x, y, r, color, fill, dashed) {
  ctx.beginPath();
  ctx.arc(x, y, r, 0, Math.PI * 2);
  ctx.fillStyle = withAlpha(color, 0.15 + 0.35 * fill);
  ctx.fill();
  ctx.lineWidth = r / 3;
  ctx.strokeStyle = '#05080b';
  ctx.stroke();
  ctx.lineWidth = r / 5;
  ctx.strokeStyle = color;
  if (dashed) ctx.setLineDash([r / 2, r / 3]);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.beginPath();
  ctx.arc(x, y, r / 5, 0, Math.PI * 2);
  ctx.fillStyle = color;
  ctx.fill();
}

/** The object's mask outline (closed polygon of image pixels): dark under-stroke, then the accent. */
function outline(ctx, points, dpr, dashed) {
  ctx.beginPath();
  points.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
  ctx.closePath();
  ctx.fillStyle = 'rgba(76, 194, 255, 0.12)';
  ctx.fill();
  ctx.lineJoin = 'round';
  ctx.lineWidth = 4 * dpr;
  ctx.strokeStyle = 'rgba(5, 8, 11, 0.8)';
  ctx.stroke();
  ctx.lineWidth = 2 * dpr;
  ctx.strokeStyle = '#4cc2ff';
  if (dashed) ctx.setLineDash([6 * dpr, 4 * dpr]);
  ctx.stroke();
  ctx.setLineDash([]);
}

function cross(ctx, x, y, r, color) {
  ctx.lineCap = 'round';
  ctx.beginPath();
  ctx.moveTo(x - r, y - r);
  ctx.lineTo(x + r, y + r);
  ctx.moveTo(x + r, y - r);
  ctx.lineTo(x - r, y + r);
  ctx.lineWidth = r / 2;
  ctx.strokeStyle = '#05080b';
  ctx.stroke();
  ctx.lineWidth = r / 3;
  ctx.strokeStyle = color;
  ctx.stroke();
}

function crosshair(ctx, x, y, r, color) {
  ctx.beginPath();
  ctx.arc(x, y, r, 0, Math.PI * 2);
  ctx.moveTo(x - 2 * r, y);
  ctx.lineTo(x + 2 * r, y);
  ctx.moveTo(x, y - 2 * r);
  ctx.lineTo(x, y + 2 * r);
  ctx.lineWidth = 3;
  ctx.strokeStyle = '#05080b';
  ctx.stroke();
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = color;
  ctx.setLineDash([3, 3]);
  ctx.stroke();
  ctx.setLineDash([]);
}

function withAlpha(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
