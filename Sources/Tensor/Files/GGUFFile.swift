import Foundation

/// A memory-mapped GGUF (v2 or v3) model file: metadata, tensor infos and tensor data.
///
/// ```swift
/// let gguf = try GGUFFile(path: "SmolLM2-135M-Instruct.Q4_1.gguf")
/// let tokens = gguf.metadata["tokenizer.ggml.tokens"]?.stringArray
/// let eos = gguf.metadata["tokenizer.ggml.eos_token_id"]?.int
/// let info = gguf.tensorInfo(named: "token_embd.weight")   // shape [49152, 576], type .q8_0
/// ```
/// Everything is validated when the file opens (bounds, counts, alignment, tensor types), so
/// later reads cannot run past the mapping.
public final class GGUFFile: @unchecked Sendable {
    /// The path the file was opened from.
    public let path: String
    /// The GGUF version (2 or 3).
    public let version: Int
    /// All metadata, keyed by dotted name (`general.architecture`, `tokenizer.ggml.tokens`, …).
    public let metadata: [String: GGUFValue]
    /// Metadata keys in the order the file lists them.
    public let metadataKeys: [String]
    /// Tensor infos in file order.
    public let tensors: [GGUFTensorInfo]
    /// The data alignment (`general.alignment`, default 32).
    public let alignment: Int
    /// The absolute offset where the tensor data section starts.
    public let dataOffset: Int

    let file: MappedFile
    private let tensorIndex: [String: Int]

    /// Opens and validates the GGUF file at `path`.
    public init(path: String) throws {
        self.path = path
        file = try MappedFile(path: path)
        var parser = GGUFParser(bytes: file.bytes, path: path)
        let header = try parser.parse()
        version = Int(header.version)
        metadata = header.metadata
        metadataKeys = header.metadataKeys
        tensors = header.tensors
        alignment = header.alignment
        dataOffset = header.dataOffset
        var index = [String: Int]()
        for (i, info) in tensors.enumerated() { index[info.name] = i }
        tensorIndex = index
    }

    /// Opens and validates the GGUF file at `url`.
    public convenience init(url: URL) throws {
        try self.init(path: url.path)
    }

    /// The file size in bytes.
    public var fileSize: Int { file.count }

    /// What keeps the bytes `rawBytes(of:)` returns valid: the mapping alone. A model that borrows
    /// its weights' blocks holds this rather than the file, so the parsed metadata (a tokenizer's
    /// tables: 262,144 tokens, scores and types for Gemma 3) is freed once loading is done.
    public var mapping: MappedFile { file }

    /// `general.architecture` (e.g. "llama"), when present.
    public var architecture: String? { metadata["general.architecture"]?.string }

    /// The metadata value `"<architecture>.<suffix>"`, e.g. `architectureValue("block_count")`.
    public func architectureValue(_ suffix: String) -> GGUFValue? {
        guard let architecture else { return nil }
        return metadata["\(architecture).\(suffix)"]
    }

    /// The info of the tensor called `name`, or nil.
    public func tensorInfo(named name: String) -> GGUFTensorInfo? {
        tensorIndex[name].map { tensors[$0] }
    }

    /// The info of the tensor called `name`, or a `GGUFError.tensorNotFound`.
    public func requireTensorInfo(named name: String) throws -> GGUFTensorInfo {
        guard let info = tensorInfo(named: name) else {
            throw GGUFError.tensorNotFound(name: name, path: path)
        }
        return info
    }

    /// The raw stored bytes of a tensor (quant blocks as written). Valid while this file is alive.
    public func rawBytes(of info: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: file.bytes[info.byteRange])
    }

    /// The raw stored bytes of one row of a tensor (`bytesPerRow` bytes).
    public func rawRow(of info: GGUFTensorInfo, row: Int) throws -> UnsafeRawBufferPointer {
        guard row >= 0, row < info.rowCount else {
            throw GGUFError.rowOutOfRange(tensor: info.name, row: row, rows: info.rowCount)
        }
        let start = info.byteRange.lowerBound + row * info.bytesPerRow
        return UnsafeRawBufferPointer(rebasing: file.bytes[start..<start + info.bytesPerRow])
    }
}
