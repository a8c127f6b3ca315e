// The official ROS 2 message definitions (.msg texts, verbatim) for every type this project reads or writes.
// They drive CDR encoding/decoding (@foxglove/rosmsg2-serialization) and the `ros2msg` schemas of the MCAP
// files we write, so those files open in Foxglove and `ros2 bag` exactly like a rosbag2 recording.
//
// Origin and licences (texts copied unchanged, comments included, as rosbag2 stores them):
// - builtin_interfaces: github.com/ros2/rcl_interfaces, branch jazzy, commit 003987ecb81a32802ab27dd6d325b8c6b8b813cc,
//   Apache License 2.0.
// - std_msgs, sensor_msgs, geometry_msgs, visualization_msgs, diagnostic_msgs: github.com/ros2/common_interfaces,
//   branch jazzy, commit 5283bd97b33584eb2246fc6134b2e948027e1c3c, Apache License 2.0. Humble's texts are
//   wire-identical (Marker.msg only gained the ARROW_STRIP constant in Jazzy).
// - tf2_msgs: github.com/ros2/geometry2, branch jazzy, commit 646342c6164e837d69460e3d28e7a025396544f6,
//   BSD 3-Clause licence (package.xml: BSD).
// - vision_msgs: github.com/ros-perception/vision_msgs, tag 4.1.1, commit e77fa2d97d69abaaa546592892d2d5d16cec9977,
//   Apache License 2.0.
// - shape_msgs (and geometry_msgs Point32, Polygon, PoseWithCovarianceStamped): common_interfaces as above,
//   Apache License 2.0; Humble's texts are wire-identical.
// - moveit_msgs: github.com/moveit/moveit_msgs, branch ros2 (2.6.0, Jazzy), commit
//   ec3ba4bfa2ec37df576bcf7a087e5a4ab88d79a4, BSD 3-Clause licence (package.xml: BSD). The humble branch differs only
//   in a comment of CollisionObject.msg.
// - object_recognition_msgs: github.com/wg-perception/object_recognition_msgs, branch ros2 (2.0.0), commit
//   c31772fc3f21af8efb087536f6925f354ddb69a3, BSD 3-Clause licence (package.xml: BSD).
// - nav2_msgs: github.com/ros-navigation/navigation2, branch jazzy, commit f4108e5b1c2bce804a1aa0c7be6673a8eb4a1501,
//   Apache License 2.0. NavigateToPose.action split at its `---` lines into the _Goal, _Result and _Feedback
//   messages rosidl generates. Humble's result is `std_msgs/Empty result` instead of error_code and error_msg
//   (readers of a result accept both); its goal and feedback are identical.

import { parse } from '@foxglove/rosmsg';

/** A parsed definition as @foxglove/rosmsg returns it (type taken from there: that package is transitive). */
export type MessageDefinition = ReturnType<typeof parse>[number];

/** Thrown for a message type we carry no definition for. */
export class UnknownMessageTypeError extends Error {
  constructor(readonly type: string) {
    super(`no message definition for '${type}' (known: ${Object.keys(MSG_DEFINITIONS).join(', ')})`);
    this.name = 'UnknownMessageTypeError';
  }
}

/** .msg texts keyed by the full ROS 2 type name `pkg/msg/Name`. */
export const MSG_DEFINITIONS: Readonly<Record<string, string>> = {
  'builtin_interfaces/msg/Time': `# This message communicates ROS Time defined here:
# https://design.ros2.org/articles/clock_and_time.html

# The seconds component, valid over all int32 values.
int32 sec

# The nanoseconds component, valid in the range [0, 1e9).
uint32 nanosec
`,
  'builtin_interfaces/msg/Duration': `# Duration defines a period between two time points.
# Messages of this datatype are of ROS Time following this design:
# https://design.ros2.org/articles/clock_and_time.html

# Seconds component, range is valid over any possible int32 value.
int32 sec

# Nanoseconds component in the range of [0, 1e9).
uint32 nanosec
`,
  'std_msgs/msg/Header': `# Standard metadata for higher-level stamped data types.
# This is generally used to communicate timestamped data
# in a particular coordinate frame.

# Two-integer timestamp that is expressed as seconds and nanoseconds.
builtin_interfaces/Time stamp

# Transform frame with which this data is associated.
string frame_id
`,
  'std_msgs/msg/String': `# This was originally provided as an example message.
# It is deprecated as of Foxy
# It is recommended to create your own semantically meaningful message.
# However if you would like to continue using this please use the equivalent in example_msgs.

string data
`,
  'std_msgs/msg/ColorRGBA': `float32 r
float32 g
float32 b
float32 a
`,
  'sensor_msgs/msg/Image': `# This message contains an uncompressed image
# (0, 0) is at top-left corner of image

std_msgs/Header header # Header timestamp should be acquisition time of image
                             # Header frame_id should be optical frame of camera
                             # origin of frame should be optical center of cameara
                             # +x should point to the right in the image
                             # +y should point down in the image
                             # +z should point into to plane of the image
                             # If the frame_id here and the frame_id of the CameraInfo
                             # message associated with the image conflict
                             # the behavior is undefined

uint32 height                # image height, that is, number of rows
uint32 width                 # image width, that is, number of columns

# The legal values for encoding are in file include/sensor_msgs/image_encodings.hpp
# If you want to standardize a new string format, join
# ros-users@lists.ros.org and send an email proposing a new encoding.

string encoding       # Encoding of pixels -- channel meaning, ordering, size
                      # taken from the list of strings in include/sensor_msgs/image_encodings.hpp

uint8 is_bigendian    # is this data bigendian?
uint32 step           # Full row length in bytes
uint8[] data          # actual matrix data, size is (step * rows)
`,
  'sensor_msgs/msg/CompressedImage': `# This message contains a compressed image.

std_msgs/Header header # Header timestamp should be acquisition time of image
                             # Header frame_id should be optical frame of camera
                             # origin of frame should be optical center of cameara
                             # +x should point to the right in the image
                             # +y should point down in the image
                             # +z should point into to plane of the image

string format                # Specifies the format of the data
                             # Acceptable values differ by the image transport used:
                             # - compressed_image_transport:
                             #     ORIG_PIXFMT; CODEC compressed [COMPRESSED_PIXFMT]
                             #   where:
                             #   - ORIG_PIXFMT is pixel format of the raw image, i.e.
                             #     the content of sensor_msgs/Image/encoding with
                             #     values from include/sensor_msgs/image_encodings.h
                             #   - CODEC is one of [jpeg, png, tiff]
                             #   - COMPRESSED_PIXFMT is only appended for color images
                             #     and is the pixel format used by the compression
                             #     algorithm. Valid values for jpeg encoding are:
                             #     [bgr8, rgb8]. Valid values for png encoding are:
                             #     [bgr8, rgb8, bgr16, rgb16].
                             #   If the field is empty or does not correspond to the
                             #   above pattern, the image is treated as bgr8 or mono8
                             #   jpeg image (depending on the number of channels).
                             # - compressed_depth_image_transport:
                             #     ORIG_PIXFMT; compressedDepth CODEC
                             #   where:
                             #   - ORIG_PIXFMT is pixel format of the raw image, i.e.
                             #     the content of sensor_msgs/Image/encoding with
                             #     values from include/sensor_msgs/image_encodings.h
                             #     It is usually one of [16UC1, 32FC1].
                             #   - CODEC is one of [png, rvl]
                             #   If the field is empty or does not correspond to the
                             #   above pattern, the image is treated as png image.
                             # - Other image transports can store whatever values they
                             #   need for successful decoding of the image. Refer to
                             #   documentation of the other transports for details.

uint8[] data                 # Compressed image buffer
`,
  'sensor_msgs/msg/CameraInfo': `# This message defines meta information for a camera. It should be in a
# camera namespace on topic "camera_info" and accompanied by up to five
# image topics named:
#
#   image_raw - raw data from the camera driver, possibly Bayer encoded
#   image            - monochrome, distorted
#   image_color      - color, distorted
#   image_rect       - monochrome, rectified
#   image_rect_color - color, rectified
#
# The image_pipeline contains packages (image_proc, stereo_image_proc)
# for producing the four processed image topics from image_raw and
# camera_info. The meaning of the camera parameters are described in
# detail at http://www.ros.org/wiki/image_pipeline/CameraInfo.
#
# The image_geometry package provides a user-friendly interface to
# common operations using this meta information. If you want to, e.g.,
# project a 3d point into image coordinates, we strongly recommend
# using image_geometry.
#
# If the camera is uncalibrated, the matrices D, K, R, P should be left
# zeroed out. In particular, clients may assume that K[0] == 0.0
# indicates an uncalibrated camera.

#######################################################################
#                     Image acquisition info                          #
#######################################################################

# Time of image acquisition, camera coordinate frame ID
std_msgs/Header header # Header timestamp should be acquisition time of image
                             # Header frame_id should be optical frame of camera
                             # origin of frame should be optical center of camera
                             # +x should point to the right in the image
                             # +y should point down in the image
                             # +z should point into the plane of the image


#######################################################################
#                      Calibration Parameters                         #
#######################################################################
# These are fixed during camera calibration. Their values will be the #
# same in all messages until the camera is recalibrated. Note that    #
# self-calibrating systems may "recalibrate" frequently.              #
#                                                                     #
# The internal parameters can be used to warp a raw (distorted) image #
# to:                                                                 #
#   1. An undistorted image (requires D and K)                        #
#   2. A rectified image (requires D, K, R)                           #
# The projection matrix P projects 3D points into the rectified image.#
#######################################################################

# The image dimensions with which the camera was calibrated.
# Normally this will be the full camera resolution in pixels.
uint32 height
uint32 width

# The distortion model used. Supported models are listed in
# sensor_msgs/distortion_models.hpp. For most cameras, "plumb_bob" - a
# simple model of radial and tangential distortion - is sufficent.
string distortion_model

# The distortion parameters, size depending on the distortion model.
# For "plumb_bob", the 5 parameters are: (k1, k2, t1, t2, k3).
float64[] d

# Intrinsic camera matrix for the raw (distorted) images.
#     [fx  0 cx]
# K = [ 0 fy cy]
#     [ 0  0  1]
# Projects 3D points in the camera coordinate frame to 2D pixel
# coordinates using the focal lengths (fx, fy) and principal point
# (cx, cy).
float64[9]  k # 3x3 row-major matrix

# Rectification matrix (stereo cameras only)
# A rotation matrix aligning the camera coordinate system to the ideal
# stereo image plane so that epipolar lines in both stereo images are
# parallel.
float64[9]  r # 3x3 row-major matrix

# Projection/camera matrix
#     [fx'  0  cx' Tx]
# P = [ 0  fy' cy' Ty]
#     [ 0   0   1   0]
# By convention, this matrix specifies the intrinsic (camera) matrix
#  of the processed (rectified) image. That is, the left 3x3 portion
#  is the normal camera intrinsic matrix for the rectified image.
# It projects 3D points in the camera coordinate frame to 2D pixel
#  coordinates using the focal lengths (fx', fy') and principal point
#  (cx', cy') - these may differ from the values in K.
# For monocular cameras, Tx = Ty = 0. Normally, monocular cameras will
#  also have R = the identity and P[1:3,1:3] = K.
# For a stereo pair, the fourth column [Tx Ty 0]' is related to the
#  position of the optical center of the second camera in the first
#  camera's frame. We assume Tz = 0 so both cameras are in the same
#  stereo image plane. The first camera always has Tx = Ty = 0. For
#  the right (second) camera of a horizontal stereo pair, Ty = 0 and
#  Tx = -fx' * B, where B is the baseline between the cameras.
# Given a 3D point [X Y Z]', the projection (x, y) of the point onto
#  the rectified image is given by:
#  [u v w]' = P * [X Y Z 1]'
#         x = u / w
#         y = v / w
#  This holds for both images of a stereo pair.
float64[12] p # 3x4 row-major matrix


#######################################################################
#                      Operational Parameters                         #
#######################################################################
# These define the image region actually captured by the camera       #
# driver. Although they affect the geometry of the output image, they #
# may be changed freely without recalibrating the camera.             #
#######################################################################

# Binning refers here to any camera setting which combines rectangular
#  neighborhoods of pixels into larger "super-pixels." It reduces the
#  resolution of the output image to
#  (width / binning_x) x (height / binning_y).
# The default values binning_x = binning_y = 0 is considered the same
#  as binning_x = binning_y = 1 (no subsampling).
uint32 binning_x
uint32 binning_y

# Region of interest (subwindow of full camera resolution), given in
#  full resolution (unbinned) image coordinates. A particular ROI
#  always denotes the same window of pixels on the camera sensor,
#  regardless of binning settings.
# The default setting of roi (all values 0) is considered the same as
#  full resolution (roi.width = width, roi.height = height).
RegionOfInterest roi
`,
  'sensor_msgs/msg/RegionOfInterest': `# This message is used to specify a region of interest within an image.
#
# When used to specify the ROI setting of the camera when the image was
# taken, the height and width fields should either match the height and
# width fields for the associated image; or height = width = 0
# indicates that the full resolution image was captured.

uint32 x_offset  # Leftmost pixel of the ROI
                 # (0 if the ROI includes the left edge of the image)
uint32 y_offset  # Topmost pixel of the ROI
                 # (0 if the ROI includes the top edge of the image)
uint32 height    # Height of ROI
uint32 width     # Width of ROI

# True if a distinct rectified ROI should be calculated from the "raw"
# ROI in this message. Typically this should be False if the full image
# is captured (ROI not used), and True if a subwindow is captured (ROI
# used).
bool do_rectify
`,
  'geometry_msgs/msg/Point': `# This contains the position of a point in free space
float64 x
float64 y
float64 z
`,
  'geometry_msgs/msg/Quaternion': `# This represents an orientation in free space in quaternion form.

float64 x 0
float64 y 0
float64 z 0
float64 w 1
`,
  'geometry_msgs/msg/Pose': `# A representation of pose in free space, composed of position and orientation.

Point position
Quaternion orientation
`,
  'geometry_msgs/msg/PoseStamped': `# A Pose with reference coordinate frame and timestamp

std_msgs/Header header
Pose pose
`,
  'geometry_msgs/msg/PoseArray': `# An array of poses with a header for global reference.

std_msgs/Header header

Pose[] poses
`,
  'geometry_msgs/msg/PointStamped': `# This represents a Point with reference coordinate frame and timestamp

std_msgs/Header header
Point point
`,
  'geometry_msgs/msg/Vector3': `# This represents a vector in free space.

# This is semantically different than a point.
# A vector is always anchored at the origin.
# When a transform is applied to a vector, only the rotational component is applied.

float64 x
float64 y
float64 z
`,
  'geometry_msgs/msg/Transform': `# This represents the transform between two coordinate frames in free space.

Vector3 translation
Quaternion rotation
`,
  'geometry_msgs/msg/TransformStamped': `# This expresses a transform from coordinate frame header.frame_id
# to the coordinate frame child_frame_id at the time of header.stamp
#
# This message is mostly used by the
# <a href="https://docs.ros.org/en/rolling/p/tf2/">tf2</a> package.
# See its documentation for more information.
#
# The child_frame_id is necessary in addition to the frame_id
# in the Header to communicate the full reference for the transform
# in a self contained message.

# The frame id in the header is used as the reference frame of this transform.
std_msgs/Header header

# The frame id of the child frame to which this transform points.
string child_frame_id

# Translation and rotation in 3-dimensions of child_frame_id from header.frame_id.
Transform transform
`,
  'geometry_msgs/msg/PoseWithCovariance': `# This represents a pose in free space with uncertainty.

Pose pose

# Row-major representation of the 6x6 covariance matrix
# The orientation parameters use a fixed-axis representation.
# In order, the parameters are:
# (x, y, z, rotation about X axis, rotation about Y axis, rotation about Z axis)
float64[36] covariance
`,
  'geometry_msgs/msg/PoseWithCovarianceStamped': `# This expresses an estimated pose with a reference coordinate frame and timestamp

std_msgs/Header header
PoseWithCovariance pose
`,
  'geometry_msgs/msg/Point32': `# This contains the position of a point in free space(with 32 bits of precision).
# It is recommended to use Point wherever possible instead of Point32.
#
# This recommendation is to promote interoperability.
#
# This message is designed to take up less space when sending
# lots of points at once, as in the case of a PointCloud.

float32 x
float32 y
float32 z
`,
  'geometry_msgs/msg/Polygon': `# A specification of a polygon where the first and last points are assumed to be connected

Point32[] points
`,
  'tf2_msgs/msg/TFMessage': `geometry_msgs/TransformStamped[] transforms
`,
  'visualization_msgs/msg/Marker': `# See:
#  - http://www.ros.org/wiki/rviz/DisplayTypes/Marker
#  - http://www.ros.org/wiki/rviz/Tutorials/Markers%3A%20Basic%20Shapes
#
# for more information on using this message with rviz.

int32 ARROW=0
int32 CUBE=1
int32 SPHERE=2
int32 CYLINDER=3
int32 LINE_STRIP=4
int32 LINE_LIST=5
int32 CUBE_LIST=6
int32 SPHERE_LIST=7
int32 POINTS=8
int32 TEXT_VIEW_FACING=9
int32 MESH_RESOURCE=10
int32 TRIANGLE_LIST=11
int32 ARROW_STRIP=12

int32 ADD=0
int32 MODIFY=0
int32 DELETE=2
int32 DELETEALL=3

# Header for timestamp and frame id.
std_msgs/Header header
# Namespace in which to place the object.
# Used in conjunction with id to create a unique name for the object.
string ns
# Object ID used in conjunction with the namespace for manipulating and deleting the object later.
int32 id
# Type of object.
int32 type
# Action to take; one of:
#  - 0 add/modify an object
#  - 1 (deprecated)
#  - 2 deletes an object (with the given ns and id)
#  - 3 deletes all objects (or those with the given ns if any)
int32 action
# Pose of the object with respect the frame_id specified in the header.
geometry_msgs/Pose pose
# Scale of the object; 1,1,1 means default (usually 1 meter square).
geometry_msgs/Vector3 scale
# Color of the object; in the range: [0.0-1.0]
std_msgs/ColorRGBA color
# How long the object should last before being automatically deleted.
# 0 indicates forever.
builtin_interfaces/Duration lifetime
# If this marker should be frame-locked, i.e. retransformed into its frame every timestep.
bool frame_locked

# Only used if the type specified has some use for them (eg. POINTS, LINE_STRIP, ARROW_STRIP, etc.)
geometry_msgs/Point[] points
# Only used if the type specified has some use for them (eg. POINTS, LINE_STRIP, etc.)
# The number of colors provided must either be 0 or equal to the number of points provided.
# NOTE: alpha is not yet used
std_msgs/ColorRGBA[] colors

# Texture resource is a special URI that can either reference a texture file in
# a format acceptable to (resource retriever)[https://docs.ros.org/en/rolling/p/resource_retriever/]
# or an embedded texture via a string matching the format:
#   "embedded://texture_name"
string texture_resource
# An image to be loaded into the rendering engine as the texture for this marker.
# This will be used iff texture_resource is set to embedded.
sensor_msgs/CompressedImage texture
# Location of each vertex within the texture; in the range: [0.0-1.0]
UVCoordinate[] uv_coordinates

# Only used for text markers
string text

# Only used for MESH_RESOURCE markers.
# Similar to texture_resource, mesh_resource uses resource retriever to load a mesh.
# Optionally, a mesh file can be sent in-message via the mesh_file field. If doing so,
# use the following format for mesh_resource:
#   "embedded://mesh_name"
string mesh_resource
MeshFile mesh_file
bool mesh_use_embedded_materials
`,
  'visualization_msgs/msg/MarkerArray': `Marker[] markers
`,
  'visualization_msgs/msg/UVCoordinate': `# Location of the pixel as a ratio of the width of a 2D texture.
# Values should be in range: [0.0-1.0].
float32 u
float32 v
`,
  'visualization_msgs/msg/MeshFile': `# Used to send raw mesh files.

# The filename is used for both debug purposes and to provide a file extension
# for whatever parser is used.
string filename

# This stores the raw text of the mesh file.
uint8[] data
`,
  'vision_msgs/msg/Detection3D': `# Defines a 3D detection result.
#
# This extends a basic 3D classification by including the pose of the
# detected object.

std_msgs/Header header

# Class probabilities. Does not have to include hypotheses for all possible
#   object ids, the scores for any ids not listed are assumed to be 0.
ObjectHypothesisWithPose[] results

# 3D bounding box surrounding the object.
BoundingBox3D bbox

# ID used for consistency across multiple detection messages. Detections
# of the same object in different detection messages should have the same id.
# This field may be empty.
string id

# Source data that generated this classification are not a part of the message.
# If you need to access them, use an exact or approximate time synchronizer in
# your code, as this message's header should match the header of the source
# data.
`,
  'vision_msgs/msg/Detection3DArray': `# A list of 3D detections, for a multi-object 3D detector.

std_msgs/Header header

# A list of the detected proposals. A multi-proposal detector might generate
#   this list with many candidate detections generated from a single input.
Detection3D[] detections
`,
  'vision_msgs/msg/ObjectHypothesis': `# An object hypothesis that contains no pose information.
# If you would like to define an array of ObjectHypothesis messages,
#   please see the Classification message type.

# The unique ID of the object class. To get additional information about
#   this ID, such as its human-readable class name, listeners should perform a
#   lookup in a metadata database. See vision_msgs/VisionInfo.msg for more detail.
string class_id

# The probability or confidence value of the detected object. By convention,
#   this value should lie in the range [0-1].
float64 score
`,
  'vision_msgs/msg/ObjectHypothesisWithPose': `# An object hypothesis that contains pose information.
# If you would like to define an array of ObjectHypothesisWithPose messages,
#   please see the Detection2D or Detection3D message types.

# The object hypothesis (ID and score).
ObjectHypothesis hypothesis

# The 6D pose of the object hypothesis. This pose should be
#   defined as the pose of some fixed reference point on the object, such as
#   the geometric center of the bounding box, the center of mass of the
#   object or the origin of a reference mesh of the object.
# Note that this pose is not stamped; frame information can be defined by
#   parent messages.
# Also note that different classes predicted for the same input data may have
#   different predicted 6D poses.
geometry_msgs/PoseWithCovariance pose
`,
  'vision_msgs/msg/BoundingBox3D': `# A 3D bounding box that can be positioned and rotated about its center (6 DOF)
# Dimensions of this box are in meters, and as such, it may be migrated to
#   another package, such as geometry_msgs, in the future.

# The 3D position and orientation of the bounding box center
geometry_msgs/Pose center

# The total size of the bounding box, in meters, surrounding the object's center
#   pose.
geometry_msgs/Vector3 size
`,
  'diagnostic_msgs/msg/DiagnosticArray': `# This message is used to send diagnostic information about the state of the robot.
std_msgs/Header header # for timestamp
DiagnosticStatus[] status # an array of components being reported on
`,
  'diagnostic_msgs/msg/DiagnosticStatus': `# This message holds the status of an individual component of the robot.

# Possible levels of operations.
byte OK=0
byte WARN=1
byte ERROR=2
byte STALE=3

# Level of operation enumerated above.
byte level
# A description of the test/component reporting.
string name
# A description of the status.
string message
# A hardware unique string.
string hardware_id
# An array of values associated with the status.
KeyValue[] values

`,
  'diagnostic_msgs/msg/KeyValue': `# What to label this value when viewing.
string key
# A value to track over time.
string value
`,
  'shape_msgs/msg/SolidPrimitive': `# Defines box, sphere, cylinder, cone and prism.
# All shapes are defined to have their bounding boxes centered around 0,0,0.

uint8 BOX=1
uint8 SPHERE=2
uint8 CYLINDER=3
uint8 CONE=4
uint8 PRISM=5

# The type of the shape
uint8 type

# The dimensions of the shape
float64[<=3] dimensions  # At no point will dimensions have a length > 3.

# The meaning of the shape dimensions: each constant defines the index in the 'dimensions' array.

# For type BOX, the X, Y, and Z dimensions are the length of the corresponding sides of the box.
uint8 BOX_X=0
uint8 BOX_Y=1
uint8 BOX_Z=2

# For the SPHERE type, only one component is used, and it gives the radius of the sphere.
uint8 SPHERE_RADIUS=0

# For the CYLINDER and CONE types, the center line is oriented along the Z axis.
# Therefore the CYLINDER_HEIGHT (CONE_HEIGHT) component of dimensions gives the
# height of the cylinder (cone).
# The CYLINDER_RADIUS (CONE_RADIUS) component of dimensions gives the radius of
# the base of the cylinder (cone).
# Cone and cylinder primitives are defined to be circular. The tip of the cone
# is pointing up, along +Z axis.

uint8 CYLINDER_HEIGHT=0
uint8 CYLINDER_RADIUS=1

uint8 CONE_HEIGHT=0
uint8 CONE_RADIUS=1

# For the type PRISM, the center line is oriented along Z axis.
# The PRISM_HEIGHT component of dimensions gives the
# height of the prism.
# The polygon defines the Z axis centered base of the prism.
# The prism is constructed by extruding the base in +Z and -Z
# directions by half of the PRISM_HEIGHT
# Only x and y fields of the points are used in the polygon.
# Points of the polygon are ordered counter-clockwise.

uint8 PRISM_HEIGHT=0
geometry_msgs/Polygon polygon
`,
  'shape_msgs/msg/Mesh': `# Definition of a mesh.

# List of triangles; the index values refer to positions in vertices[].
MeshTriangle[] triangles

# The actual vertices that make up the mesh.
geometry_msgs/Point[] vertices
`,
  'shape_msgs/msg/MeshTriangle': `# Definition of a triangle's vertices.

uint32[3] vertex_indices
`,
  'shape_msgs/msg/Plane': `# Representation of a plane, using the plane equation ax + by + cz + d = 0.
#
# a := coef[0]
# b := coef[1]
# c := coef[2]
# d := coef[3]
float64[4] coef
`,
  'object_recognition_msgs/msg/ObjectType': `################################################## OBJECT ID #########################################################

# Contains information about the type of a found object. Those two sets of parameters together uniquely define an
# object

# The key of the found object: the unique identifier in the given db
string key

# The db parameters stored as a JSON/compressed YAML string. An object id does not make sense without the corresponding
# database. E.g., in object_recognition, it can look like: "{'type':'CouchDB', 'root':'http://localhost'}"
# There is no conventional format for those parameters and it's nice to keep that flexibility.
# The object_recognition_core as a generic DB type that can read those fields
# Current examples:
# For CouchDB:
#   type: 'CouchDB'
#   root: 'http://localhost:5984'
#   collection: 'object_recognition'
# For SQL household database:
#   type: 'SqlHousehold'
#   host: 'wgs36'
#   port: 5432
#   user: 'willow'
#   password: 'willow'
#   name: 'household_objects'
#   module: 'tabletop'
string db
`,
  'moveit_msgs/msg/CollisionObject': `# a header, used for interpreting the poses
std_msgs/Header header

# The object's pose relative to the header frame.
# The shapes and subframe poses are defined relative to this pose.
geometry_msgs/Pose pose

# The id of the object (name used in MoveIt)
string id

# The object type in a database of known objects
object_recognition_msgs/ObjectType type

# The collision geometries associated with the object.
# Their poses are with respect to the object's pose

# Solid geometric primitives
shape_msgs/SolidPrimitive[] primitives
geometry_msgs/Pose[] primitive_poses

# Meshes
shape_msgs/Mesh[] meshes
geometry_msgs/Pose[] mesh_poses

# Bounding planes (equation is specified, but the plane can be oriented using an additional pose)
shape_msgs/Plane[] planes
geometry_msgs/Pose[] plane_poses

# Named subframes on the object. Use these to define points of interest on the object that you want
# to plan with (e.g. "tip", "spout", "handle"). The id of the object will be prepended to the subframe.
# If an object with the id "screwdriver" and a subframe "tip" is in the scene, you can use the frame
# "screwdriver/tip" for planning.
# The length of the subframe_names and subframe_poses has to be identical.
string[] subframe_names
geometry_msgs/Pose[] subframe_poses

# Adds the object to the planning scene. If the object previously existed, it is replaced.
byte ADD=0

# Removes the object from the environment entirely (everything that matches the specified id)
byte REMOVE=1

# Append to an object that already exists in the planning scene. If the object does not exist, it is added.
byte APPEND=2

# If an object already exists in the scene, new poses can be sent (the geometry arrays must be left empty)
# if solely moving the object is desired
byte MOVE=3

# Operation to be performed
byte operation
`,
  'nav2_msgs/action/NavigateToPose_Goal': `#goal definition
geometry_msgs/PoseStamped pose
string behavior_tree
`,
  'nav2_msgs/action/NavigateToPose_Result': `#result definition

# Error codes
# Note: The expected priority order of the errors should match the message order
uint16 NONE=0

uint16 error_code
string error_msg
`,
  'nav2_msgs/action/NavigateToPose_Feedback': `#feedback definition
geometry_msgs/PoseStamped current_pose
builtin_interfaces/Duration navigation_time
builtin_interfaces/Duration estimated_time_remaining
int16 number_of_recoveries
float32 distance_remaining
`,
};

// `pkg/Name` and `pkg/msg/Name` name a message; `pkg/action/Name_Goal` (_Result, _Feedback) an action's parts.
const TYPE_NAME = /^([A-Za-z0-9_]+)\/(?:(msg|action)\/)?([A-Za-z0-9_]+)$/;

function fullName(type: string): string | null {
  const m = TYPE_NAME.exec(type);
  return m ? `${m[1]}/${m[2] ?? 'msg'}/${m[3]}` : null;
}

/** `sensor_msgs/Image` or `sensor_msgs/msg/Image` -> `sensor_msgs/msg/Image`; throws for names we do not carry. */
export function normalizeTypeName(type: string): string {
  const full = fullName(type) ?? type;
  if (!Object.hasOwn(MSG_DEFINITIONS, full)) throw new UnknownMessageTypeError(type);
  return full;
}

/** True when we carry a definition for `type` (either spelling). */
export function isKnownType(type: string): boolean {
  const full = fullName(type);
  return full !== null && Object.hasOwn(MSG_DEFINITIONS, full);
}

// rosbag2's own rules (rosbag2_cpp local_message_definition_source.cpp): field types are found with this regex,
// primitives skipped, a type without a package belongs to the package of the file that names it.
const FIELD_TYPE = /(?:^|\n)\s*([a-zA-Z0-9_/]+)(?:\[[^\]]*\])?\s+/g;
const PRIMITIVES = new Set([
  'bool', 'byte', 'char', 'float32', 'float64', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64',
  'uint64', 'string',
]);

function dependenciesOf(text: string, pkg: string): string[] {
  const deps = new Set<string>();
  for (const m of text.matchAll(FIELD_TYPE)) {
    const t = m[1]!;
    if (PRIMITIVES.has(t)) continue;
    deps.add(t.includes('/') ? t : `${pkg}/${t}`);
  }
  // std::set iterates in byte order; our names are ASCII, so a plain sort matches.
  return [...deps].sort();
}

const DELIMITER = '================================================================================\n';

/**
 * The full `ros2msg` schema text for an MCAP Schema record, built exactly as rosbag2 builds it: the type's own
 * .msg text, then for each dependency (depth first, in sorted order, each once) a blank line, the 80 '=' line,
 * `MSG: pkg/Name` and that dependency's text.
 */
export function ros2msgSchema(type: string): string {
  const seen = new Set<string>();
  const append = (name: string): string => {
    const full = normalizeTypeName(name);
    const pkg = full.slice(0, full.indexOf('/'));
    const text = MSG_DEFINITIONS[full]!;
    let result = text;
    for (const dep of dependenciesOf(text, pkg)) {
      if (seen.has(dep)) continue;
      seen.add(dep);
      result += `\n${DELIMITER}MSG: ${dep}\n${append(dep)}`;
    }
    return result;
  };
  return append(type);
}

const parsedCache = new Map<string, MessageDefinition[]>();

/** Parsed definitions (root first, then dependencies) for @foxglove/rosmsg2-serialization's reader and writer. */
export function parsedDefinitions(type: string): MessageDefinition[] {
  const full = normalizeTypeName(type);
  let defs = parsedCache.get(full);
  if (!defs) {
    defs = parse(ros2msgSchema(full), { ros2: true });
    parsedCache.set(full, defs);
  }
  return defs;
}
