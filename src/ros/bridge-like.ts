// The part of the pipeline's Bridge the ROS adapter uses (the real Bridge satisfies it; so can a test's stand-in).
import type { Bridge } from '../pipeline/bridge.js';

export type BridgeLike = Pick<Bridge, 'ingest' | 'refuse' | 'request' | 'cancel' | 'dispatch' | 'health' | 'config' | 'tf' | 'on' | 'off' | 'setGoalCanceller' | 'reportGoalExecution'>;
