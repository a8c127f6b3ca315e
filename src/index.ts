// The library's public face: everything a program embedding the bridge needs, layer by layer (docs/*.md).
// The CLI (src/cli.ts) is one such program. rclnodejs and onnxruntime-node load only when used.
export * from './geometry/index.js';
export * from './calibration/index.js';
export * from './pointing/index.js';
export * from './pipeline/index.js';
export * from './config/index.js';
export * from './sources/index.js';
export * as messages from './messages/index.js';
export { startConsole } from './console/server.js';
export { prepareRosNode, startRosNode } from './ros/node.js';
