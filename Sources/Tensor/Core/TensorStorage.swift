/// The memory behind one or more tensors: a 64-byte aligned, reference-counted buffer of Float.
///
/// Several tensors may share one storage (a reshape, a row slice, `detach()`); writing through one
/// of them is visible through all. Freshly allocated storage is zero-filled.
public final class TensorStorage {
    /// The whole buffer. Valid for the lifetime of this object.
    public let buffer: UnsafeMutableBufferPointer<Float>

    /// The byte alignment of every allocation (one cache line, enough for AVX-512 loads).
    public static let alignment = 64

    /// Allocates `count` zero-filled scalars.
    public init(count: Int) {
        precondition(count >= 0, "TensorStorage: negative count \(count)")
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: Self.alignment)
        let typed = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        typed.initialize(repeating: 0, count: max(count, 1))
        buffer = UnsafeMutableBufferPointer(start: typed, count: count)
    }

    /// Allocates storage holding a copy of `scalars`.
    public convenience init<C: Collection>(copying scalars: C) where C.Element == Float {
        self.init(count: scalars.count)
        _ = buffer.initialize(from: scalars)
    }

    /// The number of scalars.
    public var count: Int { buffer.count }

    deinit {
        UnsafeMutableRawPointer(buffer.baseAddress!).deallocate()
    }
}
