import Foundation
import TextFormats

/// A completion's tokens as HTML spans shaded by what the update does to each: green where the
/// step raises the token's probability (positive weight), red where it lowers it, stronger for
/// larger weights; the exact weight is in each span's title.
struct TokenShading {
    /// The largest absolute weight, which gets the strongest shade.
    let scale: Double

    /// A shading whose strongest shade goes to the largest finite |weight| in `weights`.
    init(weights: [[Double]]) {
        scale = weights.joined().filter(\.isFinite).map(abs).max() ?? 0
    }

    /// The tokens' texts as spans; tokens beyond the weights (or with a non-finite weight) stay plain.
    func html(tokens: [Int], weights: [Double], tokenText: (Int) -> String) -> String {
        var out = ""
        for (position, token) in tokens.enumerated() {
            let text = HTMLText.escape(tokenText(token))
            guard position < weights.count, weights[position].isFinite else {
                out += text
                continue
            }
            let weight = weights[position]
            let strength = scale > 0 ? abs(weight) / scale : 0
            let color = weight >= 0 ? "34,160,60" : "215,48,39"
            let alpha = strength == 0 ? 0 : 0.1 + 0.6 * strength
            out += "<span style=\"background:rgba(\(color),\(String(format: "%.2f", alpha)));border-radius:2px\" "
                + "title=\"token \(position + 1): \(String(format: "%+.4g", weight))\">\(text)</span>"
        }
        return out
    }
}
