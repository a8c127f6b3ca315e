// The 3-vector operations live with the geometry (which cannot import the pipeline); re-exported for the pipeline.
export * from '../geometry/vec.js';
