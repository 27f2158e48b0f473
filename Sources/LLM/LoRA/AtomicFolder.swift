import Foundation

/// Writes a folder all at once: into a temporary folder beside the destination, then renamed
/// over it (an existing folder is moved aside first and removed after the rename). Files of an
/// existing folder that the write does not produce (a README, a log, other checkpoints) are kept:
/// they are hard-linked into the new folder before the rename, as `save_pretrained` leaves them.
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
            if exists {
                try carryOver(from: folder, into: temporary)
                try manager.moveItem(at: folder, to: previous)
            }
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

    /// Links (or, across file systems, copies) every entry of `source` that `destination` lacks,
    /// descending into folders both have.
    private static func carryOver(from source: URL, into destination: URL) throws {
        let manager = FileManager.default
        for name in try manager.contentsOfDirectory(atPath: source.path) {
            let from = source.appendingPathComponent(name), to = destination.appendingPathComponent(name)
            var fromIsFolder: ObjCBool = false, toIsFolder: ObjCBool = false
            let isLink = (try? manager.destinationOfSymbolicLink(atPath: from.path)) != nil
            guard manager.fileExists(atPath: from.path, isDirectory: &fromIsFolder) || isLink else { continue }
            if manager.fileExists(atPath: to.path, isDirectory: &toIsFolder) {
                if fromIsFolder.boolValue && toIsFolder.boolValue && !isLink { try carryOver(from: from, into: to) }
                continue
            }
            if fromIsFolder.boolValue && !isLink {
                try manager.createDirectory(at: to, withIntermediateDirectories: false)
                try carryOver(from: from, into: to)
            } else if isLink || link(from.path, to.path) != 0 {
                try manager.copyItem(at: from, to: to)
            }
        }
    }
}
