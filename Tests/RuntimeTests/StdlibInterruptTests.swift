import Foundation
import Runtime
import XCTest

/// Long-running standard-library work (here: catastrophic regex backtracking) stops promptly
/// when the session is interrupted.
final class StdlibInterruptTests: XCTestCase {
    func testBacktrackingRegexIsInterruptible() {
        let seconds = interruptTime(#"print((String(repeating: "a", count: 34) + "!").matches("(a+)+$"))"#)
        XCTAssertLessThan(seconds, 2.0)
    }

    /// Runs the code, interrupts it after 0.2 s and returns how long the cell took in all;
    /// the cell must end with an InterruptError.
    private func interruptTime(_ code: String, file: StaticString = #filePath, line: UInt = #line) -> TimeInterval {
        let session = Session(output: DiscardingSink())
        let start = Date()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { session.interrupt() }
        let result = session.execute(code)
        let elapsed = Date().timeIntervalSince(start)
        switch result {
        case .success: XCTFail("the cell should have been interrupted", file: file, line: line)
        case .failure(let error): XCTAssertEqual(error.name, "InterruptError", error.description, file: file, line: line)
        }
        return elapsed
    }
}
