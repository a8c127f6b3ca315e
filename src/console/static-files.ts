// Serves the page (src/console/web/) and three.js from node_modules. Only files known at start-up are served
// (no path from the URL ever reaches the file system), with a strict Content-Security-Policy: scripts from this
// origin plus the one inline import map, pinned by its hash.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

interface Asset {
  body: Buffer;
  type: string;
}

/** The page's folder: next to this file when run from source, or the shipped src/console/web from dist/. */
function webDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, 'web'), join(here, '..', '..', 'src', 'console', 'web')]) {
    if (existsSync(join(candidate, 'index.html'))) return candidate;
  }
  throw new Error(`console: page files not found next to ${here}`);
}

export class StaticFiles {
  private readonly assets = new Map<string, Asset>();
  readonly csp: string;

  constructor() {
    const dir = webDir();
    for (const name of readdirSync(dir)) {
      const type = TYPES[extname(name)];
      if (type) this.assets.set(`/${name}`, { body: readFileSync(join(dir, name)), type });
    }
    const index = this.assets.get('/index.html');
    if (!index) throw new Error(`console: ${dir}/index.html missing`);
    this.assets.set('/', index);

    // three.js: the ESM build (three.module.js imports three.core.js) and OrbitControls from its addons.
    const require = createRequire(import.meta.url);
    const threeBuild = dirname(require.resolve('three'));
    for (const name of ['three.module.js', 'three.core.js']) {
      this.assets.set(`/vendor/three/${name}`, { body: readFileSync(join(threeBuild, name)), type: TYPES['.js']! });
    }
    const orbit = require.resolve('three/addons/controls/OrbitControls.js');
    this.assets.set('/vendor/three/addons/controls/OrbitControls.js', { body: readFileSync(orbit), type: TYPES['.js']! });

    const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(index.body.toString('utf8'));
    const scriptSrc = importMap ? `'self' 'sha256-${createHash('sha256').update(importMap[1]!).digest('base64')}'` : `'self'`;
    this.csp = [
      `default-src 'self'`,
      `script-src ${scriptSrc}`,
      `style-src 'self'`,
      `img-src 'self' blob: data:`,
      `connect-src 'self'`,
      `frame-ancestors 'none'`,
      `base-uri 'none'`,
      `form-action 'none'`,
    ].join('; ');
  }

  /** Serves a known path; false when the path is not one of ours. */
  serve(pathname: string, method: string, res: ServerResponse): boolean {
    const asset = this.assets.get(pathname);
    if (!asset) return false;
    res.writeHead(200, {
      'Content-Type': asset.type,
      'Content-Length': asset.body.byteLength,
      'Cache-Control': 'no-cache',
      'Content-Security-Policy': this.csp,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
    res.end(method === 'HEAD' ? undefined : asset.body);
    return true;
  }
}
