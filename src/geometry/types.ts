// Plain data types shared by every layer. Field names are camelCase; the message layer (src/messages/) maps
// ROS 2's snake_case messages onto them. Stamps are int64 nanoseconds as bigint so 64-bit times stay exact.

/** A point or vector in metres. */
export interface Vec3 {
  x: number;
  y: number;
  z: number;
}

/** A rotation as a unit quaternion (ROS order: x, y, z, w). */
export interface Quaternion {
  x: number;
  y: number;
  z: number;
  w: number;
}

/** A rigid transform: p_parent = R(rotation) · p_child + translation. */
export interface Transform {
  translation: Vec3;
  rotation: Quaternion;
}

/** A transform from `childFrameId` into `frameId` at `stampNs` (geometry_msgs/TransformStamped). */
export interface TransformStamped {
  frameId: string;
  childFrameId: string;
  stampNs: bigint;
  transform: Transform;
}

/** std_msgs/Header with the stamp as int64 nanoseconds since the epoch. */
export interface Header {
  stampNs: bigint;
  frameId: string;
}

export interface RegionOfInterest {
  xOffset: number;
  yOffset: number;
  width: number;
  height: number;
  doRectify: boolean;
}

/** sensor_msgs/CameraInfo without its header. `k` 3×3, `r` 3×3, `p` 3×4, all row-major. */
export interface CameraInfo {
  width: number;
  height: number;
  distortionModel: string;
  d: number[];
  k: number[];
  r: number[];
  p: number[];
  binningX: number;
  binningY: number;
  roi: RegionOfInterest;
}

/** sensor_msgs/Image: uncompressed pixels, rows `step` bytes apart. */
export interface RawImage {
  encoding: string;
  width: number;
  height: number;
  step: number;
  isBigEndian: boolean;
  data: Uint8Array;
}

/** sensor_msgs/CompressedImage: `format` as image_transport writes it, e.g. "jpeg", "rgb8; jpeg compressed bgr8". */
export interface CompressedImage {
  format: string;
  data: Uint8Array;
}

/** A colour image as it arrived: raw or compressed. Decoding happens on request, never in a callback. */
export type ColorImage = ({ kind: 'raw' } & RawImage) | ({ kind: 'compressed' } & CompressedImage);

/** geometry_msgs/Pose: a position and an orientation (unit quaternion). */
export interface Pose {
  position: Vec3;
  orientation: Quaternion;
}

/** An oriented box: centre pose (its axes are the box's axes) and full side lengths along them, in metres. */
export interface OrientedBox {
  center: Pose;
  size: Vec3;
}

/** The object a waypoint lies on, grown from the pointed pixel over the depth image (geometry/segment). Positions are
 * in the waypoint's frame. */
export interface ObjectExtent {
  /** Visible 3D points' centroid. */
  centroid: Vec3;
  /** Oriented bounding box of the visible points (gravity-aligned when the frame's up axis was known). */
  box: OrientedBox;
  /** Number of pixels in the mask with valid depth. */
  pointCount: number;
  /** Share of the mask's pixels (inside its box on the image) that had valid depth, 0..1. */
  validShare: number;
  /** The mask's pixel bounding box on the colour image grid (pixel-centre convention). */
  maskBox: { u0: number; v0: number; u1: number; v1: number };
  /** The mask outline as a closed polygon of colour-image pixels (decimated), for drawing. */
  outline: { u: number; v: number }[];
  /** A decimated sample of the object's 3D points (≤ a few hundred), for drawing. */
  samplePoints: Vec3[];
}
