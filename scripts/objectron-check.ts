// The measurement behind docs/pointing.md's choice of bundled detector: runs @mediapipe/objectron (its own WASM +
// WebGL solution, the only way to run its TFLite models without a TFLite reader) in headless Chromium on the demo
// frames, with the Chair model, and prints what it finds and how long each frame took. Not part of the tests.
//   node --import tsx scripts/objectron-check.ts [minDetectionConfidence=0.3]
// Needs npm (it runs `npm pack @mediapipe/objectron@0.4.1675468480` into a temp dir) and /usr/lib/chromium/chromium.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const VERSION = '0.4.1675468480';
const FRAMES = ['color_00000.jpg', 'color_00002.jpg', 'color_00004.jpg'];
const minConfidence = Number(process.argv[2] ?? 0.3);

const dir = mkdtempSync(join(tmpdir(), 'objectron-'));
try {
  execFileSync('npm', ['pack', `@mediapipe/objectron@${VERSION}`, '--pack-destination', dir], { stdio: 'ignore' });
  execFileSync('tar', ['xzf', `mediapipe-objectron-${VERSION}.tgz`], { cwd: dir });
  for (const f of FRAMES) copyFileSync(join('demo/redwood_livingroom1', f), join(dir, f));
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><script src="package/objectron.js"></script><script>
window.runAll = async (names) => {
  const o = new Objectron({ locateFile: (f) => 'package/' + f });
  o.setOptions({ modelName: 'Chair', maxNumObjects: 5, minDetectionConfidence: ${minConfidence}, staticImageMode: true });
  let resolve; o.onResults((r) => resolve(r));
  await o.initialize();
  const out = {};
  for (const n of names) {
    const img = new Image(); img.src = n; await img.decode();
    const done = new Promise((r) => (resolve = r));
    const t = performance.now();
    await o.send({ image: img });
    const r = await done;
    out[n] = { ms: Math.round(performance.now() - t), boxes: (r.objectDetections || []).map((d) => d.keypoints.map((k) => [Math.round(k.point2d.x * 640), Math.round(k.point2d.y * 480)])) };
  }
  return out;
};</script>`,
  );
  const types: Record<string, string> = { html: 'text/html', js: 'text/javascript', wasm: 'application/wasm', jpg: 'image/jpeg' };
  const server = createServer((req, res) => {
    try {
      const path = join(dir, decodeURIComponent(new URL(req.url!, 'http://x').pathname));
      const body = readFileSync(path);
      res.writeHead(200, { 'content-type': types[path.split('.').pop()!] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const browser = await chromium.launch({ executablePath: '/usr/lib/chromium/chromium', args: ['--no-sandbox', '--use-gl=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking', '--no-first-run'] });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/index.html`);
    const result = await page.evaluate((names) => (globalThis as unknown as { runAll(n: string[]): Promise<unknown> }).runAll(names), FRAMES);
    console.log(`@mediapipe/objectron@${VERSION}, model Chair, minDetectionConfidence ${minConfidence} (the first frame includes start-up):`);
    console.log(JSON.stringify(result, null, 1));
  } finally {
    await browser.close();
    server.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
