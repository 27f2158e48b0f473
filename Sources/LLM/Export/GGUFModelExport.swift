import Foundation
import Tensor

/// Writes a merged model as a GGUF file llama.cpp runs: llama.cpp tensor names, llama Q/K rows
/// re-permuted for adjacent-pair RoPE, matrices in the requested type (norms and biases F32),
/// and the base's metadata (architecture, tokenizer, chat template) carried over or built from
/// a Hugging Face folder's config. Tensors the adapter did not change that keep their GGUF base's
/// type are copied block for block. Written atomically.
///
/// ```swift
/// let merged = try MergedModel(source: source, network: network)
/// let change = try GGUFModelExport.write(merged, to: url, as: .uniform(.q8_0))
/// ```
public enum GGUFModelExport {
    /// Writes `merged` to `url`. Returns how much the merge changed the base's blocks, for the
    /// tensors written in the type the (quantized GGUF) base stored them in; nil otherwise.
    @discardableResult
    public static func write(_ merged: MergedModel, to url: URL, as exportType: GGUFExportType) throws -> QuantizationChange? {
        let config = merged.config
        guard let architecture = architectureName(config.family) else {
            throw ExportError.unsupportedArchitecture(family: "\(config.family)", format: "GGUF")
        }
        if case let .uniform(type) = exportType, !Quantizer.supports(type) {
            throw ExportError.unsupportedType(name: "the model's matrices", format: type.description,
                                              supported: Quantizer.supportedTypes.map(\.description))
        }
        let base = merged.baseQuantization
        if exportType == .sameAsBase, base?.isQuantized != true {
            throw ExportError.noBaseQuantization(model: merged.source.location.reference)
        }
        var writer = GGUFWriter()
        for (key, value) in try GGUFModelMetadata.entries(for: merged, architecture: architecture) {
            writer.set(key, value)
        }

        var change = QuantizationChange()
        var compared = false
        var counts: [GGMLType: Int] = [:]
        for name in merged.orderedNames {
            guard let ggufName = GGUFTensorNaming.ggufName(for: name), var tensor = merged.tensors[name] else { continue }
            if let heads = GGUFTensorNaming.rotaryHeads(for: name, config: config) {
                tensor = GGUFTensorNaming.permutedForGGUF(tensor, heads: heads)
            }
            let type: GGMLType
            switch exportType {
            case let .uniform(preferred): type = GGUFExportType.storageType(forShape: tensor.shape, preferred: preferred)
            case .sameAsBase: type = base?.types[ggufName] ?? .f32
            }
            guard Quantizer.supports(type) else {
                throw ExportError.unsupportedType(name: ggufName, format: type.description,
                                                  supported: Quantizer.supportedTypes.map(\.description))
            }
            let bytes: [UInt8]
            if let base, base.types[ggufName] == type,
               let info = base.file.tensorInfo(named: ggufName), info.shape == tensor.shape {
                // Kept in its base type: an unmerged tensor keeps the base's exact blocks (no
                // second rounding); a merged one is requantized and compared with them.
                let stored = base.file.rawBytes(of: info)
                bytes = merged.mergedNames.contains(name) ? try encoded(tensor, as: type, name: ggufName) : Array(stored)
                if type.isQuantized {
                    change.compare(base: stored, exported: bytes, type: type)
                    compared = true
                }
            } else {
                bytes = try encoded(tensor, as: type, name: ggufName)
            }
            try writer.addTensor(ggufName, shape: tensor.shape, type: type, bytes: bytes)
            if tensor.shape.count >= 2 { counts[type, default: 0] += 1 }
        }
        let dominant = counts.max { ($0.value, $1.key.rawValue) < ($1.value, $0.key.rawValue) }?.key ?? .f32
        writer.set("general.file_type", .uint32(GGUFExportType.fileType(for: dominant)))
        if counts.keys.contains(where: \.isQuantized) { writer.set("general.quantization_version", .uint32(2)) }
        do {
            try writer.write(to: url)
        } catch {
            throw ExportError.writeFailed(path: url.path, reason: "\(error)")
        }
        return compared ? change : nil
    }

    /// llama.cpp's architecture name for a family it runs from GGUF, or nil.
    public static func architectureName(_ family: ArchitectureFamily) -> String? {
        switch family {
        case .llama: return "llama"
        case .qwen2: return "qwen2"
        default: return nil
        }
    }

    /// `tensor`'s values encoded as `type`.
    static func encoded(_ tensor: Tensor, as type: GGMLType, name: String) throws -> [UInt8] {
        guard tensor.count % type.blockSize == 0 else {
            throw ExportError.unsupportedType(name: name, format: type.description, supported: ["f32", "f16"])
        }
        var bytes = [UInt8](repeating: 0, count: type.byteCount(elements: tensor.count))
        tensor.withUnsafeBufferPointer { values in
            bytes.withUnsafeMutableBytes { raw in
                if let input = values.baseAddress, let output = raw.baseAddress {
                    Quantizer.quantize(type, from: input, count: values.count, into: output)
                }
            }
        }
        return bytes
    }
}
