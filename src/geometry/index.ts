// The geometry module's public face: pure maths, no I/O.
export * from './types.js';
export * from './time.js';
export * from './transform.js';
export * from './tf-buffer.js';
export * from './camera-model.js';
export * from './depth-image.js';
export * from './backproject.js';
export * from './normal.js';
