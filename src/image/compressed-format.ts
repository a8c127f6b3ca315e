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

/**
 * A JPEG's size from its frame header (SOFn), read without decoding (the console forwards a camera's JPEG when
 * it needs no downscale, and asking the codec library costs it a thread hop per frame); null when no frame header
 * is found.
 */
export function jpegSize(data: Uint8Array): { width: number; height: number } | null {
  if (sniffCompressed(data) !== 'jpeg') return null;
  let i = 2;
  while (i + 3 < data.length) {
    if (data[i] !== 0xff) return null;
    const marker = data[i + 1]!;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    // Markers without a length: TEM, RSTn, SOI.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      i += 2;
      continue;
    }
    const length = (data[i + 2]! << 8) | data[i + 3]!;
    const isFrameHeader = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrameHeader) {
      if (i + 8 >= data.length) return null;
      const height = (data[i + 5]! << 8) | data[i + 6]!;
      const width = (data[i + 7]! << 8) | data[i + 8]!;
      return width > 0 && height > 0 ? { width, height } : null;
    }
    if (marker === 0xda || length < 2) return null; // scan data before any frame header
    i += 2 + length;
  }
  return null;
}
