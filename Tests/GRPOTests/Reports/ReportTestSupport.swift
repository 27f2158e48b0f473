import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import GRPO

/// Builders of completions and metric histories for the report tests, and an XML reader that
/// checks rendered SVG and HTML are well-formed.
enum ReportTestSupport {
    /// A scored completion (built through its Codable form, the public way to make one outside the trainer).
    static func sample(row: Int, prompt: String = "What is 6 × 7?", completion: String, tokens: [Int]? = nil,
                       rewards: [Double?], reward: Double, advantage: Double, finish: String = "endOfSequence") throws -> CompletionSample {
        let object: [String: Any] = [
            "datasetIndex": row, "prompt": prompt, "promptTokens": [1, 2, 3], "completion": completion,
            "completionTokens": tokens ?? Array(repeating: 7, count: max(1, completion.count / 4)),
            "finishReason": finish, "rewards": rewards.map { $0.map { $0 as Any } ?? NSNull() },
            "reward": reward.isFinite ? reward as Any : "NaN", "advantage": advantage,
        ]
        let data = try JSONSerialization.data(withJSONObject: object)
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "NaN")
        return try decoder.decode(CompletionSample.self, from: data)
    }

    /// A group of completions for one prompt with the given rewards (one reward function), advantages
    /// as GRPO would give them (reward minus the group mean, over the group's std).
    static func group(row: Int, rewards: [Double], completions: [String]? = nil) throws -> [CompletionSample] {
        let mean = rewards.reduce(0, +) / Double(rewards.count)
        let variance = rewards.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(max(1, rewards.count - 1))
        return try rewards.enumerated().map { index, reward in
            try sample(row: row, completion: completions?[index] ?? "Answer \(index): \(reward)", rewards: [reward], reward: reward,
                       advantage: (reward - mean) / (variance.squareRoot() + 1e-4))
        }
    }

    /// `count` steps of a run that learns: reward rising with noise, KL growing, length settling, a
    /// few groups without variance; deterministic.
    static func healthyRun(steps count: Int, rewardNames: [String] = ["format", "answer"]) -> [StepMetrics] {
        var generator = SplitMix(seed: 7)
        return (1...max(1, count)).map { step in
            let progress = Double(step) / Double(max(1, count))
            func noise(_ size: Double) -> Double { (generator.nextUnit() - 0.5) * 2 * size }
            var values: [String: Double] = [
                "reward": 0.3 + 0.9 * progress + noise(0.12),
                "reward_std": 0.4 + noise(0.05),
                "kl": 0.002 + 0.02 * progress + noise(0.002),
                "loss": noise(0.02),
                "grad_norm": 0.35 + noise(0.08),
                "completions/mean_length": 90 - 30 * progress + noise(6),
                "completions/min_length": 30 + noise(5),
                "completions/max_length": 128,
                "completions/clipped_ratio": max(0, 0.3 - 0.25 * progress + noise(0.04)),
                "frac_reward_zero_std": max(0, 0.25 + noise(0.1)),
                "learning_rate": 5e-6 * (1 - progress),
                "step_time": 11 + noise(1),
                "skipped_updates": 0,
            ]
            for (index, name) in rewardNames.enumerated() {
                values["rewards/\(name)/mean"] = (index == 0 ? 0.2 + 0.7 * progress : 0.1 + 0.3 * progress) + noise(0.08)
            }
            return StepMetrics(step: step, epoch: progress, values: values)
        }
    }

    /// A small deterministic random source.
    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    }

    /// The elements of a well-formed XML document, in document order, with their attributes and
    /// the document's text; throws the parser's error when it is not well-formed.
    static func parseXML(_ text: String) throws -> XMLDocumentSummary {
        let parser = XMLParser(data: Data(text.utf8))
        let reader = XMLDocumentSummary()
        parser.delegate = reader
        guard parser.parse() else {
            throw NSError(domain: "XML", code: 1, userInfo: [NSLocalizedDescriptionKey:
                "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "unknown") at line \(parser.lineNumber), column \(parser.columnNumber)"])
        }
        return reader
    }

    final class XMLDocumentSummary: NSObject, XMLParserDelegate {
        var elements: [(name: String, attributes: [String: String])] = []
        var text = ""

        func count(_ name: String) -> Int { elements.filter { $0.name == name }.count }

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            elements.append((elementName, attributes))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            text += string
        }
    }
}
