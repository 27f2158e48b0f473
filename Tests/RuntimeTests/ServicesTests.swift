import Foundation
import Runtime
import XCTest

/// Completion, inspection and is-complete.
final class ServicesTests: XCTestCase {
    func testCompletesNamesInScope() {
        let t = TestSession()
        t.run("let alpha = 1\nfunc alpine() {}")
        let completion = t.session.complete("print(al", cursor: 8)
        XCTAssertTrue(completion.matches.contains("alpha"), "\(completion.matches)")
        XCTAssertTrue(completion.matches.contains("alpine"))
        XCTAssertEqual(completion.cursorStart, 6)
        XCTAssertEqual(completion.cursorEnd, 8)
        XCTAssertEqual(completion.types.count, completion.matches.count)
        XCTAssertTrue(t.session.complete("whi", cursor: 3).matches.contains("while"))
        XCTAssertTrue(t.session.complete("pri", cursor: 3).matches.contains("print"))
    }

    func testCompletesNamesDeclaredInTheCodeBeingEdited() {
        let t = TestSession()
        let code = "let wordCount = 3\nprint(wordC"
        XCTAssertEqual(t.session.complete(code, cursor: code.unicodeScalars.count).matches, ["wordCount"])
    }

    func testCompletesMembersFromTheRuntimeValue() {
        let t = TestSession()
        t.run("struct Point { var x: Double; var y: Double; func norm() -> Double { x } }\nlet p = Point(x: 1, y: 2)\nvar xs = [1, 2]")
        XCTAssertEqual(t.session.complete("p.", cursor: 2).matches, ["norm", "x", "y"])
        let arrayMembers = t.session.complete("xs.app", cursor: 6)
        XCTAssertTrue(arrayMembers.matches.contains("append"), "\(arrayMembers.matches)")
        XCTAssertEqual(arrayMembers.cursorStart, 3)
    }

    func testCompletesArgumentLabels() {
        let t = TestSession()
        t.run("func greet(name: String, times: Int) {}")
        let completion = t.session.complete("greet(na", cursor: 8)
        XCTAssertEqual(completion.matches.first, "name:")
        XCTAssertTrue(t.session.complete("greet(name: \"a\", ", cursor: 17).matches.contains("times:"))
    }

    func testCursorOffsetsCountUnicodeScalars() {
        let t = TestSession()
        t.run("let café = 1")
        let code = "\"😀\" + caf"
        let completion = t.session.complete(code, cursor: code.unicodeScalars.count)
        XCTAssertEqual(completion.matches, ["café"])
        XCTAssertEqual(completion.cursorStart, 6)
    }

    func testInspectShowsSignatureAndDoc() throws {
        let t = TestSession()
        t.run("/// Adds two numbers.\nfunc add(_ a: Int, _ b: Int) -> Int { a + b }\nvar count = 3")
        let user = try XCTUnwrap(t.session.inspect("add(1, 2)", cursor: 1)).plainText
        XCTAssertTrue(user.contains("func add(_ a: Int, _ b: Int) -> Int"), user)
        XCTAssertTrue(user.contains("Adds two numbers."), user)
        let builtin = try XCTUnwrap(t.session.inspect("print(1)", cursor: 3)).plainText
        XCTAssertTrue(builtin.contains("print("), builtin)
        let variable = try XCTUnwrap(t.session.inspect("count", cursor: 5)).plainText
        XCTAssertTrue(variable.contains("var count: Int = 3"), variable)
        XCTAssertNil(t.session.inspect("nothingHere", cursor: 4))
    }

    func testCompletionWhileACellRunsOffersBuiltinsOnly() {
        let t = TestSession()
        t.run("let secretName = 1")
        let started = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        Thread {
            started.signal()
            _ = t.session.execute("while true {}")
            finished.signal()
        }.start()
        started.wait()
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertEqual(t.session.complete("secr", cursor: 4).matches, [])
        XCTAssertTrue(t.session.complete("whi", cursor: 3).matches.contains("while"))
        XCTAssertNil(t.session.inspect("secretName", cursor: 3))
        t.session.interrupt()
        finished.wait()
        XCTAssertEqual(t.session.complete("secr", cursor: 4).matches, ["secretName"])
    }

    func testIsComplete() {
        let t = TestSession()
        XCTAssertEqual(t.session.isComplete("let x = 1"), .complete)
        XCTAssertEqual(t.session.isComplete(""), .complete)
        XCTAssertEqual(t.session.isComplete("func f() {"), .incomplete(indent: "    "))
        XCTAssertEqual(t.session.isComplete("if a {\n    if b {"), .incomplete(indent: "        "))
        XCTAssertEqual(t.session.isComplete("let x = (1 +"), .incomplete(indent: ""))
        XCTAssertEqual(t.session.isComplete("let y = [1, 2"), .incomplete(indent: ""))
        XCTAssertEqual(t.session.isComplete("let s = \"\"\"\nabc"), .incomplete(indent: ""))
        XCTAssertEqual(t.session.isComplete("let x = 1 +"), .incomplete(indent: ""))
        XCTAssertEqual(t.session.isComplete("let = 7q"), .invalid)
        XCTAssertEqual(t.session.isComplete("}"), .invalid)
    }
}
