import CQuantKernels
import Foundation

/// A weight matrix's blocks rearranged for the AVX-512 VNNI product: each group of 16 rows
/// interleaved, so a decode step loads the registers its kernel multiplies instead of gathering
/// 16 rows' blocks and transposing them (layout in CQuantKernelsInterleaved.h). The products give
/// the same bits as from the blocks as stored. About the size of the blocks: the same for Q4_1
/// and Q5_1, 6–11 % more for Q4_0, Q5_0 and Q8_0.
public final class InterleavedBlocks: @unchecked Sendable {
    /// The interleaved bytes (owned).
    let bytes: UnsafeMutableRawBufferPointer

    /// The interleaved form of `matrix`; nil when its type has none.
    init?(_ matrix: QuantizedMatrix) {
        let typeNumber = Int32(matrix.type.rawValue)
        let count = cqk_interleaved_bytes(typeNumber, Int64(matrix.rows), Int64(matrix.columns))
        guard count > 0 else { return nil }
        bytes = .allocate(byteCount: count, alignment: TensorStorage.alignment)
        guard cqk_interleave_rows(typeNumber, matrix.bytes.baseAddress!, matrix.bytesPerRow, Int64(matrix.rows),
                                  Int64(matrix.columns), bytes.baseAddress!) == 1 else {
            bytes.deallocate()
            return nil
        }
    }

    /// Bytes held.
    public var byteCount: Int { bytes.count }

    deinit { bytes.deallocate() }
}

/// Where a `QuantizedMatrix` keeps its interleaved copy while one is wanted.
final class InterleavedSlot: @unchecked Sendable {
    private let lock = NSLock()
    private var copy: InterleavedBlocks?

    var current: InterleavedBlocks? { lock.withLock { copy } }

    func keep(_ keep: Bool, of matrix: QuantizedMatrix) {
        lock.withLock {
            if !keep { copy = nil } else if copy == nil { copy = InterleavedBlocks(matrix) }
        }
    }
}

extension QuantizedMatrix {
    /// True when this CPU and the block type let `quantizedLinear` read an interleaved copy.
    public var canInterleave: Bool {
        QuantizedInstructionSet.current == .avx512VNNI
            && cqk_interleaved_bytes(Int32(type.rawValue), Int64(rows), Int64(columns)) > 0
    }

    /// Bytes an interleaved copy of this matrix takes (0 when it cannot have one).
    public var interleavedByteCount: Int {
        canInterleave ? cqk_interleaved_bytes(Int32(type.rawValue), Int64(rows), Int64(columns)) : 0
    }

    /// Makes (true) or drops (false) an interleaved copy of the blocks, which `quantizedLinear`
    /// then reads: decode steps over a few rows skip rearranging every block each step. Nothing
    /// happens where `canInterleave` is false.
    public func keepInterleavedCopy(_ keep: Bool) {
        guard canInterleave else { return }
        interleavedSlot.keep(keep, of: self)
    }

    /// The interleaved copy, while one is kept.
    public var interleavedCopy: InterleavedBlocks? { interleavedSlot.current }
}
