import CQuantKernels

// Linear layer y = x·Wᵀ for a few rows of x, with W [outFeatures, inFeatures] kept as ggml
// blocks (a GGUF matrix). As llama.cpp does, each row of x is first quantized to 8-bit blocks
// (one scale per 32 values, per 256 for K-quants), then each weight block is multiplied by
// its activation block in integers (Sources/CQuantKernels) and scaled once in Float32. Decode
// steps read 4.5–8.5 bits a weight instead of 32 and multiply bytes instead of floats.
// Forward only: training uses the Float32 weights.

/// The block types `quantizedLinearForward` multiplies directly.
public let quantizedLinearTypes: [GGMLType] = [.q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q4_K, .q5_K, .q6_K]

/// out[rows, outFeatures] = input[rows, inFeatures] · Wᵀ, W stored as `type` blocks at `weight`,
/// row after row (`inFeatures` a multiple of the type's block size).
///
/// The result differs from the dequantized Float32 product by the rounding of x to 8 bits
/// (`QuantizedActivations`) and the order of the sums. Each output depends only on its own
/// weight row and input row, whatever `rows` and the thread count, so a sequence decoded alone
/// or in a batch gets the same numbers. Output features are split across cores in contiguous
/// ranges of whole groups of 16 (`KernelWorkers`). `interleaved`, when given, is the same matrix
/// in the interleaved form (`InterleavedBlocks`), read instead with AVX-512 VNNI: same results.
public func quantizedLinearForward(
    out: UnsafeMutableBufferPointer<Float>,
    input: UnsafeBufferPointer<Float>,
    weight: UnsafeRawBufferPointer,
    type: GGMLType,
    rows: Int, inFeatures: Int, outFeatures: Int,
    instructionSet: QuantizedInstructionSet = .current,
    interleaved: UnsafeRawPointer? = nil
) {
    precondition(quantizedLinearTypes.contains(type), "quantizedLinearForward: no kernel for \(type); check quantizedLinearTypes first")
    precondition(inFeatures % type.blockSize == 0 && weight.count >= type.byteCount(elements: outFeatures * inFeatures)
        && out.count >= rows * outFeatures && input.count >= rows * inFeatures,
        "quantizedLinearForward: buffers smaller than the shapes")
    guard rows > 0, outFeatures > 0 else { return }
    let activations = QuantizedActivations(type: type, rows: rows, columns: inFeatures, from: input.baseAddress!,
                                           instructionSet: instructionSet)
    let y = out.baseAddress!, w = weight.baseAddress!
    let bytesPerRow = type.byteCount(elements: inFeatures)
    let typeNumber = Int32(type.rawValue), isa = Int32(instructionSet.rawValue)
    // Whole groups of `featureGroup` rows per chunk: the AVX-512 kernel fills a register with 16.
    let groups = (outFeatures + featureGroup - 1) / featureGroup
    KernelWorkers.forEachChunk(of: groups, costPerItem: featureGroup * inFeatures * rows) { chunk in
        let first = chunk.lowerBound * featureGroup, end = min(outFeatures, chunk.upperBound * featureGroup)
        activations.withUnsafeBytes { x in
            if let interleaved, instructionSet == .avx512VNNI,
               cqk_matmul_interleaved(typeNumber, interleaved, Int64(first), Int64(end), x, activations.rowBytes,
                                      Int64(rows), Int64(inFeatures), y, Int64(outFeatures)) == 1 {
                return
            }
            cqk_matmul(typeNumber, isa, w, bytesPerRow, Int64(first), Int64(end),
                       x, activations.rowBytes, Int64(rows), Int64(inFeatures), y, Int64(outFeatures))
        }
    }
}

/// Output features a worker's chunk holds a multiple of (the wide kernel's register of rows).
private let featureGroup = 16

/// Rows of activations quantized to the 8-bit blocks the kernels for `type` read: one Float32
/// scale d per block (32 values, or 256 for K-quants) and codes round(x / d), d = max|x| / 127.
public final class QuantizedActivations {
    public let type: GGMLType
    public let rows: Int
    public let columns: Int
    /// Bytes of one quantized row.
    public let rowBytes: Int
    private let storage: UnsafeMutableRawPointer

    /// Quantizes `rows` rows of `columns` floats at `input` (`columns` a multiple of the type's
    /// block size) with the instructions of `instructionSet` (every set gives the same bytes).
    public init(type: GGMLType, rows: Int, columns: Int, from input: UnsafePointer<Float>,
                instructionSet: QuantizedInstructionSet = .current) {
        precondition(quantizedLinearTypes.contains(type) && columns % type.blockSize == 0,
                     "QuantizedActivations: \(type) rows of \(columns) values have no kernel")
        self.type = type
        self.rows = rows
        self.columns = columns
        let typeNumber = Int32(type.rawValue), isa = Int32(instructionSet.rawValue)
        rowBytes = cqk_activation_row_bytes(typeNumber, Int64(columns))
        storage = UnsafeMutableRawPointer.allocate(byteCount: max(1, rows * rowBytes), alignment: 64)
        let storage = self.storage, rowBytes = self.rowBytes
        // A row takes about as long as 16 multiply-adds a value; a batch of 32 rows is split.
        KernelWorkers.forEachChunk(of: rows, costPerItem: columns * 16) { chunk in
            for row in chunk {
                cqk_quantize_activation_row_using(isa, typeNumber, input + row * columns, Int64(columns),
                                                  storage + row * rowBytes)
            }
        }
    }

    deinit { storage.deallocate() }

    func withUnsafeBytes<R>(_ body: (UnsafeRawPointer) -> R) -> R { body(UnsafeRawPointer(storage)) }

    /// The values the quantized rows stand for (scale × code), row after row.
    public var dequantized: [Float] {
        var values = [Float](repeating: 0, count: rows * columns)
        values.withUnsafeMutableBufferPointer { out in
            for row in 0..<rows {
                cqk_dequantize_activation_row(Int32(type.rawValue), storage + row * rowBytes, Int64(columns),
                                              out.baseAddress! + row * columns)
            }
        }
        return values
    }
}
