// Zoom and pan of the live image, as an image viewer does it: the wheel zooms about the cursor, one finger or the
// mouse drags, two fingers pinch, and the keys + / - zoom, the arrows pan, F (or 0) fits the whole image again.
//
// The view maps image coordinates measured from the image's CORNER (pixel (u, v)'s centre is at (u + 0.5, v + 0.5))
// to canvas pixels: x = tx + X · scale, y = ty + Y · scale, with scale = fitScale · zoom. At zoom 1 the image fills
// the canvas; zoom is at most MAX_ZOOM, and the image always covers the canvas (no panning into the void).
const MAX_ZOOM = 16;
const DRAG_PX = 4;

export class ImageView {
  constructor(canvas, onChange) {
    this.canvas = canvas;
    this.onChange = onChange;
    this.zoom = 1;
    /** Image point (corner coordinates) at the canvas centre. */
    this.center = null;
    this.fitScale = 1;
    this.canvasW = 0;
    this.canvasH = 0;
    this.imageW = 0;
    this.imageH = 0;
    this.pointers = new Map();
    /** Set when the last press moved the view: the click that ends it is not a point request. */
    this.dragged = false;
    canvas.addEventListener('wheel', (event) => this.onWheel(event), { passive: false });
    canvas.addEventListener('pointerdown', (event) => this.onPointerDown(event));
    canvas.addEventListener('pointermove', (event) => this.onPointerMove(event));
    for (const type of ['pointerup', 'pointercancel']) canvas.addEventListener(type, (event) => this.pointers.delete(event.pointerId));
    canvas.addEventListener('keydown', (event) => this.onKey(event));
  }

  /** Called on every draw with the canvas size (device pixels) and the image's original size. */
  layout(canvasW, canvasH, imageW, imageH) {
    if (imageW !== this.imageW || imageH !== this.imageH) this.center = null;
    Object.assign(this, { canvasW, canvasH, imageW, imageH, fitScale: canvasW / imageW });
    this.center ??= { x: imageW / 2, y: imageH / 2 };
    this.clamp();
  }

  get scale() {
    return this.fitScale * this.zoom;
  }

  /** { scale, tx, ty }: canvas = t + image-corner coordinates · scale. */
  get transform() {
    const scale = this.scale;
    return { scale, tx: this.canvasW / 2 - this.center.x * scale, ty: this.canvasH / 2 - this.center.y * scale };
  }

  /** A CSS-pixel position on the canvas (relative to its box) as an image pixel (u, v), pixel-centre convention. */
  pixelAt(cssX, cssY) {
    const rect = this.canvas.getBoundingClientRect();
    const dpr = this.canvasW / rect.width;
    const { scale, tx, ty } = this.transform;
    return { u: (cssX * dpr - tx) / scale - 0.5, v: (cssY * dpr - ty) / scale - 0.5 };
  }

  fit() {
    this.zoom = 1;
    this.center = { x: this.imageW / 2, y: this.imageH / 2 };
    this.changed();
  }

  /** Zooms by `factor` keeping the image point under canvas position (x, y) (device pixels) where it is. */
  zoomAt(factor, x = this.canvasW / 2, y = this.canvasH / 2) {
    if (!this.imageW) return;
    const before = this.transform;
    const X = (x - before.tx) / before.scale;
    const Y = (y - before.ty) / before.scale;
    this.zoom = Math.min(MAX_ZOOM, Math.max(1, this.zoom * factor));
    const scale = this.scale;
    this.center = { x: X - (x - this.canvasW / 2) / scale, y: Y - (y - this.canvasH / 2) / scale };
    this.changed();
  }

  /** Moves the view by (dx, dy) device pixels. */
  pan(dx, dy) {
    if (!this.imageW) return;
    this.center = { x: this.center.x - dx / this.scale, y: this.center.y - dy / this.scale };
    this.changed();
  }

  clamp() {
    const halfW = this.canvasW / 2 / this.scale;
    const halfH = this.canvasH / 2 / this.scale;
    const inside = (c, half, size) => (half * 2 >= size ? size / 2 : Math.min(size - half, Math.max(half, c)));
    this.center = { x: inside(this.center.x, halfW, this.imageW), y: inside(this.center.y, halfH, this.imageH) };
  }

  changed() {
    this.clamp();
    this.canvas.dataset.zoom = this.zoom.toFixed(3);
    this.onChange();
  }

  devicePoint(event) {
    const rect = this.canvas.getBoundingClientRect();
    const dpr = this.canvasW / rect.width;
    return { x: (event.clientX - rect.left) * dpr, y: (event.clientY - rect.top) * dpr };
  }

  onWheel(event) {
    event.preventDefault();
    const { x, y } = this.devicePoint(event);
    // Trackpads send many small deltas, mouse wheels a few large ones: the same zoom per scrolled distance.
    this.zoomAt(Math.exp(-event.deltaY * (event.deltaMode === 1 ? 0.05 : 0.002)), x, y);
  }

  onPointerDown(event) {
    this.dragged = false;
    this.pointers.set(event.pointerId, { ...this.devicePoint(event), startX: event.clientX, startY: event.clientY });
  }

  onPointerMove(event) {
    const last = this.pointers.get(event.pointerId);
    if (!last) return;
    const now = this.devicePoint(event);
    if (this.pointers.size === 2) {
      // Pinch: zoom by the change of the two fingers' distance, about their midpoint.
      const other = [...this.pointers.entries()].find(([id]) => id !== event.pointerId)[1];
      const before = Math.hypot(last.x - other.x, last.y - other.y);
      const after = Math.hypot(now.x - other.x, now.y - other.y);
      if (before > 0) this.zoomAt(after / before, (now.x + other.x) / 2, (now.y + other.y) / 2);
      this.dragged = true;
    } else if (this.dragged || Math.hypot(event.clientX - last.startX, event.clientY - last.startY) > DRAG_PX) {
      if (!this.dragged) {
        try {
          this.canvas.setPointerCapture(event.pointerId); // keep panning when the pointer leaves the image
        } catch {
          // a synthetic or already released pointer: panning still works while it stays over the image
        }
      }
      this.dragged = true;
      if (this.zoom > 1) this.pan(now.x - last.x, now.y - last.y);
    }
    Object.assign(last, now);
  }

  onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const step = Math.max(this.canvasW, this.canvasH) * 0.1;
    const actions = {
      '+': () => this.zoomAt(1.25),
      '=': () => this.zoomAt(1.25),
      '-': () => this.zoomAt(0.8),
      0: () => this.fit(),
      ArrowLeft: () => this.pan(step, 0),
      ArrowRight: () => this.pan(-step, 0),
      ArrowUp: () => this.pan(0, step),
      ArrowDown: () => this.pan(0, -step),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  }
}
