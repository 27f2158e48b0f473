import Kernel
import TextFormats
import XCTest

final class WireFormatTests: XCTestCase {
    private let codec = WireCodec(signer: MessageSigner(key: "secret-key"))

    private func request(_ type: String = "execute_request") -> Message {
        Message(
            identities: [Array("client-1".utf8)], header: MessageFactory().header(type: type),
            content: ["code": "print(\"héllo\")", "silent": false])
    }

    func testEncodeThenDecodeKeepsEveryPart() throws {
        let message = request()
        let frames = codec.encode(message)
        XCTAssertEqual(frames[0], Array("client-1".utf8))
        XCTAssertEqual(frames[1], WireCodec.delimiter)
        XCTAssertEqual(frames[2].count, 64, "hex HMAC-SHA256")
        let decoded = try codec.decode(frames)
        XCTAssertEqual(decoded.identities, message.identities)
        XCTAssertEqual(decoded.header, message.header)
        XCTAssertEqual(decoded.content, message.content)
        XCTAssertEqual(decoded.type, "execute_request")
        XCTAssertEqual(decoded.replyType, "execute_reply")
    }

    func testTamperedContentIsRejected() {
        var frames = codec.encode(request())
        frames[6] = Array("{\"code\":\"evil\"}".utf8)
        XCTAssertThrowsError(try codec.decode(frames)) { XCTAssertEqual($0 as? WireError, .badSignature) }
    }

    func testWrongKeyIsRejected() {
        let frames = WireCodec(signer: MessageSigner(key: "other")).encode(request())
        XCTAssertThrowsError(try codec.decode(frames)) { XCTAssertEqual($0 as? WireError, .badSignature) }
    }

    func testEmptyKeySignsNothingAndAcceptsAll() throws {
        let unsigned = WireCodec(signer: MessageSigner(key: ""))
        let frames = unsigned.encode(request())
        XCTAssertEqual(frames[2], [])
        XCTAssertNoThrow(try unsigned.decode(frames))
    }

    func testMalformedFramesAreErrorsNotCrashes() {
        XCTAssertThrowsError(try codec.decode([Array("no delimiter".utf8)])) {
            XCTAssertEqual($0 as? WireError, .missingDelimiter)
        }
        XCTAssertThrowsError(try codec.decode([WireCodec.delimiter, []])) {
            XCTAssertEqual($0 as? WireError, .tooFewFrames(1))
        }
        let parts: [[UInt8]] = [Array("{\"a\":".utf8), Array("{}".utf8), Array("{}".utf8), Array("{}".utf8)]
        let signer = MessageSigner(key: "secret-key")
        let frames = [WireCodec.delimiter, signer.signature(of: parts)] + parts
        XCTAssertThrowsError(try codec.decode(frames)) { error in
            guard case .invalidJSON(let part, _)? = error as? WireError else { return XCTFail("\(error)") }
            XCTAssertEqual(part, "header")
        }
    }

    func testSignatureMatchesRFC4231Vector() {
        // RFC 4231 test case 2, with the data split over the four frames the way Jupyter signs them.
        let signer = MessageSigner(key: "Jefe")
        let frames = ["what do ya", " want ", "for nothing", "?"].map { Array($0.utf8) }
        XCTAssertEqual(
            String(decoding: signer.signature(of: frames), as: UTF8.self),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    func testConstantTimeCompare() {
        XCTAssertTrue(MessageSigner.constantTimeEqual(Array("abc".utf8), Array("abc".utf8)))
        XCTAssertFalse(MessageSigner.constantTimeEqual(Array("abc".utf8), Array("abd".utf8)))
        XCTAssertFalse(MessageSigner.constantTimeEqual(Array("abc".utf8), Array("abcd".utf8)))
    }

    func testRepliesCarryProtocolFields() {
        let factory = MessageFactory()
        let parent = request()
        let reply = factory.message("execute_reply", content: ["status": "ok"], parent: parent)
        XCTAssertEqual(reply.identities, parent.identities)
        XCTAssertEqual(reply.parentHeader, parent.header)
        XCTAssertEqual(reply.header.string("version"), "5.4")
        XCTAssertEqual(reply.header.string("session"), factory.session)
        XCTAssertNotEqual(reply.header.string("msg_id"), parent.header.string("msg_id"))
        let date = reply.header.string("date")
        XCTAssertTrue(date.hasSuffix("Z") && date.count == 27, date)
    }

    func testConnectionFile() throws {
        let json = try JSONParser.parse(
            #"{"shell_port": 5001, "iopub_port": 5002, "stdin_port": 5003, "control_port": 5004, "hb_port": 5005, "ip": "127.0.0.1", "key": "k", "transport": "tcp", "signature_scheme": "hmac-sha256", "kernel_name": "swift-grpo"}"#)
        let info = try ConnectionInfo.parse(json)
        XCTAssertEqual(info.endpoint(.control), "tcp://127.0.0.1:5004")
        var ipc = info
        ipc.transport = "ipc"
        ipc.ip = "/tmp/kernel"
        XCTAssertEqual(ipc.endpoint(.hb), "ipc:///tmp/kernel-5005")
        var md5 = json
        md5["signature_scheme"] = "hmac-md5"
        XCTAssertThrowsError(try ConnectionInfo.parse(md5))
    }
}
