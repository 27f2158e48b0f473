import Foundation

/// Runs a campaign in child processes (the worker is this executable with `--worker`), so an
/// input that kills the reader is caught: the driver knows which input the worker started last,
/// rebuilds it, saves it, and starts a new worker after it. A worker that stops reporting for
/// `timeout` seconds is killed and its input saved as a hang.
public struct FuzzCampaign {
    public struct Finding {
        public var index: UInt64
        public var kind: String
        public var file: URL
        public var origin: String
    }

    var engine: FuzzEngine
    var count: UInt64
    var timeout: Double
    var outputFolder: URL
    /// Arguments that start a worker for inputs `from..<to` (the executable and its flags).
    var workerArguments: (UInt64, UInt64) -> [String]

    public init(engine: FuzzEngine, count: UInt64, timeout: Double, outputFolder: URL,
                workerArguments: @escaping (UInt64, UInt64) -> [String]) {
        self.engine = engine
        self.count = count
        self.timeout = timeout
        self.outputFolder = outputFolder
        self.workerArguments = workerArguments
    }

    /// The findings, and how many inputs the readers accepted.
    public func run(log: (String) -> Void) throws -> (findings: [Finding], accepted: Int) {
        try FileManager.default.createDirectory(at: outputFolder, withIntermediateDirectories: true)
        var findings: [Finding] = []
        var accepted = 0
        var next: UInt64 = 0
        let stderrURL = outputFolder.appendingPathComponent("\(engine.target.name)-worker-stderr.log")
        while next < count {
            let outcome = try runWorker(from: next, stderrURL: stderrURL)
            accepted += outcome.accepted
            guard let failure = outcome.failure else { break }
            let index = outcome.lastStarted ?? next
            let finding = try save(index: index, kind: failure, stderrURL: stderrURL)
            log("FOUND \(finding.kind) at input \(index): \(finding.file.path)")
            findings.append(finding)
            next = index + 1
        }
        return (findings, accepted)
    }

    private struct WorkerOutcome {
        var lastStarted: UInt64?
        var accepted: Int
        var failure: String?
    }

    private func runWorker(from start: UInt64, stderrURL: URL) throws -> WorkerOutcome {
        FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let process = Process()
        let arguments = workerArguments(start, count)
        if arguments[0].hasPrefix("/") {
            process.executableURL = URL(fileURLWithPath: arguments[0])
            process.arguments = Array(arguments.dropFirst())
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = arguments
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let descriptor = pipe.fileHandleForReading.fileDescriptor
        var buffer = [UInt8]()
        var lastStarted: UInt64?
        var accepted = 0
        var finished = false
        var timedOut = false
        var chunk = [UInt8](repeating: 0, count: 65_536)
        reading: while true {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            // The first input waits for the worker to load its seeds (a model header, say).
            let wait = lastStarted == nil ? max(timeout, 120) : timeout
            let ready = poll(&poller, 1, Int32(wait * 1000))
            if ready == 0 { timedOut = true; break }
            if ready < 0 { if errno == EINTR { continue }; break }
            let n = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            buffer += chunk[0..<n]
            while let newline = buffer.firstIndex(of: 10) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                if line.hasPrefix("done ") {
                    accepted = Int(line.dropFirst(5)) ?? 0
                    finished = true
                } else {
                    let fields = line.split(separator: " ")
                    if let index = fields.first.flatMap({ UInt64($0) }) { lastStarted = index }
                    if fields.count > 1, let sofar = Int(fields[1]) { accepted = sofar }
                }
            }
            if finished { break reading }
        }
        if timedOut { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        // A worker that crashed or was killed could not remove its scratch folder.
        try? FileManager.default.removeItem(at: FuzzScratch.folder(forProcess: process.processIdentifier))
        if finished, process.terminationReason == .exit, process.terminationStatus == 0 {
            return WorkerOutcome(lastStarted: lastStarted, accepted: accepted, failure: nil)
        }
        let failure: String
        if timedOut {
            failure = "hang (no progress in \(timeout) s)"
        } else if process.terminationReason == .uncaughtSignal {
            failure = "signal \(process.terminationStatus)"
        } else {
            failure = "exit status \(process.terminationStatus)"
        }
        return WorkerOutcome(lastStarted: lastStarted, accepted: accepted, failure: failure)
    }

    private func save(index: UInt64, kind: String, stderrURL: URL) throws -> Finding {
        let input = engine.input(at: index)
        let name = "\(engine.target.name)-seed\(engine.campaignSeed)-input\(index)"
        let file = outputFolder.appendingPathComponent(name + ".bin")
        try Data(input.bytes).write(to: file)
        if let padded = input.paddedSize, padded > input.bytes.count { truncate(file.path, off_t(padded)) }
        let stderrTail = ((try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "").suffix(4000)
        let report = """
            target: \(engine.target.name)
            campaign seed: \(engine.campaignSeed), input \(index)
            outcome: \(kind)
            origin: \(input.origin)
            replay: swift-grpo fuzz \(engine.target.name) --replay \(file.path)
            worker stderr (tail):
            \(stderrTail)
            """
        try report.write(to: outputFolder.appendingPathComponent(name + ".txt"), atomically: true, encoding: .utf8)
        return Finding(index: index, kind: kind, file: file, origin: input.origin)
    }
}
