import Crypto

/// Signs and checks messages with HMAC-SHA256 keyed by the connection file's `key` (its UTF-8
/// bytes, not hex-decoded). An empty key signs nothing and accepts everything.
public struct MessageSigner: @unchecked Sendable {
    private let key: SymmetricKey?

    public init(key: String) {
        key.isEmpty ? (self.key = nil) : (self.key = SymmetricKey(data: Array(key.utf8)))
    }

    /// True when messages are signed.
    public var isSigning: Bool { key != nil }

    /// The lowercase hex signature of the four JSON frames, or "" without a key.
    public func signature(of frames: [[UInt8]]) -> [UInt8] {
        guard let key else { return [] }
        var mac = HMAC<SHA256>(key: key)
        for frame in frames { mac.update(data: frame) }
        let digest = Array(mac.finalize())
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(digest.count * 2)
        for byte in digest {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0xF)])
        }
        return out
    }

    /// Whether `signature` matches the frames, compared in constant time.
    public func isValid(signature: [UInt8], for frames: [[UInt8]]) -> Bool {
        guard key != nil else { return true }
        return Self.constantTimeEqual(signature, self.signature(of: frames))
    }

    /// Compares two byte strings in time that depends only on their lengths.
    public static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in 0..<lhs.count { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }
}
