import Foundation
import Tensor

/// The `checkpoint-STEP` folders of a run. Each is written under a hidden temporary name beside
/// its final one and renamed when complete, so a folder named `checkpoint-N` is never half written.
///
/// A folder holds the adapter in PEFT format (`adapter_config.json`, `adapter_model.safetensors`),
/// `optimizer.safetensors` + `optimizer.json` (AdamW moments and step counts), `trainer_state.json`
/// (step, prompt order, RNG streams, rollout buffer, schedule position), `grpo_config.json` and
/// `metrics.jsonl` (the log up to this step).
public struct TrainerCheckpoint {
    public static let prefix = "checkpoint-"
    public static let stateFile = "trainer_state.json"
    public static let configFile = "grpo_config.json"
    public static let logFile = "metrics.jsonl"

    /// The run's output folder.
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// The folder of step `step`.
    public func folder(step: Int) -> URL { directory.appendingPathComponent("\(Self.prefix)\(step)", isDirectory: true) }

    /// Writes step `step`'s checkpoint: `body` fills a temporary folder, which then replaces any
    /// older folder of the same step.
    public func write(step: Int, _ body: (URL) throws -> Void) throws -> URL {
        let manager = FileManager.default
        try manager.createDirectory(at: directory, withIntermediateDirectories: true)
        try recoverInterruptedWrites()
        let final = folder(step: step)
        let temporary = directory.appendingPathComponent(".\(Self.prefix)\(step).tmp-\(ProcessInfo.processInfo.processIdentifier)",
                                                         isDirectory: true)
        try? manager.removeItem(at: temporary)
        try manager.createDirectory(at: temporary, withIntermediateDirectories: true)
        do {
            try body(temporary)
            if manager.fileExists(atPath: final.path) {
                // Move the old one aside first so the final name is never missing a complete folder for long.
                let old = directory.appendingPathComponent(".\(Self.prefix)\(step).old-\(ProcessInfo.processInfo.processIdentifier)")
                try? manager.removeItem(at: old)
                try manager.moveItem(at: final, to: old)
                try manager.moveItem(at: temporary, to: final)
                try? manager.removeItem(at: old)
            } else {
                try manager.moveItem(at: temporary, to: final)
            }
        } catch {
            try? manager.removeItem(at: temporary)
            throw error
        }
        return final
    }

    /// Tidies what a process killed in the middle of `write` left behind: a half-written
    /// temporary folder is deleted; a complete folder that was moved aside to be replaced goes back
    /// to its name when the replacement never arrived.
    public func recoverInterruptedWrites() throws {
        let manager = FileManager.default
        guard manager.fileExists(atPath: directory.path) else { return }
        for name in try manager.contentsOfDirectory(atPath: directory.path) where name.hasPrefix(".\(Self.prefix)") {
            let url = directory.appendingPathComponent(name, isDirectory: true)
            if let range = name.range(of: ".old-"), let step = Int(name[name.index(name.startIndex, offsetBy: 1 + Self.prefix.count)..<range.lowerBound]),
               !manager.fileExists(atPath: folder(step: step).path) {
                try manager.moveItem(at: url, to: folder(step: step))
            } else {
                try manager.removeItem(at: url)
            }
        }
    }

    /// The steps that have a complete checkpoint, ascending.
    public func steps() throws -> [Int] {
        guard FileManager.default.fileExists(atPath: directory.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasPrefix(Self.prefix) }
            .compactMap { Int($0.dropFirst(Self.prefix.count)) }
            .sorted()
    }

    /// The newest complete checkpoint folder, if any.
    public func latest() throws -> URL? {
        try steps().last.map { folder(step: $0) }
    }

    /// Deletes the oldest checkpoints so at most `limit` remain (nil = keep all).
    public func prune(keeping limit: Int?) throws {
        guard let limit else { return }
        let all = try steps()
        for step in all.dropLast(limit) { try FileManager.default.removeItem(at: folder(step: step)) }
    }

    /// Decodes `name` in `folder`, with an error that names the file.
    static func read<T: Decodable>(_ type: T.Type, _ name: String, in folder: URL) throws -> T {
        let url = folder.appendingPathComponent(name)
        guard let data = try? Data(contentsOf: url) else {
            throw TrainerError.badCheckpoint("The checkpoint \(folder.path) has no readable \(name); it is incomplete or from another tool.")
        }
        do {
            return try TrainerJSON.decoder.decode(T.self, from: data)
        } catch {
            throw TrainerError.badCheckpoint("\(url.path) is damaged (\(error)); resume from an earlier checkpoint.")
        }
    }
}

/// AdamW's state in a checkpoint: the moments as Float32 tensors (exact), the rest as JSON.
enum OptimizerFiles {
    static let tensorFile = "optimizer.safetensors"
    static let jsonFile = "optimizer.json"

    private struct Header: Codable {
        var steps: [Int]
    }

    static func write(_ state: AdamW.State, to folder: URL) throws {
        var writer = SafetensorsWriter(metadata: ["format": "swift-grpo AdamW"])
        for (index, (m, v)) in zip(state.firstMoments, state.secondMoments).enumerated() {
            try writer.add("exp_avg.\(index)", tensor: Tensor(shape: [m.count], scalars: m))
            try writer.add("exp_avg_sq.\(index)", tensor: Tensor(shape: [v.count], scalars: v))
        }
        try writer.write(to: folder.appendingPathComponent(tensorFile))
        try TrainerJSON.encoder.encode(Header(steps: state.steps)).write(to: folder.appendingPathComponent(jsonFile))
    }

    static func read(from folder: URL, configuration: AdamW.Configuration) throws -> AdamW.State {
        let header = try TrainerCheckpoint.read(Header.self, jsonFile, in: folder)
        let file: SafetensorsFile
        do {
            file = try SafetensorsFile(url: folder.appendingPathComponent(tensorFile))
        } catch {
            throw TrainerError.badCheckpoint("The checkpoint \(folder.path) has no readable \(tensorFile) (\(error)).")
        }
        var first: [[Float]] = [], second: [[Float]] = []
        for index in header.steps.indices {
            first.append(try file.floats(named: "exp_avg.\(index)"))
            second.append(try file.floats(named: "exp_avg_sq.\(index)"))
        }
        return AdamW.State(configuration: configuration, steps: header.steps, firstMoments: first, secondMoments: second)
    }
}

extension GRPOConfig {
    /// Names of the fields whose values differ between `a` and `b`.
    static func differences(_ a: GRPOConfig, _ b: GRPOConfig) -> [String] {
        guard let left = try? JSONSerialization.jsonObject(with: TrainerJSON.encoder.encode(a)) as? NSDictionary,
              let right = try? JSONSerialization.jsonObject(with: TrainerJSON.encoder.encode(b)) as? NSDictionary else { return [] }
        let keys = Set(left.allKeys.compactMap { $0 as? String }).union(right.allKeys.compactMap { $0 as? String })
        return keys.filter { key in
            let l = left[key] as? NSObject, r = right[key] as? NSObject
            return l != r
        }.sorted()
    }
}
