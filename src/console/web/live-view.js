// The live image with the selected result's points drawn over it, and click-to-point.
//
// Pixel convention: waypoint pixels use ROS/OpenCV coordinates, where integer (u, v) is the CENTRE of a pixel
// and the image spans [-0.5, width - 0.5). A canvas puts (0, 0) at the top-left CORNER of the first pixel. So a
// point at (u, v) is drawn at ((u + 0.5) * s, (v + 0.5) * s) with s = canvas pixels per image pixel, and a click
// at canvas position (x, y) is the image pixel (x / s - 0.5, y / s - 0.5). Points are always in the ORIGINAL
// image's grid (header width/height), not the downscaled preview's.
import { cleanText } from './dom.js';

const CACHE_FRAMES = 40;

export class LiveView {
  constructor(canvas, emptyNote, onClick) {
    this.canvas = canvas;
    this.emptyNote = emptyNote;
    this.onClick = onClick;
    this.ctx = canvas.getContext('2d');
    /** seq -> { header, bitmap } for the last frames, so a result can be shown on the frame it was computed on. */
    this.cache = new Map();
    this.latest = null;
    this.frozenSeq = null;
    this.overlay = null;
    this.pendingClick = null;
    this.canClick = false;
    canvas.addEventListener('click', (event) => this.handleClick(event));
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

  handleClick(event) {
    const shown = this.shown;
    if (!this.canClick || !shown) return;
    const rect = this.canvas.getBoundingClientRect();
    const scale = rect.width / shown.header.width;
    const u = (event.clientX - rect.left) / scale - 0.5;
    const v = (event.clientY - rect.top) / scale - 0.5;
    const { width, height } = shown.header;
    if (u < -0.5 || v < -0.5 || u >= width - 0.5 || v >= height - 0.5) return;
    const pixel = [Math.round(u * 10) / 10, Math.round(v * 10) / 10];
    this.frozenSeq = shown.header.seq;
    this.pendingClick = { seq: shown.header.seq, u: pixel[0], v: pixel[1] };
    this.draw();
    this.onClick(pixel, shown.header.seq);
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
    const ctx = this.ctx;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, 0, 0, w, h);
    // From here on, draw in canvas pixels with s = canvas pixels per ORIGINAL image pixel.
    const s = w / header.width;
    const at = (u, v) => [(u + 0.5) * s, (v + 0.5) * s];
    if (this.overlay) this.drawOverlay(ctx, at, dpr, header.seq);
    if (this.pendingClick && this.pendingClick.seq === header.seq) {
      const [x, y] = at(this.pendingClick.u, this.pendingClick.v);
      crosshair(ctx, x, y, 10 * dpr, '#ffffff');
    }
  }

  drawOverlay(ctx, at, dpr, shownSeq) {
    const { pixels, pixelStatus, waypoints, frameSeq } = this.overlay;
    // Points computed on another frame than the one on screen are drawn faded: the camera may have moved.
    ctx.globalAlpha = frameSeq === null || frameSeq === shownSeq ? 1 : 0.45;
    const byPixel = new Map();
    for (const w of waypoints) byPixel.set(`${w.pixel.u},${w.pixel.v}`, w);
    pixels.forEach((p, i) => {
      const [x, y] = at(p.u, p.v);
      const status = pixelStatus[i] ?? 'ok';
      const waypoint = byPixel.get(`${p.u},${p.v}`);
      if (status === 'ok' && !waypoint) {
        // Lifted fine but not kept (max points / selection policy).
        ring(ctx, x, y, 6 * dpr, '#8b98a9', 0);
        return;
      }
      if (!waypoint) {
        cross(ctx, x, y, 7 * dpr, '#ff5c6c');
        label(ctx, x, y, `${cleanText(p.label) || '?'}: ${status}`, '#ff5c6c', dpr);
        return;
      }
      // Ring colour and fill show depth validity: the share of valid depth pixels around the point.
      const color = waypoint.validRatio >= 0.7 ? '#3ee08f' : waypoint.validRatio >= 0.3 ? '#ffc14d' : '#ff5c6c';
      ring(ctx, x, y, 9 * dpr, color, waypoint.validRatio);
      label(ctx, x, y, `${waypoint.rank + 1} ${cleanText(waypoint.label)} · ${waypoint.depthM.toFixed(2)} m · ${Math.round(waypoint.validRatio * 100)}%`, color, dpr);
    });
    ctx.globalAlpha = 1;
  }
}

function ring(ctx, x, y, r, color, fill) {
  ctx.beginPath();
  ctx.arc(x, y, r, 0, Math.PI * 2);
  ctx.fillStyle = withAlpha(color, 0.15 + 0.35 * fill);
  ctx.fill();
  ctx.lineWidth = r / 4;
  ctx.strokeStyle = '#0b0f14';
  ctx.stroke();
  ctx.lineWidth = r / 6;
  ctx.strokeStyle = color;
  ctx.stroke();
  ctx.beginPath();
  ctx.arc(x, y, r / 5, 0, Math.PI * 2);
  ctx.fillStyle = color;
  ctx.fill();
}

function cross(ctx, x, y, r, color) {
  ctx.lineWidth = r / 3;
  ctx.strokeStyle = color;
  ctx.beginPath();
  ctx.moveTo(x - r, y - r);
  ctx.lineTo(x + r, y + r);
  ctx.moveTo(x + r, y - r);
  ctx.lineTo(x - r, y + r);
  ctx.stroke();
}

function crosshair(ctx, x, y, r, color) {
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = color;
  ctx.setLineDash([3, 3]);
  ctx.beginPath();
  ctx.arc(x, y, r, 0, Math.PI * 2);
  ctx.moveTo(x - 2 * r, y);
  ctx.lineTo(x + 2 * r, y);
  ctx.moveTo(x, y - 2 * r);
  ctx.lineTo(x, y + 2 * r);
  ctx.stroke();
  ctx.setLineDash([]);
}

function label(ctx, x, y, text, color, dpr) {
  ctx.font = `${12 * dpr}px system-ui, sans-serif`;
  const padding = 4 * dpr;
  const width = ctx.measureText(text).width + 2 * padding;
  const height = 18 * dpr;
  let lx = x + 16 * dpr;
  const ly = y - height / 2;
  if (lx + width > ctx.canvas.width) lx = x - 16 * dpr - width;
  ctx.fillStyle = 'rgba(11, 15, 20, 0.78)';
  ctx.beginPath();
  ctx.roundRect(lx, ly, width, height, 4 * dpr);
  ctx.fill();
  ctx.fillStyle = color;
  ctx.textBaseline = 'middle';
  ctx.fillText(text, lx + padding, y);
}

function withAlpha(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
