import Tensor

/// The fuzzer's random numbers: the project's `RandomStream`, seeded per input so input `i` of a
/// campaign is a pure function of the campaign seed and `i` and any input can be rebuilt without
/// replaying the ones before it.
struct FuzzRandom: RandomNumberGenerator {
    private var stream: RandomStream

    /// The generator for input `index` of the campaign seeded with `seed`.
    init(seed: UInt64, index: UInt64) {
        stream = RandomStream(seed: seed &* 0x9E37_79B9_7F4A_7C15 ^ (index &+ 0x632B_E59B_D9B4_E019))
    }

    mutating func next() -> UInt64 { stream.next() }

    /// A number in `0..<n` (0 when `n` ≤ 1).
    mutating func below(_ n: Int) -> Int {
        n <= 1 ? 0 : stream.next(below: n)
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { stream.chance(p) }

    /// One element of a non-empty array.
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}
