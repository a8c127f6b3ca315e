#!/usr/bin/python3
# OpenCV side of bench/geometry.bench.ts: the same undistort + lift work, timed inside Python.
# stdin: JSON {"jobs": [{"model", "K", "D", "points": file of float64 u,v pairs, "corners": file, "rays_out": file,
#        "rounds", "eps", "max_count"}]}; stdout: JSON with per-job median times and undistorted corner rays;
# the iterated rays of all points go to rays_out (float64 x,y pairs) so the caller can check convergence.
import json
import sys
import time

import cv2
import numpy as np


def undistort_iter(model, pts, K, D, criteria):
    if model == 'equidistant':
        return cv2.fisheye.undistortPoints(pts, K, D, criteria=criteria)
    return cv2.undistortPointsIter(pts, K, D, None, None, criteria)


def undistort_default(model, pts, K, D):
    if model == 'equidistant':
        return cv2.fisheye.undistortPoints(pts, K, D)
    return cv2.undistortPoints(pts, K, D)


def main():
    req = json.load(sys.stdin)
    out = []
    for job in req['jobs']:
        K = np.array(job['K'], dtype=np.float64).reshape(3, 3)
        D = np.array(job['D'], dtype=np.float64)
        pts = np.fromfile(job['points'], dtype=np.float64).reshape(-1, 1, 2)
        depth = np.full((pts.shape[0], 1), 1.5)
        model = job['model']
        # Pixel-error criterion for the polynomial models; fisheye's epsilon is on θ (radians), scaled to match.
        eps = job['eps'] if model != 'equidistant' else job['eps'] / K[0, 0]
        criteria = (cv2.TERM_CRITERIA_COUNT | cv2.TERM_CRITERIA_EPS, job['max_count'], eps)

        def work():
            rays = undistort_iter(model, pts, K, D, criteria).reshape(-1, 2)
            return np.hstack([rays * depth, depth])  # the lift: (x·z, y·z, z)

        for _ in range(2):
            work()
        times = []
        for _ in range(job['rounds']):
            t0 = time.perf_counter()
            work()
            times.append((time.perf_counter() - t0) * 1000)
        undistort_iter(model, pts, K, D, criteria).astype(np.float64).tofile(job['rays_out'])
        corners = np.fromfile(job['corners'], dtype=np.float64).reshape(-1, 1, 2)
        out.append({
            'median_ms': float(np.median(times)),
            'corner_default': undistort_default(model, corners, K, D).reshape(-1).tolist(),
            'corner_iter': undistort_iter(model, corners, K, D, criteria).reshape(-1).tolist(),
        })
    json.dump({'version': cv2.__version__, 'results': out}, sys.stdout)


if __name__ == '__main__':
    main()
