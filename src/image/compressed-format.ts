// Which codec a sensor_msgs/CompressedImage really holds. The `format` string ("jpeg", "png",
// "rgb8; jpeg compressed bgr8", ...) is written by whoever published it and is sometimes wrong or empty, so
// the bytes decide.

export type CompressedKind = 'jpeg' | 'png';

/** 'jpeg' or 'png' from the file signature, or null for anything else. */
export function sniffCompressed(data: Uint8Array): CompressedKind | null {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpeg';
  if (
    data.length >= 8 &&
    data[0] === 0x89 &&
    data[1] === 0x50 &&
    data[2] === 0x4e &&
    data[3] === 0x47 &&
    data[4] === 0x0d &&
    data[5] === 0x0a &&
    data[6] === 0x1a &&
    data[7] === 0x0a
  ) {
    return 'png';
  }
  return null;
}
