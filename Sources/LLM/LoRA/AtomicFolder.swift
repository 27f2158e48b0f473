import Foundation

/// Writes a folder all at once: into a temporary folder beside the destination, then renamed
/// over it (an existing folder is moved aside first and removed after the rename).
enum AtomicFolder {
    static func write(_ folder: URL, contents: (URL) throws -> Void) throws {
        let manager = FileManager.default
        let parent = folder.deletingLastPathComponent()
        let tag = "\(ProcessInfo.processInfo.processIdentifier).\(UInt32.random(in: 0...UInt32.max))"
        let temporary = parent.appendingPathComponent(".\(folder.lastPathComponent).\(tag).tmp")
        let previous = parent.appendingPathComponent(".\(folder.lastPathComponent).\(tag).old")
        var isDirectory: ObjCBool = false
        let exists = manager.fileExists(atPath: folder.path, isDirectory: &isDirectory)
        if exists && !isDirectory.boolValue {
            throw LoRAError.writeFailed(path: folder.path, reason: "a file (not a folder) already has this name")
        }
        do {
            try manager.createDirectory(at: parent, withIntermediateDirectories: true)
            try manager.createDirectory(at: temporary, withIntermediateDirectories: false)
            try contents(temporary)
            if exists { try manager.moveItem(at: folder, to: previous) }
            do {
                try manager.moveItem(at: temporary, to: folder)
            } catch {
                if exists { try? manager.moveItem(at: previous, to: folder) }
                throw error
            }
            if exists { try? manager.removeItem(at: previous) }
        } catch {
            try? manager.removeItem(at: temporary)
            if let loraError = error as? LoRAError { throw loraError }
            throw LoRAError.writeFailed(path: folder.path, reason: "\(error)")
        }
    }
}
