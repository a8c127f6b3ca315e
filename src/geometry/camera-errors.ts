/** A CameraInfo that cannot describe a camera. `field` is the sensor_msgs/CameraInfo field name at fault. */
export class CameraInfoError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`camera info: ${field}: ${message}`);
    this.name = 'CameraInfoError';
  }
}
