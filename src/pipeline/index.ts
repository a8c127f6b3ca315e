// The pipeline's public face: the Bridge, its config and the request/result types (docs/pipeline.md).
export { Bridge, DispatchError, type BridgeOptions, type DispatchErrorCode, type InputWarning } from './bridge.js';
export { defaultConfig, type BridgeConfig, type CameraInfoPolicy, type SelectionPolicy, type SyncPolicy, type WorkspaceBox } from './config.js';
export { FrameSync, type SyncedSet, type FrameSyncOptions } from './frame-sync.js';
export { FrameStore } from './frame-store.js';
export { navigateTarget, orientationFromApproach, pickTarget, pointPose } from './targets.js';
export { rankCandidates } from './selection.js';
export * from './types.js';
