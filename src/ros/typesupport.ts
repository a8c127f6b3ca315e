// An interface package whose JS classes rclnodejs generated (npx generate-ros-messages, overlay sourced) but whose
// C typesupport library is not on the loader path in this shell (its install/setup.bash not sourced): rclnodejs
// finds the type, and creating an endpoint of it then throws the dlopen/dlsym error of
// lib<package>__rosidl_typesupport_c.so. Optional interfaces treat that as "not available".

export function isMissingTypesupport(err: unknown): err is Error {
  return err instanceof Error && /__rosidl_typesupport_c\b/.test(err.message);
}
