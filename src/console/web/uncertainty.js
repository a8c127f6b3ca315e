// A waypoint's uncertainty (its 3×3 position covariance, row-major, m², in the waypoint's frame) as the page shows
// it: the 1σ ellipsoid in the 3D view (semi-axes √λ along the eigenvectors) and "± N mm" in the table (N = the
// largest semi-axis, the 1σ error along the worst direction). The page is plain ES modules without a build step,
// so the small Jacobi eigen solver of src/geometry/eigen3.ts is written once more here for the browser.

/** Eigen decomposition of a symmetric 3×3 matrix: values (descending) and unit vectors, or null when not finite. */
export function symmetricEigen(m) {
  if (!Array.isArray(m) || m.length !== 9 || !m.every(Number.isFinite)) return null;
  const a = [[m[0], m[1], m[2]], [m[3], m[4], m[5]], [m[6], m[7], m[8]]];
  // Symmetrise (a covariance is symmetric up to rounding).
  for (let i = 0; i < 3; i++) for (let j = i + 1; j < 3; j++) a[i][j] = a[j][i] = (a[i][j] + a[j][i]) / 2;
  const v = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  for (let sweep = 0; sweep < 50; sweep++) {
    const off = a[0][1] ** 2 + a[0][2] ** 2 + a[1][2] ** 2;
    if (off < 1e-30) break;
    for (const [p, q] of [[0, 1], [0, 2], [1, 2]]) {
      if (Math.abs(a[p][q]) < 1e-300) continue;
      const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1);
      const s = t * c;
      for (let k = 0; k < 3; k++) {
        const akp = a[k][p];
        const akq = a[k][q];
        a[k][p] = c * akp - s * akq;
        a[k][q] = s * akp + c * akq;
      }
      for (let k = 0; k < 3; k++) {
        const apk = a[p][k];
        const aqk = a[q][k];
        a[p][k] = c * apk - s * aqk;
        a[q][k] = s * apk + c * aqk;
      }
      for (let k = 0; k < 3; k++) {
        const vkp = v[k][p];
        const vkq = v[k][q];
        v[k][p] = c * vkp - s * vkq;
        v[k][q] = s * vkp + c * vkq;
      }
    }
  }
  return [0, 1, 2]
    .map((i) => ({ value: a[i][i], vector: [v[0][i], v[1][i], v[2][i]] }))
    .sort((x, y) => y.value - x.value)
    .reduce((out, e) => (out.values.push(e.value), out.vectors.push(e.vector), out), { values: [], vectors: [] });
}

/** 1σ semi-axes (m, descending) and their directions, or null for a missing or non-positive-semidefinite matrix. */
export function ellipsoidOf(covariance) {
  const eigen = symmetricEigen(covariance);
  if (!eigen || eigen.values[2] < -1e-12) return null;
  return { radii: eigen.values.map((value) => Math.sqrt(Math.max(0, value))), axes: eigen.vectors };
}

/** "± 12 mm" (1σ along the worst direction), or null when the waypoint has no covariance. */
export function uncertaintyText(covariance) {
  const ellipsoid = ellipsoidOf(covariance);
  return ellipsoid ? `± ${Math.round(ellipsoid.radii[0] * 1000)} mm` : null;
}

/** The object's box as "w×d×h mm" (its box axes x, y, z), or null. */
export function sizeText(object) {
  const size = object?.box?.size;
  if (!size || ![size.x, size.y, size.z].every(Number.isFinite)) return null;
  return `${[size.x, size.y, size.z].map((s) => Math.round(s * 1000)).join('×')} mm`;
}
