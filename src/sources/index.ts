// Sources (MCAP replay, image files) that feed the pipeline, and the MCAP recorder of sessions.
export type { FrameSource, SourceWarning } from './types.js';
export { McapSource, DEFAULT_MCAP_TOPICS, type McapSourceOptions, type McapTopics, type McapRole, type McapSourceStats } from './mcap-source.js';
export { ImageFilesSource, DEFAULT_IMAGE_FILES_FRAME_ID, type ImageFilesSourceOptions } from './image-files-source.js';
export { ImageFileError, readDepthPng } from './depth-png.js';
export { Recorder, DEFAULT_RECORDER_TOPICS, type RecorderOptions, type RecorderTopics, type RecorderStats } from './recorder.js';
export { Ros2McapWriter, Ros2McapWriterClosedError, type Ros2McapWriterOptions } from './ros2-mcap-writer.js';
export { SENSOR_QOS, LATCHED_QOS, offeredQosProfilesYaml, type OfferedQos } from './qos.js';
