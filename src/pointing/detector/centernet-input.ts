// A colour image → CenterNet's input: the full-size packed RGB as uint8 [1, H, W, 3]. The converted model casts and
// resizes it to 512×512 itself (stretched, bilinear: bundled-model.ts converts with resizeImageInputs), so the JS
// side only decodes; the same pixels serve the colour ranking.
import type { ColorImage } from '../../geometry/types.js';
import { decodeColor } from '../../image/codec.js';

export interface CenternetInput {
  data: Uint8Array;
  dims: [1, number, number, 3];
  width: number;
  height: number;
}

export async function centernetInput(image: ColorImage): Promise<CenternetInput> {
  const rgb = await decodeColor(image);
  return { data: rgb.data, dims: [1, rgb.height, rgb.width, 3], width: rgb.width, height: rgb.height };
}
