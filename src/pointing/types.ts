import type { ColorImage } from '../geometry/types.js';

/** An axis-aligned box on the original image's pixel grid (pixel-centre convention, like PixelPoint: the image spans
 * [-0.5, W - 0.5] × [-0.5, H - 0.5]); (u0, v0) is the top-left corner, (u1, v1) the bottom-right. */
export interface PixelBox {
  u0: number;
  v0: number;
  u1: number;
  v1: number;
}

/** A point the model (or an operator) put on the image, in the original image's pixel grid (OpenCV/ROS
 * convention: integer values are pixel centres). */
export interface PixelPoint {
  u: number;
  v: number;
  /** The tag's inner text or the operator's label. */
  label: string;
  /** The tag's `alt` attribute, when it had one. */
  alt: string | null;
  /** 1-based image index (Molmo 2 groups; always 1 for a single image). */
  image: number;
  /** Object id within the answer (Molmo 2 ids; 1.. in order for v1). */
  id: number;
  /** The object's box when the backend gave one (a box answer, a detector); the point is then on the object inside
   * it. Carried through to the waypoint: the object segment stops at it. */
  box?: PixelBox | null;
  /** The backend's confidence 0..1 when it states one (detectors); absent for VLM answers. */
  score?: number;
}

export interface PointingResult {
  points: PixelPoint[];
  /** The count the model stated in a counting sentence, or null. */
  count: number | null;
  /** The model said the object is not there. */
  none: boolean;
  /** The answer was cut off mid-tag (max_tokens); half points were dropped. */
  truncated: boolean;
  rawText: string;
  /** The model name the server reported (or the backend's name). */
  model: string;
  /** Milliseconds per step, e.g. { encode, request, parse }. */
  timings: Record<string, number>;
  /** Why there are no points, when the backend can say better than `none` (a detector: the query names no class it
   * knows, or no box scored high enough). */
  reason?: string;
}

export interface PointOptions {
  signal?: AbortSignal;
}

/** Something that points at objects in an image: Molmo over HTTP, an ONNX model, or an operator's click. */
export interface Pointer {
  readonly name: string;
  point(image: ColorImage, query: string, options?: PointOptions): Promise<PointingResult>;
}

export type PointingErrorKind = 'timeout' | 'unreachable' | 'http_status' | 'bad_response' | 'cancelled' | 'bad_image';

/** Every failure of a Pointer is one of these, so callers can say why. */
export class PointingError extends Error {
  constructor(
    readonly kind: PointingErrorKind,
    message: string,
    readonly details: { status?: number; endpoint?: string; attempts?: number } = {},
  ) {
    super(message);
    this.name = 'PointingError';
  }
}

/** What a Pointer can say about its own health (model endpoints), for diagnostics and the console. */
export interface PointerHealth {
  backend: string;
  endpoints: { url: string; healthy: boolean; lastError: string | null; lastLatencyMs: number | null }[];
}

/** Optional capability: Pointers that talk to servers report their endpoints' health. */
export interface HealthReporting {
  health(): PointerHealth;
}
