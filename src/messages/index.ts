// The message layer: official ROS 2 definitions, CDR encoding, and ROS message shapes <-> our types.
export * from './definitions.js';
export * from './cdr.js';
export * from './inputs.js';
export * from './outputs.js';
export * from './object-extent.js';
export * from './collision-objects.js';
