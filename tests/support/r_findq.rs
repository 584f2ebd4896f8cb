//! R survival's reading of a quantile off a curve, replayed.

/// R survival 3.5's `findq` (inside `quantile.survfit`), replayed: the time at
/// which the curve `1 − curve` reaches `p`, with the midpoint rule at
/// tolerance √ε, `NA` (`None`) entries dropped as `approx` drops them.
pub fn r_findq(times: &[f64], curve: &[Option<f64>], p: f64) -> Option<f64> {
    let tol = f64::EPSILON.sqrt();
    // x = c(firstx = 0, time), y = c(0, 1 - curve).
    let mut x = vec![0.0];
    x.extend_from_slice(times);
    let mut y: Vec<Option<f64>> = vec![Some(0.0)];
    y.extend(curve.iter().map(|c| c.map(|v| 1.0 - v)));
    let max = y
        .iter()
        .flatten()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    if max < p {
        return None;
    }
    let xmax = *x.last().unwrap();
    // duplicated(y): keep the first occurrence of each value (NA included).
    let mut keep_x = vec![];
    let mut keep_y: Vec<Option<f64>> = vec![];
    for (xi, yi) in x.iter().zip(&y) {
        if !keep_y
            .iter()
            .any(|k| k.map(f64::to_bits) == yi.map(f64::to_bits))
        {
            keep_x.push(*xi);
            keep_y.push(*yi);
        }
    }
    // approx(y ± tol, 1:n, p, method = "constant", f = 1), rule = 1.
    let index = |shift: f64| -> Option<usize> {
        let mut pts: Vec<(f64, usize)> = keep_y
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| (v + shift, i)))
            .collect();
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (first, last) = (pts.first()?.0, pts.last()?.0);
        if p < first || p > last {
            return None;
        }
        let j = pts.partition_point(|q| q.0 < p);
        Some(pts[j].1)
    };
    let (i1, i2) = (index(tol), index(-tol));
    let mut quant = match (i1, i2) {
        (Some(a), Some(b)) => Some((keep_x[a] + keep_x[b]) / 2.0),
        _ => None,
    };
    if let (Some(last), Some(a)) = (*keep_y.last().unwrap(), i1) {
        if (p - last).abs() < tol {
            quant = Some((keep_x[a] + xmax) / 2.0);
        }
    }
    quant
}
