// The 3D view (three.js), in a display frame the operator picks from the TF tree (by default the bridge's fixed
// frame, z up as in REP 103): TF frames as axes with labels, the camera frustum, a decimated coloured point cloud of
// the frame on screen, and the selected result — each waypoint as a sphere with its camera ray, pick poses with an
// arrow from the pre-grasp pose into the grasp pose, navigation goals as the sent stand-off pose (arrow along its
// x axis, labelled with its yaw) with a dashed line to the object, the object's box and points, and the 1σ
// uncertainty ellipsoid. Markers are linked to the table rows (hover highlights, a click on a sphere selects).
// Rendering happens on demand (after a change or a camera move), never in a busy loop.
import * as THREE from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import { cleanText } from './dom.js';
import { ellipsoidOf } from './uncertainty.js';
import { yawDegrees } from './waypoints.js';

const COLORS = { point: 0x4cc2ff, pick: 0xffb347, navigate: 0xb98cff, camera: 0x9aa7b8, ray: 0xe6edf3, object: 0x3ee08f, bad: 0xff5c6c };
const FRUSTUM_DEPTH_M = 0.35;
/** Label heights on screen, CSS pixels (sprites keep their size whatever the distance). */
const TF_LABEL_PX = 14;
const MARKER_LABEL_PX = 16;
const FOV_DEG = 50;
/** A label canvas is 68 px tall for 48 px glyphs: scale so the text itself is `px` tall. */
const CANVAS_PER_GLYPH = 68 / 48;

export class Scene3D {
  constructor(container) {
    this.container = container;
    this.scene = new THREE.Scene();
    this.fixedFrame = '';
    this.displayFrame = null;
    this.tf = new Map();
    this.camera = null;
    this.result = null;
    this.dispatched = new Set();
    this.needsFit = true;
    this.highlight = null;
    /** Called with a waypoint index when the operator clicks its sphere. */
    this.onPick = () => {};
    this.labels = new Set();

    this.view = new THREE.PerspectiveCamera(FOV_DEG, 1, 0.01, 200);
    this.view.up.set(0, 0, 1);
    this.view.position.set(-2.2, -2.6, 1.8);

    const grid = new THREE.GridHelper(10, 20, 0x3a4656, 0x242d38);
    grid.rotation.x = Math.PI / 2; // GridHelper lies in XZ; our floor is XY.
    this.scene.add(grid);
    this.scene.add(new THREE.AmbientLight(0xffffff, 0.9));
    const sun = new THREE.DirectionalLight(0xffffff, 1.6);
    sun.position.set(2, -3, 5);
    this.scene.add(sun);

    // Everything in the fixed frame hangs under `world`, which the display frame's inverse pose moves.
    this.world = new THREE.Group();
    this.tfGroup = new THREE.Group();
    this.cameraGroup = new THREE.Group();
    this.cloudGroup = new THREE.Group();
    this.markerGroup = new THREE.Group();
    this.world.add(this.tfGroup, this.cameraGroup, this.cloudGroup, this.markerGroup);
    this.scene.add(this.world);

    try {
      this.renderer = new THREE.WebGLRenderer({ antialias: true });
      this.renderer.setPixelRatio(window.devicePixelRatio || 1);
      this.renderer.setClearColor(0x0e131a);
      container.append(this.renderer.domElement);
      this.controls = new OrbitControls(this.view, this.renderer.domElement);
      this.controls.addEventListener('change', () => this.render());
      this.watchClicks(this.renderer.domElement);
      container.dataset.webgl = 'ok';
    } catch (error) {
      // No WebGL (headless without a GPU, old tablet): keep the scene model, say why nothing is drawn.
      this.renderer = null;
      container.dataset.webgl = 'unavailable';
      const note = document.createElement('div');
      note.className = 'scene-note';
      note.textContent = `3D view unavailable: ${error.message || 'WebGL could not start'}`;
      container.append(note);
    }
    new ResizeObserver(() => this.resize()).observe(container);
  }

  setTf(message) {
    const before = this.markerFramesKey();
    this.fixedFrame = message.fixedFrame;
    this.tf = new Map(message.frames.map((f) => [f.frameId, f]));
    this.updateTf();
    this.placeCamera();
    this.placeWorld();
    // Markers only move when the frames they are expressed in move (e.g. map goals seen from base_link).
    if (this.markerFramesKey() !== before) this.rebuildMarkers();
    else this.render();
  }

  /** Shows everything relative to `frameId` (RViz's fixed frame); null = the bridge's fixed frame. */
  setDisplayFrame(frameId) {
    this.displayFrame = frameId && frameId !== this.fixedFrame ? frameId : null;
    this.placeWorld();
    this.needsFit = true;
    this.fit();
  }

  placeWorld() {
    const pose = this.displayFrame ? this.poseOf(this.displayFrame) : null;
    this.world.matrixAutoUpdate = false;
    if (pose) this.world.matrix.compose(pose.p, pose.q, new THREE.Vector3(1, 1, 1)).invert();
    else this.world.matrix.identity();
    this.world.matrixWorldNeedsUpdate = true;
    this.container.dataset.displayFrame = pose ? this.displayFrame : this.fixedFrame;
  }

  /** Rounded poses of the frames the current markers hang on, to see whether TF moved them. */
  markerFramesKey() {
    if (!this.result) return '';
    const frames = new Set(this.result.waypoints.map((w) => w.frameId));
    return [...frames]
      .map((f) => {
        const pose = this.poseOf(f);
        return pose ? `${f}:${[...pose.p.toArray(), ...pose.q.toArray()].map((v) => v.toFixed(3)).join(',')}` : `${f}:none`;
      })
      .join(';');
  }

  setCamera(camera) {
    this.camera = camera;
    this.buildFrustum();
    this.placeCamera();
    this.render();
  }

  setResult(result, dispatched) {
    if (result?.id !== this.result?.id) this.needsFit = true;
    this.result = result;
    this.dispatched = dispatched;
    this.rebuildMarkers();
  }

  setHighlight(index) {
    if (index === this.highlight) return;
    this.highlight = index;
    for (const node of this.markerGroup.children) {
      if (node.userData.waypoint === undefined || !node.userData.sphere) continue;
      const on = node.userData.waypoint === index;
      node.scale.setScalar(on ? 1.6 : 1);
      node.material.emissive.setHex(on ? 0x335566 : node.userData.emissive);
    }
    this.container.dataset.highlight = index === null ? '' : String(index);
    this.render();
  }

  /**
   * The decimated point cloud of one frame (depth-grid.js), coloured from the image: `colors` is a Uint8Array of
   * r, g, b per cell, or null (then by depth). Placed with the camera pose at that frame's stamp; without one
   * (TF could not tell) no cloud is drawn rather than one in the wrong place.
   */
  setCloud(grid, colors) {
    clear(this.cloudGroup);
    let count = 0;
    if (grid?.cameraPose) {
      const positions = new Float32Array(grid.cols * grid.rows * 3);
      const rgb = new Float32Array(grid.cols * grid.rows * 3);
      for (let cell = 0; cell < grid.cols * grid.rows; cell++) {
        const z = grid.points[cell * 3 + 2];
        if (!(z > 0)) continue;
        positions.set(grid.points.subarray(cell * 3, cell * 3 + 3), count * 3);
        if (colors) for (let k = 0; k < 3; k++) rgb[count * 3 + k] = colors[cell * 3 + k] / 255;
        else rgb.set([0.6, 0.7, 0.8], count * 3);
        count++;
      }
      const geometry = new THREE.BufferGeometry();
      geometry.setAttribute('position', new THREE.BufferAttribute(positions.subarray(0, count * 3), 3));
      geometry.setAttribute('color', new THREE.BufferAttribute(rgb.subarray(0, count * 3), 3));
      const material = new THREE.PointsMaterial({ size: 3, sizeAttenuation: false, vertexColors: true });
      material.color.setRGB(1, 1, 1);
      const cloud = new THREE.Points(geometry, material);
      const { position: p, orientation: q } = grid.cameraPose;
      cloud.position.set(p.x, p.y, p.z);
      cloud.quaternion.set(q.x, q.y, q.z, q.w);
      this.cloudGroup.add(cloud);
    }
    this.container.dataset.cloud = String(count);
    this.container.dataset.cloudSeq = grid ? String(grid.frameSeq) : '';
    this.render();
  }

  fit() {
    // Frame the waypoints and the camera; before any result, the camera and the TF frames.
    const camera = this.frustum?.visible ? [this.cameraGroup] : [];
    const groups = this.markerGroup.children.length > 0 ? [this.markerGroup, ...camera] : [...camera, this.tfGroup];
    const box = new THREE.Box3();
    this.scene.updateMatrixWorld(true);
    for (const group of groups) if (group.children.length > 0) box.union(new THREE.Box3().setFromObject(group));
    if (box.isEmpty()) box.set(new THREE.Vector3(-1, -1, 0), new THREE.Vector3(1, 1, 1));
    const center = box.getCenter(new THREE.Vector3());
    const radius = Math.max(box.getSize(new THREE.Vector3()).length() / 2, 0.5);
    const direction = new THREE.Vector3(-1, -1.2, 0.9).normalize();
    this.view.position.copy(center).addScaledVector(direction, radius * 2.1);
    this.view.lookAt(center);
    if (this.controls) {
      this.controls.target.copy(center);
      this.controls.update();
    }
    this.render();
  }

  /** A frame's pose in the fixed frame (position, quaternion), or null when TF does not connect it. */
  poseOf(frameId) {
    if (frameId === this.fixedFrame) return { p: new THREE.Vector3(), q: new THREE.Quaternion() };
    const f = this.tf.get(frameId);
    if (!f) return null;
    return {
      p: new THREE.Vector3(f.translation.x, f.translation.y, f.translation.z),
      q: new THREE.Quaternion(f.rotation.x, f.rotation.y, f.rotation.z, f.rotation.w),
    };
  }

  /** A point in `frameId` in the fixed frame, or null when TF does not connect the frame. */
  toFixed(frameId, point) {
    const pose = this.poseOf(frameId);
    return pose ? new THREE.Vector3(point.x, point.y, point.z).applyQuaternion(pose.q).add(pose.p) : null;
  }

  /** TF axes and labels: created once per frame, then only moved (rebuilding them every second is costly). */
  updateTf() {
    this.tfObjects ??= new Map();
    for (const [frameId, objects] of this.tfObjects) {
      if (this.tf.has(frameId) || frameId === this.fixedFrame) continue;
      for (const o of objects) this.dropObject(o, this.tfGroup);
      this.tfObjects.delete(frameId);
    }
    for (const frameId of new Set([this.fixedFrame, ...this.tf.keys()])) {
      const pose = this.poseOf(frameId);
      if (!pose) continue;
      let objects = this.tfObjects.get(frameId);
      if (!objects) {
        objects = [new THREE.AxesHelper(0.25), this.textSprite(frameId, '#c3ccd6', TF_LABEL_PX)];
        this.tfGroup.add(...objects);
        this.tfObjects.set(frameId, objects);
      }
      const [axes, tag] = objects;
      axes.position.copy(pose.p);
      axes.quaternion.copy(pose.q);
      tag.position.copy(pose.p).add(new THREE.Vector3(0, 0, 0.08));
    }
    // Test hook: the TF labels' text height on screen, CSS pixels, from a sprite's actual scale.
    const first = this.tfObjects.values().next().value?.[1];
    if (first) this.container.dataset.tfLabelPx = spritePx(first, this.container.clientHeight || 360).toFixed(1);
  }

  /** The camera frustum's lines, from the intrinsics (rebuilt only when the camera info changes). */
  buildFrustum() {
    clear(this.cameraGroup);
    this.frustum = null;
    const cam = this.camera;
    if (!cam) return;
    const [fx, , cx, , fy, cy] = cam.k;
    if (!fx || !fy) return;
    // Rays through the image corners (pixel-centre convention: the image spans -0.5 .. width-0.5).
    const corners = [
      [-0.5, -0.5],
      [cam.width - 0.5, -0.5],
      [cam.width - 0.5, cam.height - 0.5],
      [-0.5, cam.height - 0.5],
    ].map(([u, v]) => new THREE.Vector3(((u - cx) / fx) * FRUSTUM_DEPTH_M, ((v - cy) / fy) * FRUSTUM_DEPTH_M, FRUSTUM_DEPTH_M));
    const points = [];
    for (let i = 0; i < 4; i++) points.push(new THREE.Vector3(), corners[i], corners[i], corners[(i + 1) % 4]);
    // "Up" tick on the top edge so the image orientation is visible.
    const top = corners[0].clone().add(corners[1]).multiplyScalar(0.5);
    points.push(top, top.clone().add(new THREE.Vector3(0, -0.06, 0)));
    this.frustum = new THREE.LineSegments(
      new THREE.BufferGeometry().setFromPoints(points),
      new THREE.LineBasicMaterial({ color: COLORS.camera }),
    );
    this.frustum.visible = false;
    this.cameraGroup.add(this.frustum);
  }

  /** Moves the frustum to the camera frame's latest pose. */
  placeCamera() {
    if (!this.frustum || !this.camera) return;
    const pose = this.poseOf(this.camera.frameId);
    this.frustum.visible = pose !== null;
    if (!pose) return;
    this.frustum.position.copy(pose.p);
    this.frustum.quaternion.copy(pose.q);
    if (!this.cameraFitted && this.markerGroup.children.length === 0) {
      this.cameraFitted = true;
      this.fit();
    }
  }

  rebuildMarkers() {
    for (const child of [...this.markerGroup.children]) this.dropObject(child, this.markerGroup);
    const counts = { markers: 0, rays: 0, objects: 0, ellipsoids: 0, sentYaw: [] };
    const result = this.result;
    if (result && result.status === 'ok') {
      // Marker sizes follow the viewing distance (a tabletop at 0.5 m and a room at 5 m both stay readable).
      const depths = result.waypoints.map((w) => w.depthM).filter((d) => d > 0).sort((a, b) => a - b);
      const s = Math.max(0.5, depths[Math.floor(depths.length / 2)] ?? 1) / 2;
      result.waypoints.forEach((w, index) => this.addWaypoint(result, w, index, s, counts));
    }
    // Test hooks (and cheap sanity checks): what the scene holds.
    for (const [key, value] of Object.entries(counts)) this.container.dataset[key] = String(value);
    this.container.dataset.sentYaw = counts.sentYaw.join(' ');
    if (this.needsFit && counts.markers > 0) {
      this.needsFit = false;
      this.fit();
    } else {
      this.render();
    }
  }

  addWaypoint(result, w, index, s, counts) {
    const pose = this.poseOf(w.frameId);
    if (!pose) return;
    const toFixed = (v) => new THREE.Vector3(v.x, v.y, v.z).applyQuaternion(pose.q).add(pose.p);
    const group = this.markerGroup;
    const point = toFixed(w.point);
    const color = COLORS[result.mode] ?? COLORS.point;
    const dispatched = this.dispatched.has(`${result.id}#${index}`);

    const emissive = dispatched ? 0x1f6f45 : 0x000000;
    const sphere = new THREE.Mesh(
      new THREE.SphereGeometry(0.035 * s, 20, 14),
      new THREE.MeshStandardMaterial({ color: COLORS.point, emissive, roughness: 0.4 }),
    );
    sphere.position.copy(point);
    sphere.userData = { waypoint: index, sphere: true, emissive };
    group.add(sphere);
    counts.markers++;

    // The camera ray: from where the camera was when it took the image (the result's cameraPose, in the result's
    // target frame) to the point.
    if (result.cameraPose && result.targetFrame === w.frameId) {
      const origin = toFixed(result.cameraPose.position);
      group.add(line(origin, point, COLORS.ray, false, 0.55));
      counts.rays++;
    }

    const poseQ = pose.q.clone().multiply(new THREE.Quaternion(w.pose.orientation.x, w.pose.orientation.y, w.pose.orientation.z, w.pose.orientation.w));
    const posePos = toFixed(w.pose.position);
    if (result.mode === 'pick') {
      const from = w.preGraspPose ? toFixed(w.preGraspPose.position) : null;
      if (from && from.distanceTo(posePos) > 1e-6) {
        // The approach: from the pre-grasp pose into the grasp pose (drawn at least 0.3·s long to be visible).
        const dir = posePos.clone().sub(from).normalize();
        const length = Math.max(from.distanceTo(posePos), 0.3 * s);
        const start = posePos.clone().addScaledVector(dir, -length);
        group.add(new THREE.ArrowHelper(dir, start, length, color, 0.1 * s, 0.06 * s));
        const pre = new THREE.Mesh(new THREE.SphereGeometry(0.015 * s, 12, 8), new THREE.MeshBasicMaterial({ color }));
        pre.position.copy(from);
        group.add(pre);
      }
      const axes = new THREE.AxesHelper(0.12 * s);
      axes.position.copy(posePos);
      axes.quaternion.copy(poseQ);
      group.add(axes);
    } else if (result.mode === 'navigate') {
      // What is sent: the stand-off pose on the floor, heading along its x axis, labelled with its yaw.
      const heading = new THREE.Vector3(1, 0, 0).applyQuaternion(poseQ);
      group.add(new THREE.ArrowHelper(heading, posePos, 0.35 * s, color, 0.1 * s, 0.06 * s));
      const disc = new THREE.Mesh(
        new THREE.CircleGeometry(0.14 * s, 32),
        new THREE.MeshBasicMaterial({ color, transparent: true, opacity: 0.25, side: THREE.DoubleSide }),
      );
      disc.position.copy(posePos);
      disc.quaternion.copy(poseQ);
      group.add(disc);
      group.add(line(posePos, point, color, true));
      const yaw = yawDegrees(w.pose.orientation);
      counts.sentYaw.push(yaw.toFixed(1));
      const sent = this.textSprite(`${index + 1} sent · yaw ${yaw.toFixed(0)}°`, '#d9c4ff', MARKER_LABEL_PX);
      sent.position.copy(posePos).add(new THREE.Vector3(0, 0, 0.12 * s));
      group.add(sent);
    }
    if (w.object) counts.objects += this.addObject(w.object, pose, toFixed);
    const ellipsoid = ellipsoidOf(w.covariance);
    if (ellipsoid) {
      group.add(ellipsoidMesh(ellipsoid, pose.q, point));
      counts.ellipsoids++;
    }
    const tag = this.textSprite(`${index + 1} ${cleanText(w.label)}`.trim(), dispatched ? '#3ee08f' : '#e6edf3', MARKER_LABEL_PX);
    tag.position.copy(point).add(new THREE.Vector3(0, 0, 0.1 * s));
    group.add(tag);
  }

  /** The object's oriented box (wireframe) and its decimated points; 1 when drawn. */
  addObject(object, pose, toFixed) {
    const box = object.box;
    if (!box?.size || !box.center) return 0;
    const edges = new THREE.LineSegments(
      new THREE.EdgesGeometry(new THREE.BoxGeometry(box.size.x, box.size.y, box.size.z)),
      new THREE.LineBasicMaterial({ color: COLORS.object }),
    );
    edges.position.copy(toFixed(box.center.position));
    const q = box.center.orientation;
    edges.quaternion.copy(pose.q.clone().multiply(new THREE.Quaternion(q.x, q.y, q.z, q.w)));
    this.markerGroup.add(edges);
    const samples = object.samplePoints ?? [];
    if (samples.length > 0) {
      const geometry = new THREE.BufferGeometry().setFromPoints(samples.map(toFixed));
      this.markerGroup.add(new THREE.Points(geometry, new THREE.PointsMaterial({ color: COLORS.object, size: 4, sizeAttenuation: false })));
    }
    return 1;
  }

  /** Click (not drag) on a waypoint sphere: select its row. */
  watchClicks(canvas) {
    let down = null;
    canvas.addEventListener('pointerdown', (event) => (down = { x: event.clientX, y: event.clientY }));
    canvas.addEventListener('pointerup', (event) => {
      if (!down || Math.hypot(event.clientX - down.x, event.clientY - down.y) > 4) return;
      const rect = canvas.getBoundingClientRect();
      const ndc = new THREE.Vector2(((event.clientX - rect.left) / rect.width) * 2 - 1, -((event.clientY - rect.top) / rect.height) * 2 + 1);
      const raycaster = new THREE.Raycaster();
      raycaster.setFromCamera(ndc, this.view);
      const spheres = this.markerGroup.children.filter((c) => c.userData.sphere);
      const hit = raycaster.intersectObjects(spheres, false)[0];
      if (hit) this.onPick(hit.object.userData.waypoint);
    });
  }

  resize() {
    if (!this.renderer) return;
    const width = this.container.clientWidth;
    const height = this.container.clientHeight;
    if (width === 0 || height === 0) return;
    this.renderer.setSize(width, height);
    this.view.aspect = width / height;
    this.view.updateProjectionMatrix();
    for (const sprite of this.labels) this.sizeSprite(sprite);
    this.render();
  }

  render() {
    if (!this.renderer || this.renderPending) return;
    this.renderPending = true;
    requestAnimationFrame(() => {
      this.renderPending = false;
      this.renderer.render(this.scene, this.view);
    });
  }

  /** A label that faces the viewer and keeps `px` CSS pixels of height at any distance, with a dark halo. */
  textSprite(text, color, px) {
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d');
    const fontPx = 48;
    const font = `600 ${fontPx}px system-ui, sans-serif`;
    ctx.font = font;
    canvas.width = Math.ceil(ctx.measureText(text).width) + 24;
    canvas.height = fontPx + 20;
    ctx.font = font;
    ctx.textBaseline = 'middle';
    ctx.lineJoin = 'round';
    ctx.lineWidth = 10;
    ctx.strokeStyle = 'rgba(5, 8, 11, 0.9)';
    ctx.strokeText(text, 12, canvas.height / 2);
    ctx.fillStyle = color;
    ctx.fillText(text, 12, canvas.height / 2);
    const texture = new THREE.CanvasTexture(canvas);
    texture.colorSpace = THREE.SRGBColorSpace;
    const sprite = new THREE.Sprite(new THREE.SpriteMaterial({ map: texture, depthTest: false, transparent: true, sizeAttenuation: false }));
    sprite.center.set(0, 0.5);
    sprite.userData.label = { px, aspect: canvas.width / canvas.height };
    this.labels.add(sprite);
    this.sizeSprite(sprite);
    return sprite;
  }

  /** Without size attenuation a sprite's scale is a share of the view's height per 2·tan(fov/2). */
  sizeSprite(sprite) {
    const { px, aspect } = sprite.userData.label;
    const height = this.container.clientHeight || 360;
    const h = (px * CANVAS_PER_GLYPH * 2 * Math.tan(((FOV_DEG / 2) * Math.PI) / 180)) / height;
    sprite.scale.set(h * aspect, h, 1);
  }

  dropObject(object, parent) {
    object.traverse((node) => this.labels.delete(node));
    disposeTree(object, parent);
  }
}

/** The height of a sprite's text on screen (CSS px) in a view `height` px tall (the inverse of sizeSprite). */
function spritePx(sprite, height) {
  return (sprite.scale.y * height) / (2 * Math.tan(((FOV_DEG / 2) * Math.PI) / 180) * CANVAS_PER_GLYPH);
}

function clear(group) {
  for (const child of [...group.children]) disposeTree(child, group);
}

function disposeTree(object, parent) {
  parent.remove(object);
  object.traverse((node) => {
    node.geometry?.dispose();
    if (node.material) {
      node.material.map?.dispose();
      node.material.dispose();
    }
  });
}

function line(a, b, color, dashed, opacity = 1) {
  const geometry = new THREE.BufferGeometry().setFromPoints([a, b]);
  const options = { color, transparent: opacity < 1, opacity };
  const material = dashed ? new THREE.LineDashedMaterial({ ...options, dashSize: 0.03, gapSize: 0.02 }) : new THREE.LineBasicMaterial(options);
  const object = new THREE.Line(geometry, material);
  if (dashed) object.computeLineDistances();
  return object;
}

/** The 1σ ellipsoid: a unit sphere scaled by the semi-axes along the eigenvectors (in the waypoint's frame). */
function ellipsoidMesh({ radii, axes }, frameQ, center) {
  const basis = new THREE.Matrix4().makeBasis(...axes.map(([x, y, z]) => new THREE.Vector3(x, y, z)));
  if (basis.determinant() < 0) basis.scale(new THREE.Vector3(1, 1, -1)); // a rotation, not a reflection
  const q = frameQ.clone().multiply(new THREE.Quaternion().setFromRotationMatrix(basis));
  const mesh = new THREE.Mesh(
    new THREE.SphereGeometry(1, 24, 16),
    new THREE.MeshBasicMaterial({ color: 0xffc14d, transparent: true, opacity: 0.28, depthWrite: false }),
  );
  // A zero axis would make a flat, invisible shape: at least 1 mm.
  mesh.scale.set(...radii.map((r) => Math.max(r, 0.001)));
  mesh.quaternion.copy(q);
  mesh.position.copy(center);
  return mesh;
}
