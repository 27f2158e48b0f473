import Tensor

extension CausalLanguageModel {
    /// The distinct quantized matrices (a tied embedding table and head counted once).
    private var distinctQuantizedMatrices: [QuantizedMatrix] {
        var seen = Set<ObjectIdentifier>()
        return quantizedMatrices.filter { seen.insert(ObjectIdentifier($0)).inserted }
    }

    /// Bytes that interleaved copies of the quantized matrices take (`keepInterleavedWeights`);
    /// 0 where this CPU or the block types have none.
    public var interleavedWeightBytes: Int {
        distinctQuantizedMatrices.reduce(0) { $0 + $1.interleavedByteCount }
    }

    /// Keeps (true) or drops (false) an interleaved copy of every quantized matrix that can have
    /// one (`QuantizedMatrix.keepInterleavedCopy`). Decode steps over a few sequences, such as a
    /// trainer's rollouts, then skip rearranging every weight block each step; the numbers are
    /// the same. Costs `interleavedWeightBytes`, about the quantized weights' size again.
    public func keepInterleavedWeights(_ keep: Bool) {
        for matrix in distinctQuantizedMatrices { matrix.keepInterleavedCopy(keep) }
    }
}
