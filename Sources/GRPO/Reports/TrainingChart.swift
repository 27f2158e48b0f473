import Foundation
import TextFormats

/// One small line chart of a few series against the training step, written as SVG: nice axis
/// ticks, a light grid, each series as a faint raw line plus a bold exponentially smoothed one
/// (from eleven points on), and a legend when there are several series.
public struct TrainingChart {
    /// One series: a name for the legend and its (step, value) points. Non-finite values are skipped.
    public struct Line {
        public var name: String
        public var points: [(step: Double, value: Double)]

        public init(name: String, points: [(step: Double, value: Double)]) {
            self.name = name
            self.points = points
        }
    }

    public var title: String
    public var lines: [Line]
    /// Values the y axis always covers (e.g. 0 and 1 for fractions).
    public var alwaysShows: [Double]
    /// Said in the empty plot area when no line has a finite point.
    public var emptyNote: String

    public init(title: String, lines: [Line], alwaysShows: [Double] = [], emptyNote: String = "no data yet") {
        self.title = title
        self.lines = lines
        self.alwaysShows = alwaysShows
        self.emptyNote = emptyNote
    }

    /// Points drawn per line at most (about one per pixel of a small chart); longer series are thinned.
    static let maximumDrawnPoints = 400

    /// Series colours (Tableau 10), in legend order.
    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                          "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]

    /// This chart as a standalone SVG document of `width` × `height` pixels.
    public func svg(width: Double = 320, height: Double = 220) -> String {
        let size = "width=\"\(Self.number(width))\" height=\"\(Self.number(height))\""
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" \(size) viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\" "
            + "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">"
            + "<rect width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" fill=\"#ffffff\"/>"
            + panel(width: width, height: height) + "</svg>"
    }

    /// The height the legend takes at `width` when every line is drawn (0 with a single line).
    func legendHeight(width: Double) -> Double {
        let legend = legendLayout(width: width, drawn: lines.map { _ in true })
        return legend.isEmpty ? 0 : Double(legend.map(\.row).max() ?? 0) * 14 + 18
    }

    /// The chart's elements in a `<g>` at the origin, `width` × `height` including title and
    /// legend; `legendSpace` is kept below the plot (charts side by side keep their axes level).
    func panel(width: Double, height: Double, legendSpace: Double? = nil) -> String {
        let visible = lines.map { line in line.points.filter { $0.step.isFinite && $0.value.isFinite } }
        let legend = legendLayout(width: width, drawn: visible.map { !$0.isEmpty })
        let plot = (left: 54.0, top: 28.0, right: width - 12, bottom: height - 24 - (legendSpace ?? legendHeight(width: width)))
        var out = "<g>"
        out += "<text x=\"8\" y=\"17\" font-size=\"12\" font-weight=\"bold\" fill=\"#222222\">\(HTMLText.escape(title))</text>"
        let steps = visible.flatMap { $0.map(\.step) }
        let values = visible.flatMap { $0.map(\.value) }
        let xAxis = AxisScale(covering: steps, tickCount: 6, integers: true, margin: 0.02)
        let yAxis = AxisScale(covering: values.isEmpty ? values : values + alwaysShows, tickCount: 6)
        let x = { (step: Double) in plot.left + xAxis.fraction(of: step) * (plot.right - plot.left) }
        let y = { (value: Double) in plot.bottom - yAxis.fraction(of: value) * (plot.bottom - plot.top) }

        for tick in values.isEmpty ? [] : yAxis.ticks {
            let position = Self.number(y(tick))
            out += "<line x1=\"\(Self.number(plot.left))\" x2=\"\(Self.number(plot.right))\" y1=\"\(position)\" y2=\"\(position)\" "
                + "stroke=\"#e6e6e6\" stroke-width=\"1\"/>"
            out += "<text x=\"\(Self.number(plot.left - 5))\" y=\"\(Self.number(y(tick) + 3.5))\" text-anchor=\"end\" fill=\"#555555\">"
                + "\(HTMLText.escape(NumberText.tick(tick, step: yAxis.tickStep)))</text>"
        }
        for tick in values.isEmpty ? [] : xAxis.ticks {
            let position = Self.number(x(tick))
            out += "<line x1=\"\(position)\" x2=\"\(position)\" y1=\"\(Self.number(plot.top))\" y2=\"\(Self.number(plot.bottom))\" "
                + "stroke=\"#f0f0f0\" stroke-width=\"1\"/>"
            out += "<text x=\"\(position)\" y=\"\(Self.number(plot.bottom + 14))\" text-anchor=\"middle\" fill=\"#555555\">"
                + "\(HTMLText.escape(NumberText.tick(tick, step: xAxis.tickStep)))</text>"
        }
        out += "<rect x=\"\(Self.number(plot.left))\" y=\"\(Self.number(plot.top))\" width=\"\(Self.number(plot.right - plot.left))\" "
            + "height=\"\(Self.number(plot.bottom - plot.top))\" fill=\"none\" stroke=\"#bbbbbb\" stroke-width=\"1\"/>"

        if values.isEmpty {
            out += "<text x=\"\(Self.number((plot.left + plot.right) / 2))\" y=\"\(Self.number((plot.top + plot.bottom) / 2))\" "
                + "text-anchor=\"middle\" fill=\"#999999\">\(HTMLText.escape(emptyNote))</text>"
        }
        for (index, points) in visible.enumerated() {
            out += series(points, color: Self.palette[index % Self.palette.count], x: x, y: y)
        }
        for entry in legend {
            let top = plot.bottom + 30 + Double(entry.row) * 14
            let color = Self.palette[entry.index % Self.palette.count]
            out += "<line x1=\"\(Self.number(entry.x))\" x2=\"\(Self.number(entry.x + 14))\" y1=\"\(Self.number(top - 4))\" "
                + "y2=\"\(Self.number(top - 4))\" stroke=\"\(color)\" stroke-width=\"2.5\"/>"
            out += "<text x=\"\(Self.number(entry.x + 18))\" y=\"\(Self.number(top))\" fill=\"#333333\">"
                + "\(HTMLText.escape(entry.label))</text>"
        }
        return out + "</g>"
    }

    /// One series: the raw line (faint when a smoothed line is drawn over it) and dots for few points.
    private func series(_ points: [(step: Double, value: Double)], color: String,
                        x: (Double) -> Double, y: (Double) -> Double) -> String {
        guard !points.isEmpty else { return "" }
        if points.count == 1 {
            return "<circle cx=\"\(Self.number(x(points[0].step)))\" cy=\"\(Self.number(y(points[0].value)))\" r=\"3\" fill=\"\(color)\"/>"
        }
        let weight = Smoothing.weight(forCount: points.count)
        let raw = LineDecimation.reduce(points, toAbout: Self.maximumDrawnPoints)
            .map { "\(Self.number(x($0.step))),\(Self.number(y($0.value)))" }.joined(separator: " ")
        var out = ""
        if weight > 0 {
            out += "<polyline points=\"\(raw)\" fill=\"none\" stroke=\"\(color)\" stroke-opacity=\"0.3\" stroke-width=\"1\"/>"
            let smoothedPoints = zip(points, Smoothing.exponential(points.map(\.value), weight: weight)).map { ($0.0.step, $0.1) }
            let line = LineDecimation.reduce(smoothedPoints, toAbout: Self.maximumDrawnPoints)
                .map { "\(Self.number(x($0.step))),\(Self.number(y($0.value)))" }.joined(separator: " ")
            out += "<polyline points=\"\(line)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" stroke-linejoin=\"round\"/>"
        } else {
            out += "<polyline points=\"\(raw)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\" stroke-linejoin=\"round\"/>"
        }
        if points.count <= 40 {
            for point in points {
                out += "<circle cx=\"\(Self.number(x(point.step)))\" cy=\"\(Self.number(y(point.value)))\" r=\"2\" fill=\"\(color)\"/>"
            }
        }
        return out
    }

    /// Legend entries (series index, shortened label, x, row) of the lines that are `drawn`, flowing
    /// left to right; none when the chart has a single line or nothing is drawn.
    private func legendLayout(width: Double, drawn: [Bool]) -> [(index: Int, label: String, x: Double, row: Int)] {
        guard lines.count > 1, drawn.contains(true) else { return [] }
        var entries: [(index: Int, label: String, x: Double, row: Int)] = []
        var x = 54.0, row = 0
        for (index, line) in lines.enumerated() where drawn[index] {
            let label = line.name.count > 28 ? String(line.name.prefix(27)) + "…" : line.name
            let entryWidth = 24 + Double(label.count) * 6.2
            if x + entryWidth > width - 8, x > 54 { x = 54; row += 1 }
            entries.append((index, label, x, row))
            x += entryWidth + 8
        }
        return entries
    }

    /// A coordinate with at most one decimal ("12", "12.5").
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = (min(max(value, -1e7), 1e7) * 10).rounded()
        return tenths.truncatingRemainder(dividingBy: 10) == 0 ? String(Int(tenths / 10)) : String(tenths / 10)
    }
}
