import Foundation

/// Diagnostics on the kernel's stderr (the Jupyter server's log), never on IOPub.
enum KernelLog {
    static func warning(_ text: String) {
        FileHandle.standardError.write(Data("[swift-grpo kernel] \(text)\n".utf8))
    }
}
