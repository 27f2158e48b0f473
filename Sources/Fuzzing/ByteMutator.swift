/// Format-blind mutations: flipped bits, random or boundary bytes, cut, cloned or dropped
/// ranges, and numeric fields (when the seed lists them) set to edge values.
enum ByteMutator {
    static func mutate(_ bytes: inout [UInt8], rng: inout FuzzRandom, log: inout [String]) {
        switch rng.below(8) {
        case 0 where !bytes.isEmpty:
            let i = rng.below(bytes.count)
            bytes[i] ^= UInt8(1) << UInt8(rng.below(8))
            log.append("flip bit at \(i)")
        case 1 where !bytes.isEmpty:
            let i = rng.below(bytes.count)
            bytes[i] = rng.pick([0, 0xFF, 0x7F, 0x80, 0x01, UInt8(truncatingIfNeeded: rng.next())])
            log.append("set byte \(i)")
        case 2 where !bytes.isEmpty:
            let length = rng.below(bytes.count + 1)
            bytes.removeSubrange(length...)
            log.append("truncate to \(length)")
        case 3 where bytes.count > 1:
            let (start, end) = range(in: bytes.count, rng: &rng)
            bytes.removeSubrange(start..<end)
            log.append("delete \(start)..<\(end)")
        case 4 where !bytes.isEmpty:
            let (start, end) = range(in: bytes.count, rng: &rng)
            let chunk = Array(bytes[start..<end])
            let at = rng.below(bytes.count + 1)
            bytes.insert(contentsOf: chunk, at: at)
            log.append("clone \(start)..<\(end) to \(at)")
        case 5:
            let at = rng.below(bytes.count + 1)
            let count = 1 + rng.below(16)
            bytes.insert(contentsOf: (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: at)
            log.append("insert \(count) random bytes at \(at)")
        case 6 where bytes.count >= 8:
            // A random aligned word set to an edge value (finds lengths the layout walker missed).
            let width = rng.pick([2, 4, 8])
            let offset = rng.below(bytes.count - width + 1)
            setEdge(FuzzField(offset: offset, width: width, kind: .value), in: &bytes, rng: &rng, log: &log)
        default:
            if !bytes.isEmpty {
                let i = rng.below(bytes.count)
                bytes[i] = bytes[i] &+ UInt8(truncatingIfNeeded: rng.below(33) - 16)
                log.append("add to byte \(i)")
            }
        }
    }

    /// Sets `field` to one of its edge values.
    static func setEdge(_ field: FuzzField, in bytes: inout [UInt8], rng: inout FuzzRandom, log: inout [String]) {
        guard let current = FuzzBytes.load(bytes, at: field.offset, width: field.width) else { return }
        var candidates = FuzzField.edgeValues(width: field.width, current: current, fileSize: bytes.count)
        if field.kind == .typeTag { candidates += (0..<40).map(UInt64.init) }
        let value = rng.pick(candidates)
        FuzzBytes.store(value, into: &bytes, at: field.offset, width: field.width)
        log.append("\(field.kind) at \(field.offset) = \(value)")
    }

    private static func range(in count: Int, rng: inout FuzzRandom) -> (Int, Int) {
        let start = rng.below(count)
        let maxLength = rng.chance(0.8) ? 16 : count
        let end = min(count, start + 1 + rng.below(maxLength))
        return (start, end)
    }
}
