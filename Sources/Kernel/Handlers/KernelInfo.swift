import Foundation
import TextFormats

/// `kernel_info_request`: who we are and how to highlight the language.
public enum KernelInfo {
    /// The kernel's version, reported as `implementation_version`.
    nonisolated(unsafe) public static var implementationVersion = "0.1.0"

    public static var languageInfo: JSONValue {
        [
            "name": "swift",
            "version": "6.0",
            "mimetype": "text/x-swift",
            "file_extension": ".swift",
            "pygments_lexer": "swift",
            "codemirror_mode": "swift",
            "nbconvert_exporter": "script",
        ]
    }

    public static var banner: String {
        "SwiftGRPO \(implementationVersion): a Swift-syntax cell language for GRPO fine-tuning.\n"
            + "Type code and run it; `name?` shows documentation."
    }

    static func reply() -> JSONValue {
        [
            "status": "ok",
            "protocol_version": .string(MessageFactory.protocolVersion),
            "implementation": "swift-grpo",
            "implementation_version": .string(implementationVersion),
            "language_info": languageInfo,
            "banner": .string(banner),
            "help_links": [
                ["text": "Swift language", "url": "https://docs.swift.org/swift-book/"],
                ["text": "Jupyter messaging", "url": "https://jupyter-client.readthedocs.io/en/latest/messaging.html"],
            ],
            "debugger": false,
        ]
    }
}
