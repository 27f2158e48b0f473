import Foundation
import Tensor

/// Reads a PEFT adapter folder the way an adapter loader must before trusting it: the config's
/// rank, scale and target modules, then every tensor of the weights file, each LoRA A/B pair
/// checked against the rank. The PEFT loader proper is written elsewhere; this exercises the
/// readers it will use (JSON and safetensors) with adapter-shaped input.
enum AdapterFolderReader {
    struct Invalid: Error { var detail: String }

    static func read(_ folder: URL) throws {
        let data = try Data(contentsOf: folder.appendingPathComponent("adapter_config.json"))
        guard let config = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Invalid(detail: "adapter_config.json is not an object")
        }
        guard let rank = config["r"] as? Int, (1...4096).contains(rank) else { throw Invalid(detail: "r") }
        let alpha = (config["lora_alpha"] as? NSNumber)?.doubleValue ?? Double(rank)
        guard alpha.isFinite else { throw Invalid(detail: "lora_alpha") }
        let targets = (config["target_modules"] as? [String]) ?? []
        let file = try SafetensorsFile(url: folder.appendingPathComponent("adapter_model.safetensors"))
        for info in file.tensors.prefix(256) where info.elementCount <= 1 << 20 {
            let values = try file.floats(named: info.name)
            guard info.name.contains(".lora_A.") || info.name.contains(".lora_B.") else { continue }
            guard info.shape.count == 2 else { throw Invalid(detail: "\(info.name) is not a matrix") }
            let rankAxis = info.name.contains(".lora_A.") ? 0 : 1
            guard info.shape[rankAxis] == rank else { throw Invalid(detail: "\(info.name) rank") }
            guard targets.isEmpty || targets.contains(where: { info.name.contains(".\($0).") }) else {
                throw Invalid(detail: "\(info.name) is not a target module")
            }
            _ = values.reduce(0, +) * Float(alpha / Double(rank))
        }
    }
}
