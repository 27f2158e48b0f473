import Foundation
import Kernel
import TextFormats

/// The kernel's message decoder: frames (identities, delimiter, signature, four JSON parts,
/// buffers) as a `FuzzContainer`. Half the mutants are re-signed so the JSON parser is reached.
enum WireTarget {
    static let key = "fuzz-key"
    static let codec = WireCodec(signer: MessageSigner(key: key))
    static let unsigned = WireCodec(signer: MessageSigner(key: ""))

    static func message(_ type: String, content: JSONValue, buffers: [[UInt8]] = []) -> [[UInt8]] {
        let header: JSONValue = .object([
            "msg_id": .string("id-\(type)"), "session": .string("s"), "username": .string("u"),
            "date": .string("2026-12-06T00:00:00Z"), "msg_type": .string(type), "version": .string("5.3"),
        ])
        return codec.encode(Message(identities: [Array("client".utf8)], header: header, parentHeader: .object([:]),
                                    metadata: .object([:]), content: content, buffers: buffers))
    }

    static let target = FuzzTarget(
        name: "wire", summary: "Jupyter wire frames through WireCodec.decode (signed and unsigned)",
        seeds: { _ in
            let seeds: [[[UInt8]]] = [
                message("execute_request", content: .object(["code": .string("print(1 + 1)"), "silent": .bool(false),
                                                             "store_history": .bool(true), "user_expressions": .object([:]),
                                                             "allow_stdin": .bool(true), "stop_on_error": .bool(true)])),
                message("kernel_info_request", content: .object([:])),
                message("complete_request", content: .object(["code": .string("Data"), "cursor_pos": .int(4)])),
                message("comm_msg", content: .object(["comm_id": .string("c"), "data": .array([.null, .double(1e300)])]),
                        buffers: [[0, 1, 2, 255]]),
            ]
            return seeds.map { FuzzSeed(name: "builtin", bytes: FuzzContainer.encode($0), fields: FuzzContainer.fields(FuzzContainer.encode($0))) }
        },
        mutate: { bytes, seed, rng, log in
            var frames = FuzzContainer.decode(bytes)
            if frames.count >= 7, rng.chance(0.6) {
                let which = 3 + rng.below(4)   // header, parent, metadata, content
                TextMutator(dictionary: ["\"msg_type\": \"shutdown_request\",", "{\"a\":" + String(repeating: "[", count: 5_000)])
                    .mutate(&frames[which], rng: &rng, log: &log)
                if rng.chance(0.8) { frames[2] = codec.signer.signature(of: Array(frames[3..<7])) }
                log.append("(in frame \(which), \(frames[2].isEmpty ? "unsigned" : "re-signed"))")
                bytes = FuzzContainer.encode(frames)
            } else if rng.chance(0.3) {
                ByteMutator.setEdge(rng.pick(FuzzContainer.fields(bytes)), in: &bytes, rng: &rng, log: &log)
            } else if rng.chance(0.5), !frames.isEmpty {
                let op = rng.below(3)
                let index = rng.below(frames.count)
                switch op {
                case 0: frames.remove(at: index)
                case 1: frames.insert(rng.chance(0.5) ? WireCodec.delimiter : [], at: index)
                default: frames.insert(contentsOf: Array(repeating: frames[index], count: 1 + rng.below(100)), at: index)
                }
                log.append("frame op \(op) at \(index)")
                bytes = FuzzContainer.encode(frames)
            } else {
                ByteMutator.mutate(&bytes, rng: &rng, log: &log)
            }
        },
        run: { input, _ in
            let frames = FuzzContainer.decode(input.bytes)
            var rejection: Error?
            for codec in [codec, unsigned] {
                do {
                    let message = try codec.decode(frames)
                    _ = (message.type, message.id, message.content.string("code"), message.content["cursor_pos"]?.intValue, codec.encode(message).count)
                    rejection = nil
                    break
                } catch {
                    rejection = error
                }
            }
            if let rejection { throw rejection }
        },
        fieldsOf: FuzzContainer.fields)
}
