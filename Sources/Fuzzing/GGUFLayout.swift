/// Finds the numeric fields of a GGUF seed (string lengths, counts, value and tensor types,
/// dimensions, offsets and the metadata values themselves) so the mutator can set them to edge
/// values. Reads only trusted seeds but checks every bound anyway; stops at the first surprise.
enum GGUFLayout {
    /// At most this many elements of one metadata array are listed (a vocabulary has 49,152).
    static let elementsPerArray = 48

    static func fields(of bytes: [UInt8]) -> [FuzzField] {
        var walker = Walker(bytes: bytes)
        walker.walk()
        return walker.fields
    }

    /// The offset where the tensor data starts (the header's end, aligned), when the walk got there.
    static func headerEnd(of bytes: [UInt8]) -> Int? {
        var walker = Walker(bytes: bytes)
        walker.walk()
        return walker.completed ? walker.offset : nil
    }

    /// A header with every metadata array longer than `limit` cut to its first `limit` elements
    /// (a real model's vocabulary, scores, token types and merges: 49,152–262,144 entries, whose
    /// tokenizer takes 0.1–3 s to build per input), the other keys and the tensor infos kept
    /// byte for byte and the end padded to 32 again. Nil when the walk fails.
    static func cuttingArrays(of bytes: [UInt8], to limit: Int) -> [UInt8]? {
        var walker = Walker(bytes: bytes)
        guard walker.field(4, .value) != nil, walker.field(4, .value) != nil,
              let tensorCount = walker.field(8, .count), let kvCount = walker.field(8, .count),
              tensorCount < 1 << 20, kvCount < 1 << 20 else { return nil }
        var out = Array(bytes[..<walker.offset])
        for _ in 0..<kvCount {
            let start = walker.offset
            guard walker.skipString(), let type = walker.field(4, .typeTag) else { return nil }
            if type == 9, let elementType = FuzzBytes.load(bytes, at: walker.offset, width: 4),
               let count = FuzzBytes.load(bytes, at: walker.offset + 4, width: 8), count > UInt64(limit) {
                out += bytes[start..<walker.offset] + FuzzBytes.littleEndian(UInt32(elementType)) + FuzzBytes.littleEndian(UInt64(limit))
                walker.offset += 12
                let elementsStart = walker.offset
                var keptEnd = elementsStart
                for index in 0..<count {
                    guard walker.value(type: elementType, depth: 1, record: false) else { return nil }
                    if index + 1 == UInt64(limit) { keptEnd = walker.offset }
                }
                out += bytes[elementsStart..<keptEnd]
            } else {
                guard walker.value(type: type, depth: 0, record: false) else { return nil }
                out += bytes[start..<walker.offset]
            }
        }
        let infoStart = walker.offset
        for _ in 0..<tensorCount {
            guard walker.skipString(record: false), let rank = walker.field(4, .count, record: false), rank <= 8 else { return nil }
            for _ in 0..<rank { guard walker.field(8, .dimension, record: false) != nil else { return nil } }
            guard walker.field(4, .typeTag, record: false) != nil, walker.field(8, .offset, record: false) != nil else { return nil }
        }
        out += bytes[infoStart..<walker.offset]
        out += [UInt8](repeating: 0, count: (32 - out.count % 32) % 32)
        return out
    }

    private struct Walker {
        let bytes: [UInt8]
        var offset = 0
        var fields: [FuzzField] = []
        var completed = false

        mutating func field(_ width: Int, _ kind: FuzzField.Kind, record: Bool = true) -> UInt64? {
            guard let value = FuzzBytes.load(bytes, at: offset, width: width) else { return nil }
            if record { fields.append(FuzzField(offset: offset, width: width, kind: kind)) }
            offset += width
            return value
        }

        mutating func skipString(record: Bool = true) -> Bool {
            guard let length = field(8, .length, record: record), length <= UInt64(bytes.count - offset) else { return false }
            offset += Int(length)
            return true
        }

        mutating func walk() {
            guard field(4, .value, record: false) != nil, field(4, .value) != nil,
                  let tensorCount = field(8, .count), let kvCount = field(8, .count),
                  tensorCount < 1 << 20, kvCount < 1 << 20 else { return }
            for _ in 0..<kvCount {
                guard skipString(), let type = field(4, .typeTag), value(type: type, depth: 0) else { return }
            }
            for _ in 0..<tensorCount {
                guard skipString(), let rank = field(4, .count), rank <= 8 else { return }
                for _ in 0..<rank { guard field(8, .dimension) != nil else { return } }
                guard field(4, .typeTag) != nil, field(8, .offset) != nil else { return }
            }
            offset = (offset + 31) / 32 * 32
            completed = true
        }

        mutating func value(type: UInt64, depth: Int, record: Bool = true) -> Bool {
            let fixed: [UInt64: Int] = [0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8]
            if let width = fixed[type] { return field(width, .value, record: record) != nil }
            if type == 8 { return skipString(record: record) }
            guard type == 9, depth < 4, let elementType = field(4, .typeTag, record: record),
                  let count = field(8, .count, record: record) else { return false }
            for index in 0..<count {
                guard value(type: elementType, depth: depth + 1, record: record && index < elementsPerArray) else { return false }
            }
            return true
        }
    }
}
