#!/usr/bin/env bash
# End-to-end smoke test of the ROS 2 node on a machine with ROS 2 (Humble or Jazzy) sourced. Not run in CI.
#
#   source /opt/ros/jazzy/setup.bash && npm ci        # rclnodejs builds against the sourced distro
#   scripts/ros-smoke.sh                              # uses a scripted fake Molmo server
#   MOLMO_URL=http://gpu-box:8000 MOLMO_FAMILY=molmo scripts/ros-smoke.sh    # against a real Molmo server
#
# It builds interfaces/ with colcon (into a temporary folder), regenerates rclnodejs' message classes so the
# PointAt action and service load, starts the node on the bundled demo recording's topics, plays the recording
# (ros2 bag play, looping), sends a query on ~/point_at and checks that a waypoint arrives on ~/waypoints in the
# `map` frame; with the interfaces built it also sends a PointAt action goal and checks its result. Every wait
# has a timeout; the exit code says whether it passed. Needs: ros2 CLI, colcon, Node 20. The recording is played
# with `ros2 bag play` when rosbag2 and its MCAP storage plugin are there (default on Jazzy;
# ros-humble-rosbag2-storage-mcap on Humble), else with `molmo-waypoints play` (rclnodejs, no rosbag2);
# SMOKE_PLAYER=bag or SMOKE_PLAYER=play chooses.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
WORK=""
TIMEOUT_S="${SMOKE_TIMEOUT_S:-60}"
PIDS=()

log() { printf '[ros-smoke] %s\n' "$*"; }
fail() { log "FAIL: $*"; exit 1; }
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$WORK" ]; then log "logs kept in $WORK"; fi
}
trap cleanup EXIT

[ -n "${ROS_DISTRO:-}" ] || fail "ROS 2 is not sourced: source /opt/ros/<distro>/setup.bash first"
for tool in ros2 colcon node npx; do command -v "$tool" >/dev/null || fail "$tool not found"; done
[ -d node_modules/rclnodejs ] || fail "rclnodejs is not installed: run 'npm run install-rclnodejs' (it shows why its build fails)"
DEMO=demo/redwood_livingroom1.mcap
# The player, chosen up front: without rosbag2 (or its MCAP plugin) `ros2 bag play` would fail only after the
# node started, as "no waypoint within ${TIMEOUT_S}s".
PLAYER="${SMOKE_PLAYER:-}"
if [ -z "$PLAYER" ]; then
  if ros2 bag info "$DEMO" >/dev/null 2>&1; then PLAYER=bag; else PLAYER=play; fi
fi
case "$PLAYER" in
  bag) ros2 bag info "$DEMO" >/dev/null 2>&1 || fail "SMOKE_PLAYER=bag, but 'ros2 bag info $DEMO' fails: install rosbag2 and its MCAP storage plugin (ros-$ROS_DISTRO-rosbag2-storage-mcap)" ;;
  play) log "ros2 bag cannot read $DEMO (rosbag2 or its MCAP storage plugin missing, or SMOKE_PLAYER=play): replaying with molmo-waypoints play" ;;
  *) fail "SMOKE_PLAYER must be bag or play, got '$PLAYER'" ;;
esac
WORK="$(mktemp -d -t molmo-ros-smoke-XXXXXX)"

log "building interfaces/ with colcon (ROS 2 $ROS_DISTRO)"
colcon --log-base "$WORK/log" build --base-paths interfaces --build-base "$WORK/build" --install-base "$WORK/install" \
  >"$WORK/colcon.log" 2>&1 || { tail -n 30 "$WORK/colcon.log"; fail "colcon build of interfaces/ failed"; }
# shellcheck disable=SC1091
set +u; source "$WORK/install/setup.bash"; set -u
log "regenerating rclnodejs messages (now including molmo_waypoints_interfaces)"
npx --no-install generate-ros-messages >"$WORK/generate.log" 2>&1 || { tail -n 30 "$WORK/generate.log"; fail "generate-ros-messages failed"; }

if [ -z "${MOLMO_URL:-}" ]; then
  log "starting a fake Molmo server (answers: the point at 50 %, 60 % of the image)"
  node --import tsx -e "
    import('./test/helpers/fake-molmo-server.ts').then(async ({ startFakeMolmoServer }) => {
      const s = await startFakeMolmoServer({ fallback: { answer: '<point x=\"50\" y=\"60\" alt=\"sofa\">sofa</point>' }, model: 'fake-molmo' });
      console.log(s.url);
    });" >"$WORK/molmo.url" 2>"$WORK/molmo.log" &
  PIDS+=($!)
  for _ in $(seq 1 50); do [ -s "$WORK/molmo.url" ] && break; sleep 0.2; done
  MOLMO_URL="$(head -n 1 "$WORK/molmo.url")"
  [ -n "$MOLMO_URL" ] || fail "the fake Molmo server did not start (see $WORK/molmo.log)"
  MOLMO_FAMILY=molmo
fi
log "Molmo at $MOLMO_URL (family ${MOLMO_FAMILY:-molmo})"

log "starting the node"
node --import tsx src/cli.ts run --config examples/config.yaml --ros on \
  --set source.type=none --set console.enabled=false --set recording.enabled=false \
  --ros-args --params-file launch/molmo_waypoints.params.yaml --params-file launch/demo.params.yaml \
  -p "model.urls:=[\"$MOLMO_URL\"]" -p "model.family:=${MOLMO_FAMILY:-molmo}" \
  >"$WORK/node.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 "$((TIMEOUT_S * 5))"); do
  grep -q "molmo_waypoints ready" "$WORK/node.log" && break
  kill -0 "${PIDS[-1]}" 2>/dev/null || { cat "$WORK/node.log"; fail "the node exited"; }
  sleep 0.2
done
grep -q "molmo_waypoints ready" "$WORK/node.log" || { cat "$WORK/node.log"; fail "the node did not become ready in ${TIMEOUT_S}s"; }

log "playing $DEMO (looping, with $PLAYER)"
if [ "$PLAYER" = bag ]; then
  ros2 bag play "$DEMO" --loop >"$WORK/player.log" 2>&1 &
else
  node --import tsx src/cli.ts play "$DEMO" >"$WORK/player.log" 2>&1 &
fi
PIDS+=($!)
sleep 3
kill -0 "${PIDS[-1]}" 2>/dev/null || { cat "$WORK/player.log"; fail "the player ($PLAYER) exited"; }

log "waiting for a waypoint on /molmo_waypoints/waypoints"
timeout "$TIMEOUT_S" ros2 topic echo --once /molmo_waypoints/waypoints geometry_msgs/msg/PoseArray >"$WORK/waypoints.txt" 2>&1 &
ECHO_PID=$!
PIDS+=("$ECHO_PID")
sleep 2
ros2 topic pub --once /molmo_waypoints/point_at std_msgs/msg/String "{data: 'the sofa'}" >"$WORK/pub.log" 2>&1
wait "$ECHO_PID" || { cat "$WORK/node.log"; fail "no waypoint within ${TIMEOUT_S}s"; }
grep -q "frame_id: map" "$WORK/waypoints.txt" || { cat "$WORK/waypoints.txt"; fail "the waypoint is not in the map frame"; }
grep -q "position:" "$WORK/waypoints.txt" || { cat "$WORK/waypoints.txt"; fail "the PoseArray has no pose"; }
log "waypoint received:"
sed -n '1,20p' "$WORK/waypoints.txt"

if ros2 interface show molmo_waypoints_interfaces/action/PointAt >/dev/null 2>&1; then
  log "sending a PointAt action goal"
  timeout "$TIMEOUT_S" ros2 action send_goal --feedback /molmo_waypoints/point_at molmo_waypoints_interfaces/action/PointAt \
    "{query: 'the sofa', mode: point, target_frame: map, max_points: 1}" >"$WORK/action.txt" 2>&1 \
    || { cat "$WORK/action.txt"; fail "the PointAt action did not finish"; }
  grep -q "status: ok" "$WORK/action.txt" || { cat "$WORK/action.txt"; fail "the PointAt result is not ok"; }
  grep -q "stage: point" "$WORK/action.txt" || { cat "$WORK/action.txt"; fail "no feedback for the point stage"; }
  log "PointAt action: ok"
fi

log "PASS"
