/// Thins a long series for drawing: a chart a few hundred pixels wide cannot show more points
/// than it has pixels, and a notebook redrawing the SVG every step should stay small. Each
/// bucket of consecutive points keeps its lowest and highest value, so spikes stay visible.
enum LineDecimation {
    /// At most about `limit` of `points` (all of them when there are no more), in order,
    /// the first and last included.
    static func reduce(_ points: [(step: Double, value: Double)], toAbout limit: Int) -> [(step: Double, value: Double)] {
        let buckets = max(1, limit / 2)
        guard points.count > max(2, limit) else { return points }
        var kept: [(step: Double, value: Double)] = [points[0]]
        let interior = points.count - 2
        for bucket in 0..<buckets {
            let start = 1 + bucket * interior / buckets, end = 1 + (bucket + 1) * interior / buckets
            guard start < end else { continue }
            var low = start, high = start
            for index in start..<end {
                if points[index].value < points[low].value { low = index }
                if points[index].value > points[high].value { high = index }
            }
            for index in Set([low, high]).sorted() { kept.append(points[index]) }
        }
        kept.append(points[points.count - 1])
        return kept
    }
}
