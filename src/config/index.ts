// The configuration's public face: one YAML file, overridable by environment and flags (docs/pipeline.md).
export { loadConfig, ConfigError, type LoadOptions, type LoadedConfig, type Override } from './load.js';
export { CONFIG_KEYS, type KeySpec } from './schema.js';
export type { AppConfig, ModelBackend, RosMode } from './app-config.js';
