# molmo_waypoints: the node, the example robot and camera descriptions, and the camera calibration.
#
#   ros2 launch launch/molmo_waypoints.launch.py molmo_url:=http://gpu-box:8000
#   ros2 launch launch/molmo_waypoints.launch.py camera_namespace:=/camera/camera target_frame:=base_link \
#       molmo_url:=http://gpu-box:8000 publish_camera_description:=false     # realsense2_camera 4.x publishes its frames
#
# The node is a Node.js program, not a colcon package, so it starts with ExecuteProcess (`molmo-waypoints run
# --ros on ... --ros-args ...`): launch_ros's Node action needs an ament package index entry. Started this way the
# node is still named molmo_waypoints and takes --ros-args (params file, -p, remapping) like any ROS 2 node.
# Arguments (ros2 launch ... --show-args lists them):
#   camera_namespace     prefix of the camera topics: <ns>/color/image_raw, <ns>/aligned_depth_to_color/image_raw,
#                        <ns>/color/camera_info (default /camera)
#   color_transport      raw | compressed (<ns>/color/image_raw/compressed)
#   target_frame         frame of point and pick waypoints (default base_link)
#   molmo_url            Molmo server base URL(s), comma separated; empty: config file / MOLMO_URL
#   model_family         a model family (docs/pointing.md: molmo, molmo2, qwen2.5-vl, gemini-er, …); empty: config file / MOLMO_FAMILY
#   params_file          the node's parameters (default: molmo_waypoints.params.yaml next to this file)
#   config               molmo-waypoints YAML config: console, recording, model defaults (default examples/config.yaml)
#   calibration          easy_handeye2 .calib file (default calibration/handeye_eye_on_base.calib; empty: none)
#   calibration_publisher  node (the node publishes it, attached to calibration_attach_frame) |
#                        tf2 (a static_transform_publisher with the file's frames as written) | none
#   calibration_attach_frame  root of the camera's TF tree (default camera_link)
#   publish_robot_description   robot_state_publisher with urdf/table_arm.urdf (default true)
#   publish_camera_description  robot_state_publisher with urdf/d435_camera.urdf (default true; false when the
#                        camera driver publishes camera_link -> optical frames itself)
#   executable           the molmo-waypoints command (default: on PATH, else node <repo>/bin/molmo-waypoints.js)
import math
import os
import shutil

import yaml
from launch import LaunchDescription
from launch.actions import DeclareLaunchArgument, ExecuteProcess, LogInfo, OpaqueFunction
from launch.substitutions import LaunchConfiguration
from launch_ros.actions import Node

HERE = os.path.dirname(os.path.realpath(__file__))
ROOT = os.path.dirname(HERE)

ARGUMENTS = [
    ('camera_namespace', '/camera', 'Prefix of the camera topics'),
    ('color_transport', 'raw', 'raw | compressed'),
    ('target_frame', 'base_link', 'Frame of point and pick waypoints'),
    ('molmo_url', '', 'Molmo server base URL(s), comma separated; empty: config file / MOLMO_URL'),
    ('model_family', '', 'a model family (docs/pointing.md: molmo, molmo2, qwen2.5-vl, gemini-er, ...); empty: config file / MOLMO_FAMILY'),
    ('params_file', os.path.join(HERE, 'molmo_waypoints.params.yaml'), 'Parameters of the node'),
    ('config', os.path.join(ROOT, 'examples', 'config.yaml'), 'molmo-waypoints YAML config (console, recording, model defaults)'),
    ('calibration', os.path.join(ROOT, 'calibration', 'handeye_eye_on_base.calib'), 'easy_handeye2 .calib file; empty: none'),
    ('calibration_publisher', 'node', 'node | tf2 | none'),
    ('calibration_attach_frame', 'camera_link', 'Root of the camera TF tree the calibration attaches to (publisher node)'),
    ('publish_robot_description', 'true', 'robot_state_publisher with urdf/table_arm.urdf'),
    ('publish_camera_description', 'true', 'robot_state_publisher with urdf/d435_camera.urdf'),
    ('executable', '', 'molmo-waypoints command; empty: on PATH, else node bin/molmo-waypoints.js'),
]


def _flag(value):
    return value.strip().lower() in ('1', 'true', 'yes', 'on')


def _read(path):
    with open(path, 'r', encoding='utf-8') as f:
        return f.read()


def _hand_eye(path):
    """(parent, child, [x, y, z], [qx, qy, qz, qw]) from an easy_handeye2 .calib file (current and older layout)."""
    doc = yaml.safe_load(_read(path))
    p = doc['parameters']
    eye_in_hand = p.get('calibration_type') == 'eye_in_hand' or p.get('eye_on_hand') is True
    parent = p['robot_effector_frame'] if eye_in_hand else p['robot_base_frame']
    child = p['tracking_base_frame']
    if 'transform' in doc:
        t, r = doc['transform']['translation'], doc['transform']['rotation']
        xyz, q = [t['x'], t['y'], t['z']], [r['x'], r['y'], r['z'], r['w']]
    else:
        t = doc['transformation']
        xyz, q = [t['x'], t['y'], t['z']], [t['qx'], t['qy'], t['qz'], t['qw']]
    n = math.sqrt(sum(v * v for v in q))
    if not n > 0:
        raise RuntimeError(f'{path}: rotation has zero norm')
    return parent, child, [float(v) for v in xyz], [v / n for v in q]


def _command(executable):
    if executable:
        return executable.split()
    on_path = shutil.which('molmo-waypoints')
    return [on_path] if on_path else ['node', os.path.join(ROOT, 'bin', 'molmo-waypoints.js')]


def _setup(context):
    arg = {name: LaunchConfiguration(name).perform(context) for name, _, _ in ARGUMENTS}
    ns = '/' + arg['camera_namespace'].strip('/') if arg['camera_namespace'].strip('/') else ''
    actions = []

    overrides = [
        f"topics.color:={ns}/color/image_raw",
        f"topics.color_transport:={arg['color_transport']}",
        f"topics.depth:={ns}/aligned_depth_to_color/image_raw",
        f"topics.camera_info:={ns}/color/camera_info",
        f"frames.target:={arg['target_frame']}",
    ]
    urls = [u.strip() for u in arg['molmo_url'].split(',') if u.strip()]
    if urls:
        overrides.append('model.urls:=[' + ','.join(f'"{u}"' for u in urls) + ']')
    if arg['model_family']:
        overrides.append(f"model.family:={arg['model_family']}")

    calibration, publisher = arg['calibration'], arg['calibration_publisher']
    if calibration and publisher == 'node':
        overrides.append(f'tf.hand_eye:={calibration}')
        if arg['calibration_attach_frame']:
            overrides.append(f"tf.hand_eye_attach_frame:={arg['calibration_attach_frame']}")
    elif calibration and publisher == 'tf2':
        parent, child, xyz, q = _hand_eye(calibration)
        if _flag(arg['publish_camera_description']) and child != 'camera_link':
            actions.append(LogInfo(msg=f'calibration_publisher tf2 publishes {parent} -> {child} as written, but the camera '
                                       f'description already gives {child} a parent: use calibration_publisher:=node'))
        actions.append(Node(
            package='tf2_ros', executable='static_transform_publisher', name='hand_eye_calibration',
            arguments=['--x', str(xyz[0]), '--y', str(xyz[1]), '--z', str(xyz[2]),
                       '--qx', str(q[0]), '--qy', str(q[1]), '--qz', str(q[2]), '--qw', str(q[3]),
                       '--frame-id', parent, '--child-frame-id', child]))
    elif publisher not in ('node', 'tf2', 'none'):
        raise RuntimeError(f"calibration_publisher must be node, tf2 or none, got '{publisher}'")

    ros_args = ['--ros-args', '--params-file', arg['params_file']]
    for o in overrides:
        ros_args += ['-p', o]
    actions.append(ExecuteProcess(
        cmd=_command(arg['executable']) + ['run', '--config', arg['config'], '--ros', 'on', '--set', 'source.type=none'] + ros_args,
        name='molmo_waypoints', output='screen', emulate_tty=True))

    if _flag(arg['publish_robot_description']):
        actions.append(Node(
            package='robot_state_publisher', executable='robot_state_publisher', name='robot_state_publisher',
            parameters=[{'robot_description': _read(os.path.join(ROOT, 'urdf', 'table_arm.urdf'))}]))
    if _flag(arg['publish_camera_description']):
        # A second tree (root camera_link) in its own namespace so the two robot_description topics do not clash.
        actions.append(Node(
            package='robot_state_publisher', executable='robot_state_publisher', name='camera_state_publisher',
            namespace='camera_description',
            parameters=[{'robot_description': _read(os.path.join(ROOT, 'urdf', 'd435_camera.urdf'))}]))
    return actions


def generate_launch_description():
    return LaunchDescription(
        [DeclareLaunchArgument(name, default_value=default, description=doc) for name, default, doc in ARGUMENTS]
        + [OpaqueFunction(function=_setup)])
