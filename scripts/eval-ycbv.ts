// Evaluates the object segment on one annotated real RGB-D frame in the YCB-Video layout: depth.png (uint16,
// gt.json's factor_depth units per metre), label.png (class index per pixel), gt.json (intrinsics and per object its
// class, mask box, pointed pixel, visible centroid). For each object it lifts the pointed pixel, grows the segment
// (without a box, and with the annotated mask box as a detector would give it) and prints the mask IoU against
// label.png and the visible-centroid error against gt.json.
//   npx tsx scripts/eval-ycbv.ts <folder> [--noise-per-m2 0.0014] [--noise-base-m 0.0005]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { liftPixel } from '../src/geometry/backproject.js';
import { CameraModel } from '../src/geometry/camera-model.js';
import { DepthImage } from '../src/geometry/depth-image.js';
import { fitOrientedBox } from '../src/geometry/oriented-box.js';
import { segmentObject } from '../src/geometry/segment.js';
import { readDepthPng } from '../src/sources/depth-png.js';

interface GtObject {
  class_index: number;
  name: string;
  mask_pixels: number;
  mask_bbox_uv: [number, number, number, number];
  gt_visible_centroid_m: [number, number, number];
  measured_visible_centroid_m: [number, number, number];
  valid_depth_share: number;
  pointed_pixel_uv: [number, number];
}

const args = process.argv.slice(2);
const folder = args.find((a) => !a.startsWith('--') && !/^[\d.]+$/.test(a));
if (!folder) {
  console.error('usage: eval-ycbv <folder> [--noise-per-m2 <m/m²>] [--noise-base-m <m>]');
  process.exit(2);
}
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
// An Asus Xtion (structured light, like a Kinect v1): σz ≈ 1.4 mm at 1 m.
const noise = { baseM: flag('--noise-base-m', 0.0005), perM2: flag('--noise-per-m2', 0.0014) };

const gt = JSON.parse(readFileSync(join(folder, 'gt.json'), 'utf8')) as { intrinsics: number[][]; factor_depth: number; objects: GtObject[] };
const raw = await readDepthPng(join(folder, 'depth.png'));
const depth = DepthImage.fromImage(raw, { unitsPerMetre: gt.factor_depth });
const label = await sharp(join(folder, 'label.png')).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
const W = depth.width;
const K = gt.intrinsics;
const model = CameraModel.fromIntrinsics({ width: W, height: depth.height, fx: K[0]![0]!, fy: K[1]![1]!, cx: K[0]![2]!, cy: K[1]![2]! });

console.log(`${folder}: ${W}×${depth.height}, noise σz = ${noise.baseM} + ${noise.perM2}·z² m`);
console.log('| object | box given | mask IoU | visible-centroid error vs gt.json (mm) | vs the sensor\'s own mask centroid (mm) | pixels ours / label |');
console.log('|---|---|---|---|---|---|');
for (const o of gt.objects) {
  const [u, v] = o.pointed_pixel_uv;
  const lifted = liftPixel(model, depth, u, v, { windowRadius: 2 });
  if (lifted.status !== 'ok') {
    console.log(`| ${o.name} | – | no depth at the pointed pixel: ${lifted.reason} |`);
    continue;
  }
  for (const withBox of [false, true]) {
    const [u0, v0, u1, v1] = o.mask_bbox_uv;
    const seg = segmentObject(model, depth, u, v, { noise, anchorM: lifted.sample.depthM, seedRadius: 2, box: withBox ? { u0, v0, u1, v1 } : null });
    if (!seg) {
      console.log(`| ${o.name} | ${withBox ? 'yes' : 'no'} | no segment | | | |`);
      continue;
    }
    let inter = 0;
    for (const i of seg.pixels) if (label.data[i] === o.class_index) inter++;
    // The label mask includes pixels without depth; IoU is against the whole annotated mask.
    const iou = inter / (seg.pixels.length + o.mask_pixels - inter);
    const c = fitOrientedBox(seg.points, null).centroid;
    const err = (g: [number, number, number]) => (1000 * Math.hypot(c.x - g[0], c.y - g[1], c.z - g[2])).toFixed(1);
    console.log(`| ${o.name} | ${withBox ? 'yes' : 'no'} | ${iou.toFixed(3)} | ${err(o.gt_visible_centroid_m)} | ${err(o.measured_visible_centroid_m)} | ${seg.pixels.length} / ${o.mask_pixels} |`);
  }
}
