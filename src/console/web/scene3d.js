// The 3D view (three.js): everything in the bridge's fixed frame (its default target frame, z up as in REP-103),
// with the TF frames as small axes, the camera frustum, and the selected result's waypoints — points as spheres,
// pick poses with an arrow along the approach (from the pre-grasp pose to the grasp pose), navigation stand-off
// poses as an arrow along the pose's x axis (the robot's heading) with a line to the object.
// Rendering happens on demand (after a change or a camera move), never in a busy loop.
import * as THREE from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import { cleanText } from './dom.js';

const COLORS = { point: 0x4cc2ff, pick: 0xffb347, navigate: 0xb98cff, camera: 0x9aa7b8, bad: 0xff5c6c };
const FRUSTUM_DEPTH_M = 0.35;

export class Scene3D {
  constructor(container) {
    this.container = container;
    this.scene = new THREE.Scene();
    this.fixedFrame = '';
    this.tf = new Map();
    this.camera = null;
    this.result = null;
    this.dispatched = new Set();
    this.needsFit = true;

    this.view = new THREE.PerspectiveCamera(50, 1, 0.01, 200);
    this.view.up.set(0, 0, 1);
    this.view.position.set(-2.2, -2.6, 1.8);

    const grid = new THREE.GridHelper(10, 20, 0x3a4656, 0x242d38);
    grid.rotation.x = Math.PI / 2; // GridHelper lies in XZ; our floor is XY.
    this.scene.add(grid);
    this.scene.add(new THREE.AmbientLight(0xffffff, 0.9));
    const sun = new THREE.DirectionalLight(0xffffff, 1.6);
    sun.position.set(2, -3, 5);
    this.scene.add(sun);

    this.tfGroup = new THREE.Group();
    this.cameraGroup = new THREE.Group();
    this.markerGroup = new THREE.Group();
    this.scene.add(this.tfGroup, this.cameraGroup, this.markerGroup);

    try {
      this.renderer = new THREE.WebGLRenderer({ antialias: true });
      this.renderer.setPixelRatio(window.devicePixelRatio || 1);
      this.renderer.setClearColor(0x0e131a);
      container.append(this.renderer.domElement);
      this.controls = new OrbitControls(this.view, this.renderer.domElement);
      this.controls.addEventListener('change', () => this.render());
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
    // Markers only move when the frames they are expressed in move (e.g. map goals seen from base_link).
    if (this.markerFramesKey() !== before) this.rebuildMarkers();
    else this.render();
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

  fit() {
    // Frame the waypoints and the camera; before any result, the camera and the TF frames.
    const camera = this.frustum?.visible ? [this.cameraGroup] : [];
    const groups = this.markerGroup.children.length > 0 ? [this.markerGroup, ...camera] : [...camera, this.tfGroup];
    const box = new THREE.Box3();
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

  /** TF axes and labels: created once per frame, then only moved (rebuilding them every second is costly). */
  updateTf() {
    this.tfObjects ??= new Map();
    for (const [frameId, objects] of this.tfObjects) {
      if (this.tf.has(frameId) || frameId === this.fixedFrame) continue;
      for (const o of objects) disposeTree(o, this.tfGroup);
      this.tfObjects.delete(frameId);
    }
    for (const frameId of new Set([this.fixedFrame, ...this.tf.keys()])) {
      const pose = this.poseOf(frameId);
      if (!pose) continue;
      let objects = this.tfObjects.get(frameId);
      if (!objects) {
        objects = [new THREE.AxesHelper(0.25), textSprite(frameId, '#8b98a9', 0.07)];
        this.tfGroup.add(...objects);
        this.tfObjects.set(frameId, objects);
      }
      const [axes, tag] = objects;
      axes.position.copy(pose.p);
      axes.quaternion.copy(pose.q);
      tag.position.copy(pose.p).add(new THREE.Vector3(0, 0, 0.1));
    }
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
    clear(this.markerGroup);
    let count = 0;
    const result = this.result;
    if (result && result.status === 'ok') {
      // Marker sizes follow the viewing distance (a tabletop at 0.5 m and a room at 5 m both stay readable).
      const depths = result.waypoints.map((w) => w.depthM).filter((d) => d > 0).sort((a, b) => a - b);
      const s = Math.max(0.5, depths[Math.floor(depths.length / 2)] ?? 1) / 2;
      result.waypoints.forEach((w, index) => {
        const pose = this.poseOf(w.frameId);
        if (!pose) return;
        const toFixed = (v) => new THREE.Vector3(v.x, v.y, v.z).applyQuaternion(pose.q).add(pose.p);
        const point = toFixed(w.point);
        const color = COLORS[result.mode] ?? COLORS.point;
        const dispatched = this.dispatched.has(`${result.id}#${index}`);

        const sphere = new THREE.Mesh(
          new THREE.SphereGeometry(0.035 * s, 20, 14),
          new THREE.MeshStandardMaterial({ color: COLORS.point, emissive: dispatched ? 0x1f6f45 : 0x000000, roughness: 0.4 }),
        );
        sphere.position.copy(point);
        sphere.userData = { waypoint: index };
        this.markerGroup.add(sphere);
        count++;

        const poseQ = pose.q.clone().multiply(new THREE.Quaternion(w.pose.orientation.x, w.pose.orientation.y, w.pose.orientation.z, w.pose.orientation.w));
        const posePos = toFixed(w.pose.position);
        if (result.mode === 'pick') {
          const from = w.preGraspPose ? toFixed(w.preGraspPose.position) : null;
          if (from && from.distanceTo(posePos) > 1e-6) {
            // The approach: from the pre-grasp pose into the grasp pose (drawn at least 0.3·s long to be visible).
            const dir = posePos.clone().sub(from).normalize();
            const length = Math.max(from.distanceTo(posePos), 0.3 * s);
            const start = posePos.clone().addScaledVector(dir, -length);
            this.markerGroup.add(new THREE.ArrowHelper(dir, start, length, color, 0.1 * s, 0.06 * s));
            const pre = new THREE.Mesh(new THREE.SphereGeometry(0.015 * s, 12, 8), new THREE.MeshBasicMaterial({ color }));
            pre.position.copy(from);
            this.markerGroup.add(pre);
          }
          const axes = new THREE.AxesHelper(0.12 * s);
          axes.position.copy(posePos);
          axes.quaternion.copy(poseQ);
          this.markerGroup.add(axes);
        } else if (result.mode === 'navigate') {
          const heading = new THREE.Vector3(1, 0, 0).applyQuaternion(poseQ);
          this.markerGroup.add(new THREE.ArrowHelper(heading, posePos, 0.35 * s, color, 0.1 * s, 0.06 * s));
          const disc = new THREE.Mesh(
            new THREE.CircleGeometry(0.14 * s, 32),
            new THREE.MeshBasicMaterial({ color, transparent: true, opacity: 0.25, side: THREE.DoubleSide }),
          );
          disc.position.copy(posePos);
          disc.quaternion.copy(poseQ);
          this.markerGroup.add(disc);
          this.markerGroup.add(line(posePos, point, color, true));
        }
        const tag = textSprite(`${index + 1} ${cleanText(w.label)}`.trim(), dispatched ? '#3ee08f' : '#e6edf3', 0.09 * s);
        tag.position.copy(point).add(new THREE.Vector3(0, 0, 0.1 * s));
        this.markerGroup.add(tag);
      });
    }
    // Test hook (and a cheap sanity check): how many waypoint markers the scene holds.
    this.container.dataset.markers = String(count);
    if (this.needsFit && count > 0) {
      this.needsFit = false;
      this.fit();
    } else {
      this.render();
    }
  }

  resize() {
    if (!this.renderer) return;
    const width = this.container.clientWidth;
    const height = this.container.clientHeight;
    if (width === 0 || height === 0) return;
    this.renderer.setSize(width, height);
    this.view.aspect = width / height;
    this.view.updateProjectionMatrix();
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

function line(a, b, color, dashed) {
  const geometry = new THREE.BufferGeometry().setFromPoints([a, b]);
  const material = dashed
    ? new THREE.LineDashedMaterial({ color, dashSize: 0.03, gapSize: 0.02 })
    : new THREE.LineBasicMaterial({ color });
  const object = new THREE.Line(geometry, material);
  if (dashed) object.computeLineDistances();
  return object;
}

/** A text label that always faces the viewer, `height` metres tall. */
function textSprite(text, color, height) {
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d');
  const fontPx = 48;
  ctx.font = `${fontPx}px system-ui, sans-serif`;
  canvas.width = Math.ceil(ctx.measureText(text).width) + 16;
  canvas.height = fontPx + 16;
  ctx.font = `${fontPx}px system-ui, sans-serif`;
  ctx.fillStyle = color;
  ctx.textBaseline = 'middle';
  ctx.fillText(text, 8, canvas.height / 2);
  const texture = new THREE.CanvasTexture(canvas);
  texture.colorSpace = THREE.SRGBColorSpace;
  const sprite = new THREE.Sprite(new THREE.SpriteMaterial({ map: texture, depthTest: false, transparent: true }));
  sprite.scale.set((height * canvas.width) / canvas.height, height, 1);
  return sprite;
}
